// The top N of one L2 book at one moment, as stored and persisted (and, opt-in, each applied book message): the Redis hash `christmas:{VENUE:SYMBOL}:book`
// (latest per batch), the `book_snapshots` rows (sampled), and what `christmas book` prints. Levels best first as
// [price, size] pairs; plain arrays so the value crosses to the io thread by structured clone.

export interface BookTop {
  venue: string;
  symbol: string;
  /** syncing, live or invalid (a book that left live is written once more with its new state). */
  state: string;
  updateId: number;
  tsExchNs: number;
  tsRecvNs: number;
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
}

/** The JSON line of a book top, the `--print books` shape plus its state. */
export function bookTopJson(b: BookTop, depth = Infinity): string {
  return JSON.stringify({
    type: 'book',
    venue: b.venue,
    symbol: b.symbol,
    state: b.state,
    updateId: b.updateId,
    tsExchNs: Math.round(b.tsExchNs),
    tsRecvNs: Math.round(b.tsRecvNs),
    bids: b.bids.slice(0, depth),
    asks: b.asks.slice(0, depth),
  });
}

/** One applied book message, kept raw (opt-in `books.deltas`): the `book_deltas` rows. */
export interface BookDelta {
  venue: string;
  symbol: string;
  kind: 'snapshot' | 'delta';
  firstId: number;
  lastId: number;
  tsExchNs: number;
  tsRecvNs: number;
  /** The message's levels as sent: [price, size], size 0 deleting. */
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
}
