// What the books of an engine report, wherever they are kept (this thread, or the pool's shards): per book its
// state and counters, and the drops by reason (metrics, `christmas top` and replay's summary read this), and the
// log lines of a book leaving and regaining live.
import { ASK, BID } from './book.js';
import type { SyncedBook } from './synced-book.js';
import type { Logger, RateLimitedLog } from '../telemetry/logger.js';

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

/** The log line of a book's state change: invalid (rate-limited per book), or live again after a resync. */
export function logBookState(
  warn: RateLimitedLog,
  log: Logger,
  b: { venue: string; symbol: string; state: string; resyncs: number },
  from: string,
  reason: string,
): void {
  const key = `${b.venue}:${b.symbol}`;
  if (b.state === 'invalid')
    warn.warn(`book:${key}`, { venue: b.venue, symbol: b.symbol, reason }, `book ${key} invalid: resyncing`);
  else if (b.state === 'live' && from !== 'live' && b.resyncs > 0)
    log.info({ venue: b.venue, symbol: b.symbol, resyncs: b.resyncs }, `book ${key} live again`);
}
