// The main thread's side of books kept on the pool's shards (compute.mode pool): venue book messages go to the
// pool (each to its symbol's shard, in order with the symbol's ticks), and each shard's outbox comes back here:
// state changes are logged as the inline book stage logs them, resync requests go to the feeds, tops to the
// store and database, `--print books` lines to the printer, and the counters are kept per shard for metrics,
// `top` and replay's summary. A shard whose task crashed lost its books: each is resynced.
import type { Logger } from '../telemetry/logger.js';
import { RateLimitedLog } from '../telemetry/logger.js';
import type { BookInput, BookMessage } from './message.js';
import type { BookOutbox, ShardBookOptions, ShardBookStats } from './shard-books.js';
import type { BookTopSink } from './tops.js';
import { logBookState, type BookSummary } from './summary.js';
import type { BookTop } from '../model/book-top.js';
import type { PoolBooks } from '../compute/pool.js';

export interface PoolBookOptions {
  opts: ShardBookOptions;
  log: Logger;
  sink: BookTopSink;
  printLine?: (line: string) => void;
  resync: (venue: string, symbol: string) => void;
  /** The pool, once started: where book messages go. */
  submit: (m: BookMessage) => void;
}

export class PoolBookSide implements PoolBooks, BookInput {
  readonly opts: ShardBookOptions;
  private readonly stats = new Map<number, ShardBookStats>();
  /** State by `venue:symbol`, as the shards last reported it. */
  private readonly states = new Map<string, string>();
  private readonly warn: RateLimitedLog;
  /** Set-wide counters of books lost with crashed shard tasks (the counters only grow). */
  private readonly lostTotals: ShardBookStats = { books: [], dropped: [], snapshots: 0, applied: 0 };

  constructor(private readonly o: PoolBookOptions) {
    this.opts = o.opts;
    this.warn = new RateLimitedLog(o.log);
  }

  onBookMessage(m: BookMessage): void {
    this.o.submit(m);
  }

  onOutbox(shard: number, m: BookOutbox): void {
    for (const s of m.states) {
      this.states.set(`${s.venue}:${s.symbol}`, s.state);
      logBookState(this.warn, this.o.log, s, s.from, s.reason);
    }
    for (const r of m.resyncs) this.o.resync(r.venue, r.symbol);
    if (m.tops.length) this.o.sink.tops?.(m.tops);
    if (m.snapshots.length) this.o.sink.snapshots?.(m.snapshots);
    if (m.deltas.length) this.o.sink.deltas?.(m.deltas);
    const print = this.o.printLine;
    if (print) for (const line of m.lines) print(line);
    if (m.stats) {
      this.stats.set(shard, m.stats);
      for (const b of m.stats.books) this.states.set(`${b.venue}:${b.symbol}`, b.state);
    }
  }

  onBooksLost(shard: number): void {
    const last = this.stats.get(shard);
    const lost = last?.books ?? [];
    if (last) {
      this.lostTotals.dropped.push(...last.dropped);
      this.lostTotals.snapshots += last.snapshots;
      this.lostTotals.applied += last.applied;
      this.stats.set(shard, { books: lost, dropped: [], snapshots: 0, applied: 0 });
    }
    if (lost.length)
      this.o.log.warn({ shard, books: lost.length }, 'compute shard restarted without its books: resyncing them');
    const tops: BookTop[] = [];
    for (const b of lost) {
      b.state = 'syncing';
      b.resyncs++;
      b.levels = 0;
      this.states.set(`${b.venue}:${b.symbol}`, 'syncing');
      // The store's top said live: it says syncing now, as an invalidated book's does.
      tops.push({
        venue: b.venue,
        symbol: b.symbol,
        state: 'syncing',
        updateId: -1,
        tsExchNs: 0,
        tsRecvNs: 0,
        bids: [],
        asks: [],
      });
      this.o.resync(b.venue, b.symbol);
    }
    if (tops.length) this.o.sink.tops?.(tops);
  }

  /** The book's state as its shard last reported it. */
  live(venue: string, symbol: string): boolean {
    return this.states.get(`${venue}:${symbol}`) === 'live';
  }

  summary(): BookSummary {
    const out: BookSummary = { books: [], dropped: new Map(), snapshots: 0, applied: 0 };
    for (const s of [this.lostTotals, ...this.stats.values()]) {
      out.books.push(...s.books);
      for (const [r, n] of s.dropped) out.dropped.set(r, (out.dropped.get(r) ?? 0) + n);
      out.snapshots += s.snapshots;
      out.applied += s.applied;
    }
    return out;
  }
}
