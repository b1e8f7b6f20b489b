// Turns synced books into BookTop values for the io stage: every book that changed in this event-loop turn goes
// to the store once per turn (latest wins, as the quote hash does), and every live book that changed since the
// last sample goes to the database every `snapshotIntervalMs`; opt-in, every applied message as a raw delta row.
// Without deltas nothing here runs per book update but a Set add. On the main thread it schedules itself (once
// per turn, an interval timer); a pool shard, whose loop never yields to timers, calls flush() after each batch
// and sample() when it is due.
import type { BookDelta, BookTop } from '../model/book-top.js';
import type { BookMessage } from './message.js';
import type { SyncedBook } from './synced-book.js';

export interface BookTopSink {
  /** Latest tops, for the Redis hash (store). */
  tops?(items: BookTop[]): void;
  /** Sampled tops, for book_snapshots (database). */
  snapshots?(items: BookTop[]): void;
  /** Every applied book message, for book_deltas (database, opt-in books.deltas). */
  deltas?(items: BookDelta[]): void;
}

const pairsOf = (levels: Float64Array, n: number): Array<[number, number]> => {
  const out: Array<[number, number]> = new Array(n);
  for (let k = 0; k < n; k++) out[k] = [levels[2 * k]!, levels[2 * k + 1]!];
  return out;
};

export function bookTopOf(b: SyncedBook, depth: number, scratch: Float64Array): BookTop {
  const packed = b.book.top(scratch, depth);
  const side = (base: number, n: number): Array<[number, number]> => {
    const out: Array<[number, number]> = new Array(n);
    for (let k = 0; k < n; k++) out[k] = [scratch[base + 2 * k]!, scratch[base + 2 * k + 1]!];
    return out;
  };
  return {
    venue: b.venue,
    symbol: b.symbol,
    state: b.state,
    updateId: b.lastId,
    tsExchNs: b.tsExchNs,
    tsRecvNs: b.tsRecvNs,
    bids: side(0, packed & 0xffff),
    asks: side(2 * depth, packed >>> 16),
  };
}

export class BookTops {
  private readonly dirty = new Set<SyncedBook>();
  private readonly sampledId = new Map<SyncedBook, number>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly scratch: Float64Array;
  private deltaBatch: BookDelta[] = [];

  constructor(
    private readonly sink: BookTopSink,
    private readonly depth: number,
    snapshotIntervalMs: number,
    private readonly books: () => Iterable<SyncedBook>,
    private readonly selfScheduled = true,
  ) {
    this.scratch = new Float64Array(4 * depth);
    if (selfScheduled && sink.snapshots && snapshotIntervalMs > 0) {
      this.timer = setInterval(() => this.sample(), snapshotIntervalMs);
      this.timer.unref();
    }
  }

  /** A book changed (an update, or a state change). */
  changed(b: SyncedBook): void {
    if (!this.sink.tops) return;
    this.dirty.add(b);
    if (!this.scheduled && this.selfScheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** A message was applied to a book (opt-in raw deltas): copied, handed over once per turn. */
  applied(b: SyncedBook, m: BookMessage): void {
    if (!this.sink.deltas) return;
    this.deltaBatch.push({
      venue: b.venue,
      symbol: b.symbol,
      kind: m.kind,
      firstId: m.firstId,
      lastId: m.lastId,
      tsExchNs: m.tsExchNs,
      tsRecvNs: m.tsRecvNs,
      bids: pairsOf(m.bids, m.bidCount),
      asks: pairsOf(m.asks, m.askCount),
    });
    if (!this.scheduled && this.selfScheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.deltaBatch.length > 0) {
      const list = this.deltaBatch;
      this.deltaBatch = [];
      this.sink.deltas?.(list);
    }
    if (this.dirty.size === 0) return;
    const items: BookTop[] = [];
    for (const b of this.dirty) items.push(bookTopOf(b, this.depth, this.scratch));
    this.dirty.clear();
    this.sink.tops?.(items);
  }

  /** Every live book that changed since its last sample. */
  sample(): void {
    const items: BookTop[] = [];
    for (const b of this.books()) {
      if (b.state !== 'live' || this.sampledId.get(b) === b.lastId) continue;
      this.sampledId.set(b, b.lastId);
      items.push(bookTopOf(b, this.depth, this.scratch));
    }
    if (items.length) this.sink.snapshots?.(items);
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
    this.sample();
  }
}
