// A trading signal as emitted on the signal socket (DESIGN.md §5) and persisted.

export type SignalSide = 'buy' | 'sell' | 'flat';

export interface SignalLatency {
  tsExchNs: number;
  tsRecvNs: number;
  tsSignalNs: number;
}

export interface Signal {
  /** Per-instance, strictly increasing, never reused after a restart. */
  seq: number;
  /** `<instance>-<seq>`: globally unique id. */
  id: string;
  tsNs: number;
  symbol: string;
  venue: string;
  side: SignalSide;
  strategy: string;
  price: number;
  /** In [0, 1]. */
  strength: number;
  ttlMs: number;
  reason: string;
  indicators: Record<string, number>;
  latency: SignalLatency;
}

/** A signal as produced by a strategy, before the emitter assigns seq, id and tsNs. */
export type SignalDraft = Omit<Signal, 'seq' | 'id' | 'tsNs' | 'latency'>;
