// What a strategy's onBook sees: a live book's identity, clocks and its best `depth` levels per side in the
// top() layout (depth bid pairs, then depth ask pairs, best first, NaN past a side's end), read into one typed
// array per engine before the call. Valid only during the call; book features (features.ts) read it.
import type { SyncedBook } from './synced-book.js';

export interface BookView {
  readonly venue: string;
  readonly symbol: string;
  /** The venue's final update id of the last applied message. */
  readonly updateId: number;
  readonly tsExchNs: number;
  readonly tsRecvNs: number;
  /** Exact receive time = tsRecvNs + tsRecvRemNs (model/epoch-ns.ts); NaN when recorded (µs). */
  readonly tsRecvRemNs: number;
  /** Levels per side in `top`. */
  readonly depth: number;
  readonly top: Float64Array;
}

/** Levels per side a strategy's onBook sees. */
export const FEATURE_DEPTH = 20;

/** One reusable view per thread, refilled from a synced book before each onBook round. */
export class BookViewSlot implements BookView {
  venue = '';
  symbol = '';
  updateId = -1;
  tsExchNs = 0;
  tsRecvNs = 0;
  tsRecvRemNs = NaN;
  readonly top: Float64Array;
  constructor(readonly depth: number) {
    this.top = new Float64Array(4 * depth);
  }

  fill(b: SyncedBook): this {
    this.venue = b.venue;
    this.symbol = b.symbol;
    this.updateId = b.lastId;
    this.tsExchNs = b.tsExchNs;
    this.tsRecvNs = b.tsRecvNs;
    this.tsRecvRemNs = b.tsRecvRemNs;
    b.book.top(this.top, this.depth);
    return this;
  }
}
