// The normalized market-data record: one shape for trades and best bid/ask quotes, two clocks.
// Prices are float64 in the hot path (DESIGN.md §2); persistence stores them as double precision.

type TickKind = 'trade' | 'quote';
export type Side = 'buy' | 'sell' | 'unknown';

export interface Tick {
  venue: string;
  symbol: string;
  kind: TickKind;
  /** Exchange event time, epoch nanoseconds (integer-valued float; ns precision is lost above 2^53, µs is kept). */
  tsExchNs: number;
  /** Receive time, epoch nanoseconds from the process' hrtime-mapped clock (float64: 256 ns steps). */
  tsRecvNs: number;
  /**
   * Exact receive time = tsRecvNs + tsRecvRemNs (model/epoch-ns.ts), set for live frames from the process
   * clock; NaN when the time came from a recording or the store (at most µs-precise: written as whole µs).
   */
  tsRecvRemNs: number;
  /** Trade price (trades) — NaN for quotes. */
  price: number;
  /** Trade size (trades) — NaN for quotes. */
  size: number;
  /** Aggressor side for trades; 'unknown' for quotes. */
  side: Side;
  /** Trade id (trades) or book update id (quotes); -1 when the venue gives none. */
  id: number;
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
}

/** A side as stored (the Redis member, the database's smallint): 1 buy, -1 sell, 0 unknown. */
export const sideCode = (s: Side): number => (s === 'buy' ? 1 : s === 'sell' ? -1 : 0);

/** Creates a trade tick with every field present so all ticks share one hidden class. */
export function tradeTick(
  venue: string,
  symbol: string,
  tsExchNs: number,
  tsRecvNs: number,
  price: number,
  size: number,
  side: Side,
  tradeId: number,
): Tick {
  return {
    venue,
    symbol,
    kind: 'trade',
    tsExchNs,
    tsRecvNs,
    tsRecvRemNs: NaN,
    price,
    size,
    side,
    id: tradeId,
    bid: NaN,
    bidSize: NaN,
    ask: NaN,
    askSize: NaN,
  };
}

/** Creates a quote (best bid/ask) tick with every field present. */
export function quoteTick(
  venue: string,
  symbol: string,
  tsExchNs: number,
  tsRecvNs: number,
  bid: number,
  bidSize: number,
  ask: number,
  askSize: number,
  updateId: number,
): Tick {
  return {
    venue,
    symbol,
    kind: 'quote',
    tsExchNs,
    tsRecvNs,
    tsRecvRemNs: NaN,
    price: NaN,
    size: NaN,
    side: 'unknown',
    id: updateId,
    bid,
    bidSize,
    ask,
    askSize,
  };
}

/** The JSON-lines shape printed by `christmas replay --print ticks` (issue 3 contract). */
export function tickToJson(t: Tick): Record<string, unknown> {
  if (t.kind === 'trade') {
    return {
      venue: t.venue,
      symbol: t.symbol,
      kind: 'trade',
      tsExchNs: t.tsExchNs,
      tsRecvNs: t.tsRecvNs,
      price: t.price,
      size: t.size,
      side: t.side,
      tradeId: t.id,
    };
  }
  return {
    venue: t.venue,
    symbol: t.symbol,
    kind: 'quote',
    tsExchNs: t.tsExchNs,
    tsRecvNs: t.tsRecvNs,
    bid: t.bid,
    bidSize: t.bidSize,
    ask: t.ask,
    askSize: t.askSize,
    updateId: t.id,
  };
}

/** Why a number cannot be a price (positive) or a size (>= 0): `<field>-missing|infinite|not-positive|negative`. */
function numberFault(field: string, v: number, positive: boolean): string | undefined {
  if (v !== v) return `${field}-missing`; // NaN: empty, text or NaN in the source
  if (v === Infinity || v === -Infinity) return `${field}-infinite`;
  if (positive ? !(v > 0) : v < 0) return positive ? `${field}-not-positive` : `${field}-negative`;
  return undefined;
}

/**
 * The reason a tick must not enter the pipeline (a stable drop reason, counted by the feed), or undefined when
 * every field its kind needs is a finite number in range: prices > 0, sizes >= 0, exchange time > 0.
 */
export function tickFault(t: Tick): string | undefined {
  if (!(t.tsExchNs > 0) || t.tsExchNs === Infinity) return 'time-invalid';
  if (t.kind === 'trade') return numberFault('price', t.price, true) ?? numberFault('size', t.size, false);
  return (
    numberFault('bid', t.bid, true) ??
    numberFault('ask', t.ask, true) ??
    numberFault('bid-size', t.bidSize, false) ??
    numberFault('ask-size', t.askSize, false)
  );
}
