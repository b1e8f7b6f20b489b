// The seam between the engine and every output of its signals. The engine holds a list and, for each signal
// that passes the risk gate, calls publish on each in order; publish never awaits and never throws for a slow
// or absent consumer. The Unix socket server is one publisher, the database's signal rows another.
import type { Signal } from '../model/signal.js';

export interface PublisherHealth {
  healthy: boolean;
  detail: string;
}

export interface SignalPublisher {
  /** Names the publisher in /health and logs (`socket`, `database`, `print`). */
  readonly name: string;
  start(): Promise<void>;
  publish(signal: Signal): void;
  /** Flushes what it holds and closes; `reason` goes to consumers that are told (the socket's bye). */
  stop(reason: string): Promise<void>;
  health(): PublisherHealth;
}
