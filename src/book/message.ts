// One venue book message (a REST or stream snapshot, or a delta), normalized by the venue parsers. Parsers fill a
// reused scratch message (levels in growable Float64Arrays of price/size pairs); a message the book must keep
// for later (a delta buffered while a snapshot is awaited) is copied with copyMessage.

export interface BookMessage {
  venue: string;
  symbol: string;
  kind: 'snapshot' | 'delta';
  /** First update id in the message (Binance U); -1 where the venue gives none. */
  firstId: number;
  /** Final update id (Binance u / lastUpdateId, Bybit u, Coinbase sequence); -1 where none. */
  lastId: number;
  /** The previous message's final id (Binance USD-M pu); -1 where none. */
  prevId: number;
  tsExchNs: number;
  tsRecvNs: number;
  /** Exact receive time = tsRecvNs + tsRecvRemNs (model/epoch-ns.ts); NaN for recorded or REST times. */
  tsRecvRemNs: number;
  bids: Float64Array;
  bidCount: number;
  asks: Float64Array;
  askCount: number;
  /** The venue's checksum of the book after this message (Kraken), else -1. */
  checksum: number;
  /**
   * Gaps seen so far on the message's connection, where the venue numbers a connection's messages rather than a
   * book's (Coinbase Advanced Trade sequence_num); -1 elsewhere. A delta whose count differs from the book's
   * snapshot's is a gap for that book: one of the lost messages may have been its.
   */
  streamEpoch: number;
}

export function emptyMessage(): BookMessage {
  return {
    venue: '',
    symbol: '',
    kind: 'delta',
    firstId: -1,
    lastId: -1,
    prevId: -1,
    tsExchNs: 0,
    tsRecvNs: 0,
    tsRecvRemNs: NaN,
    bids: new Float64Array(64),
    bidCount: 0,
    asks: new Float64Array(64),
    askCount: 0,
    checksum: -1,
    streamEpoch: -1,
  };
}

/** Room for `levels` pairs on a side of a scratch message (grows by doubling, keeping what is there). */
export function ensureLevels(m: BookMessage, side: 'bids' | 'asks', levels: number): Float64Array {
  const a = m[side];
  if (a.length >= levels * 2) return a;
  let n = a.length;
  while (n < levels * 2) n *= 2;
  const b = new Float64Array(n);
  b.set(a);
  m[side] = b;
  return b;
}

/** A copy that owns its levels (exactly sized). */
export function copyMessage(m: BookMessage): BookMessage {
  return {
    ...m,
    bids: m.bids.slice(0, m.bidCount * 2),
    asks: m.asks.slice(0, m.askCount * 2),
  };
}

/** Receives the book messages a venue parser finds in a frame. */
export interface BookInput {
  onBookMessage(m: BookMessage): void;
}
