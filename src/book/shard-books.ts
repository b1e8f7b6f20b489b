// The books of one pool shard (compute.mode pool): the BookSet of the symbols hashed to this shard, fed in stream
// order from the tick ring, each live update run through the shard's strategies with onBook. What the main thread
// needs from them leaves in one outbox message per batch: state changes (logged there), resync requests (the
// feeds are there), book tops for the store and sampled ones for the database, raw deltas (opt-in), `--print
// books` lines, and every 200 ms (and at the task's end) the counters behind metrics, `top` and replay's summary.
import type { ChristmasConfig } from '../config/types.js';
import type { SignalDraft } from '../model/signal.js';
import type { BookDelta, BookTop } from '../model/book-top.js';
import { BookSet, type BookSetState } from './books.js';
import { BookTops } from './tops.js';
import { bookLine } from './book-json.js';
import { BookViewSlot, FEATURE_DEPTH, type BookView } from './view.js';
import type { BookMessage } from './message.js';
import { countersOf, type BookCounters } from './summary.js';
import { emptyScratch } from '../model/scratch.js';

/** What the main thread wants from a shard's books (the engine's sinks and print mode decide). */
export interface ShardBookOptions {
  cfg: ChristmasConfig['books'];
  /** Latest tops per batch (the store is open). */
  tops: boolean;
  /** Sampled tops (the database is open). */
  snapshots: boolean;
  /** Raw applied messages (the database is open and books.deltas). */
  deltas: boolean;
  /** `--print books`: a line per live update of this many levels. */
  printDepth?: number;
}

/** The counters of a shard's books. */
export interface ShardBookStats {
  books: BookCounters[];
  dropped: Array<[string, number]>;
  snapshots: number;
  applied: number;
}

export interface BookOutbox {
  type: 'books';
  states: Array<{ venue: string; symbol: string; state: string; from: string; reason: string; resyncs: number }>;
  resyncs: Array<{ venue: string; symbol: string; reason: string }>;
  tops: BookTop[];
  snapshots: BookTop[];
  deltas: BookDelta[];
  lines: string[];
  stats?: ShardBookStats;
}

const STATS_EVERY_MS = 200;

/** An outbox with nothing in it yet. */
export const emptyOutbox = (): BookOutbox => ({
  type: 'books',
  states: [],
  resyncs: [],
  tops: [],
  snapshots: [],
  deltas: [],
  lines: [],
});

/** A draft made by onBook, with the clocks of the book message that made it. */
export interface BookDraft {
  d: SignalDraft;
  e: number;
  r: number;
  rr: number;
}

export class ShardBooks {
  private readonly books: BookSet;
  private readonly view = new BookViewSlot(FEATURE_DEPTH);
  private readonly tops: BookTops;
  private out = emptyOutbox();
  private dirty = false;
  private nextSampleMs: number;
  private nextStatsMs = 0;
  /** onBook drafts of the last apply(), in order (reused). */
  readonly drafts: BookDraft[] = [];

  constructor(
    private readonly opts: ShardBookOptions,
    private readonly strategies: {
      readsBooks(venue: string, symbol: string): boolean;
      onBook(b: BookView): SignalDraft[];
    },
    state: BookSetState | undefined,
  ) {
    const printDepth = opts.printDepth;
    this.books = new BookSet({
      onUpdate: (b) => {
        if (printDepth !== undefined) this.out.lines.push(bookLine(b, printDepth));
        this.tops.changed(b);
        this.dirty = true;
        if (!strategies.readsBooks(b.venue, b.symbol)) return;
        const drafts = strategies.onBook(this.view.fill(b));
        for (let i = 0; i < drafts.length; i++)
          this.drafts.push({ d: drafts[i]!, e: b.tsExchNs, r: b.tsRecvNs, rr: b.tsRecvRemNs });
      },
      onState: (b, from, reason) => {
        this.out.states.push({ venue: b.venue, symbol: b.symbol, state: b.state, from, reason, resyncs: b.resyncs });
        this.tops.changed(b);
        this.dirty = true;
      },
      onApplied: opts.deltas ? (b, m) => this.tops.applied(b, m) : undefined,
      resync: (venue, symbol, reason) => {
        this.out.resyncs.push({ venue, symbol, reason });
        this.dirty = true;
      },
      maxPending: opts.cfg.maxPendingDeltas,
      checksumDecimals: (venue, symbol) => opts.cfg.checksumDecimals?.[`${venue}:${symbol}`],
    });
    if (state) this.books.importState(state);
    this.tops = new BookTops(
      {
        tops: opts.tops ? (items) => this.out.tops.push(...items) : undefined,
        snapshots: opts.snapshots ? (items) => this.out.snapshots.push(...items) : undefined,
        deltas: opts.deltas ? (items) => this.out.deltas.push(...items) : undefined,
      },
      opts.cfg.depth,
      opts.cfg.snapshotIntervalMs,
      () => this.books.all(),
      false,
    );
    this.nextSampleMs = performance.now() + opts.cfg.snapshotIntervalMs;
  }

  /** One book message from the ring; its onBook drafts are in `drafts` afterwards. */
  apply(m: BookMessage): void {
    emptyScratch(this.drafts);
    this.books.onBookMessage(m);
  }

  /** The symbol's book is live (a tick-made draft marked `book` is gated on it). */
  live(venue: string, symbol: string): boolean {
    return this.books.get(venue, symbol)?.state === 'live';
  }

  /**
   * After a batch (and on the idle loop's wake-ups): hands what the main thread needs to `post`, one message, if
   * there is anything. `final`: the task ends; the last tops, a last sample and the counters go too.
   */
  flush(post: (m: BookOutbox) => void, final = false): void {
    const now = performance.now();
    this.tops.flush();
    if (this.opts.snapshots && (final || now >= this.nextSampleMs)) {
      this.tops.sample();
      this.nextSampleMs = now + this.opts.cfg.snapshotIntervalMs;
    }
    const out = this.out;
    if (final || (this.dirty && now >= this.nextStatsMs)) {
      out.stats = this.stats();
      this.nextStatsMs = now + STATS_EVERY_MS;
      this.dirty = false;
    }
    if (
      out.stats === undefined &&
      out.states.length + out.resyncs.length + out.tops.length + out.snapshots.length + out.deltas.length === 0 &&
      out.lines.length === 0
    )
      return;
    this.out = emptyOutbox();
    post(out);
  }

  private stats(): ShardBookStats {
    const books: BookCounters[] = [];
    for (const b of this.books.all()) books.push(countersOf(b));
    return {
      books,
      dropped: [...this.books.dropped],
      snapshots: this.books.snapshots,
      applied: this.books.applied,
    };
  }

  /** Everything the next task of this shard continues from (SIGHUP and re-warm relaunch the tasks). */
  exportState(): BookSetState {
    return this.books.exportState();
  }
}
