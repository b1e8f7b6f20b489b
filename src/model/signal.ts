// A trading signal as emitted on the signal socket (DESIGN.md §5) and persisted.

export type SignalSide = 'buy' | 'sell' | 'flat';

interface SignalLatency {
  tsExchNs: number;
  tsRecvNs: number;
  tsSignalNs: number;
  /**
   * The process clock's exact remainders (model/epoch-ns.ts): exact receive time = tsRecvNs + tsRecvRemNs, exact
   * signal time (tsNs too) = tsSignalNs + tsSignalRemNs. NaN when the time came from a recording (then µs).
   * Not sent: the wire carries the exact integers.
   */
  tsRecvRemNs: number;
  tsSignalRemNs: number;
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

/**
 * `<instance>-<seq>`. The digits come from toFixed(0), not from `${seq}` or String(seq): those go through V8's
 * number-to-string cache, which keeps the last ~16k such strings alive in the young generation (its size grows
 * with the semi-space), so with one new seq per signal every minor GC copied them all again. Measured: the
 * scavenge pause at a 16 MiB young generation went from ~0.5 ms to ~2 ms with one template id per tick.
 */
export function signalId(instance: string, seq: number): string {
  return instance + '-' + seq.toFixed(0);
}

/**
 * A signal as produced by a strategy, before the emitter assigns seq, id and tsNs. `book: true` marks a draft
 * made from L2 book values (the risk gate suppresses it while that book is not live); it is not sent.
 */
export type SignalDraft = Omit<Signal, 'seq' | 'id' | 'tsNs' | 'latency'> & { book?: boolean };

/** The signal a draft becomes once numbered: `seq`, its id, and the clocks of the tick that produced it. */
export function signalOf(
  d: SignalDraft,
  instance: string,
  seq: number,
  tsExchNs: number,
  tsRecvNs: number,
  tsSignalNs: number,
  tsRecvRemNs = NaN,
  tsSignalRemNs = NaN,
): Signal {
  return {
    seq,
    id: signalId(instance, seq),
    tsNs: tsSignalNs,
    symbol: d.symbol,
    venue: d.venue,
    side: d.side,
    strategy: d.strategy,
    price: d.price,
    strength: d.strength,
    ttlMs: d.ttlMs,
    reason: d.reason,
    indicators: d.indicators,
    latency: { tsExchNs, tsRecvNs, tsSignalNs, tsRecvRemNs, tsSignalRemNs },
  };
}
