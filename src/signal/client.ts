// Client library for the signal socket: hello, resume from the last seq seen after any reconnect
// (the server replays what was missed or says `gap`), de-duplication by seq, reconnect with backoff.
import { connect, type Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { encodeFrame, FrameDecoder, JsonLineDecoder } from './framing.js';
import { Backoff } from '../feed/backoff.js';
import { SignalProtocolError } from '../model/errors.js';

export interface SignalClientOptions {
  socketPath: string;
  symbols?: string[];
  /** First seq wanted on the first connection (later connections resume after the last seq seen). */
  fromSeq?: number;
  format?: 'msgpack' | 'json';
  reconnect?: boolean;
}

interface SignalMessage {
  type: 'signal';
  seq: number;
  symbol: string;
  [k: string]: unknown;
}

export class SignalClient extends EventEmitter {
  lastSeq = 0;
  private socket: Socket | undefined;
  private stopped = false;
  private readonly backoff = new Backoff(50, 2000);
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly opts: SignalClientOptions) {
    super();
  }

  start(): void {
    this.stopped = false;
    this.connectOnce();
  }

  private connectOnce(): void {
    const s = connect(this.opts.socketPath);
    this.socket = s;
    let decoder: FrameDecoder | JsonLineDecoder = new FrameDecoder();
    let welcomed = false;
    s.on('connect', () => {
      this.backoff.reset();
      const fromSeq = this.lastSeq > 0 ? this.lastSeq + 1 : this.opts.fromSeq;
      s.write(
        encodeFrame({
          type: 'hello',
          v: 1,
          ...(this.opts.symbols ? { symbols: this.opts.symbols } : {}),
          ...(fromSeq !== undefined ? { fromSeq } : {}),
          ...(this.opts.format ? { format: this.opts.format } : {}),
        }),
      );
    });
    s.on('data', (chunk) => {
      let input: Buffer = chunk;
      if (!welcomed) {
        const first = (decoder as FrameDecoder).push(chunk, 1);
        if (!first.ok) {
          this.emit('error', new SignalProtocolError(first.reason));
          s.destroy();
          return;
        }
        if (first.messages.length === 0) return;
        const w = first.messages[0]!;
        if (w.type !== 'welcome') {
          this.dispatch(w);
          s.destroy();
          return;
        }
        welcomed = true;
        this.emit('welcome', w);
        input = (decoder as FrameDecoder).takeRest();
        if (this.opts.format === 'json') decoder = new JsonLineDecoder();
      }
      const r = decoder.push(input);
      if (!r.ok) {
        this.emit('error', new SignalProtocolError(r.reason));
        s.destroy();
        return;
      }
      for (const m of r.messages) this.dispatch(m);
    });
    s.on('error', (err) => this.emit('socket-error', err));
    s.on('close', () => {
      this.emit('disconnected');
      if (!this.stopped && this.opts.reconnect !== false)
        this.timer = setTimeout(() => this.connectOnce(), this.backoff.next());
    });
  }

  private dispatch(m: Record<string, unknown>): void {
    switch (m.type) {
      case 'signal': {
        const seq = m.seq as number;
        if (seq <= this.lastSeq) return; // duplicate after a replay overlap
        this.lastSeq = seq;
        this.emit('signal', m as SignalMessage);
        return;
      }
      case 'gap':
        this.emit('gap', m);
        return;
      case 'heartbeat':
        this.emit('heartbeat', m);
        return;
      case 'bye':
        this.emit('bye', m);
        return;
      default:
        this.emit('message', m);
    }
  }

  /** Sends a command frame (e.g. the kill switch). */
  command(name: string, args: Record<string, unknown>): void {
    this.socket?.write(encodeFrame({ type: 'command', name, ...args }));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.destroy();
  }
}
