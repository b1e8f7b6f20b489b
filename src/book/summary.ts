// What the books of an engine report, wherever they are kept (this thread, or the pool's shards): per book its
// state and counters, and the drops by reason. Metrics, `christmas top` and replay's summary read this.
import { ASK, BID } from './book.js';
import type { SyncedBook } from './synced-book.js';

/** One book's counters. */
export interface BookCounters {
  venue: string;
  symbol: string;
  state: string;
  applied: number;
  resyncs: number;
  levels: number;
}

export interface BookSummary {
  books: BookCounters[];
  /** Drops and invalidations by reason. */
  dropped: Map<string, number>;
  snapshots: number;
  applied: number;
}

export function countersOf(b: SyncedBook): BookCounters {
  return {
    venue: b.venue,
    symbol: b.symbol,
    state: b.state,
    applied: b.applied,
    resyncs: b.resyncs,
    levels: b.book.levels(BID) + b.book.levels(ASK),
  };
}
