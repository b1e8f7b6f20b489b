// The book stage of one engine: its BookSet (every symbol's L2 book on this thread), what each live update fans
// out to (a --print books line, the io stage's book tops, the strategies' onBook through one reused view), and
// the log lines of books leaving and regaining live. The engine connects it; the work is here.
import type { ChristmasConfig } from '../config/types.js';
import { RateLimitedLog, type Logger } from '../telemetry/logger.js';
import { BookSet } from './books.js';
import type { SyncedBook } from './synced-book.js';
import { bookLine } from './book-json.js';
import { BookViewSlot, FEATURE_DEPTH } from './view.js';
import { BookTops, type BookTopSink } from './tops.js';
import { countersOf, logBookState, type BookSummary } from './summary.js';

export interface BookStageOptions {
  cfg: ChristmasConfig['books'];
  log: Logger;
  /** `--print books`: each live update as a JSON line of this many levels. */
  printLine?: (line: string) => void;
  printDepth?: number;
  /** Each live update, to the strategies, with the reused view to fill for them (valid during the call). */
  toStrategies: (b: SyncedBook, view: BookViewSlot) => void;
  /** A book needs a snapshot or a resubscribe (the live feeds set it; replays have none). */
  resync: (venue: string, symbol: string) => void;
}

export class BookStage {
  readonly books: BookSet;
  private readonly view = new BookViewSlot(FEATURE_DEPTH);
  private tops: BookTops | undefined;
  private readonly warn: RateLimitedLog;

  constructor(private readonly opts: BookStageOptions) {
    this.warn = new RateLimitedLog(opts.log);
    const printDepth = opts.printDepth ?? 10;
    this.books = new BookSet({
      onUpdate: (b) => {
        opts.printLine?.(bookLine(b, printDepth));
        this.tops?.changed(b);
        opts.toStrategies(b, this.view);
      },
      onState: (b, from, reason) => this.stateChanged(b, from, reason),
      onApplied: opts.cfg.deltas ? (b, m) => this.tops?.applied(b, m) : undefined,
      resync: (venue, symbol) => opts.resync(venue, symbol),
      maxPending: opts.cfg.maxPendingDeltas,
      checksumDecimals: (venue, symbol) => opts.cfg.checksumDecimals?.[`${venue}:${symbol}`],
    });
  }

  /** Book tops to the io stage: latest per batch to the store, sampled to the database (and raw deltas, opt-in). */
  openTops(sink: BookTopSink): void {
    this.tops = new BookTops(sink, this.opts.cfg.depth, this.opts.cfg.snapshotIntervalMs, () => this.books.all());
  }

  summary(): BookSummary {
    const b = this.books;
    return { books: [...b.all()].map(countersOf), dropped: b.dropped, snapshots: b.snapshots, applied: b.applied };
  }

  /** True when the symbol's book is live (the risk gate's book check). */
  live(venue: string, symbol: string): boolean {
    return this.books.get(venue, symbol)?.state === 'live';
  }

  private stateChanged(b: SyncedBook, from: string, reason: string): void {
    this.tops?.changed(b);
    logBookState(this.warn, this.opts.log, b, from, reason);
  }

  /** Hands the last tops and a final sample to the io stage (before it drains). */
  stop(): void {
    this.tops?.stop();
  }
}
