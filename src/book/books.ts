// Every symbol's L2 book of one thread: routes each venue message to its symbol's SyncedBook, applies it under
// the venue's sequence rule, and handles what can go wrong per symbol, never per connection: deltas before the
// REST snapshot are buffered, a gap or crossed book or checksum mismatch invalidates just that book and asks for
// its resync (a REST snapshot or a resubscribe, `resync`), a stale delta or a bad level is dropped. Everything
// dropped is counted by reason. `onUpdate` sees each live book after every change.
import { ASK, BID, type L2Book } from './book.js';
import { copyMessage, type BookInput, type BookMessage } from './message.js';
import { sequenceRuleFor, type SequenceRule } from './sequence-rules.js';
import { SyncedBook, type BookState } from './synced-book.js';
import { newBook } from '../native/index.js';

export interface BookSetOptions {
  /** A live book changed (after a delta or a snapshot). */
  onUpdate?: (b: SyncedBook) => void;
  /** The message just applied to a book (valid during the call), for raw book_deltas. */
  onApplied?: (b: SyncedBook, m: BookMessage) => void;
  /** A book changed state (`reason` says why it left live). */
  onState?: (b: SyncedBook, from: BookState, reason: string) => void;
  /**
   * The book needs a snapshot (REST) or a resubscribe (stream snapshots): `initial` for the first one, else the
   * reason it left live (gap, crossed, checksum, stale, ...).
   */
  resync?: (venue: string, symbol: string, reason: string) => void;
  /** Deltas kept per symbol while a REST snapshot is awaited; the oldest go first past this. Default 10,000. */
  maxPending?: number;
  /** Makes each symbol's book (default: native when the kernels are, else TypeScript; tests pick one). */
  makeBook?: () => L2Book;
  /**
   * Checksum decimals per symbol (price, size) where the venue's numbers do not carry them (Kraken v2 sends JSON
   * numbers): configured (books.checksumDecimals), else the most decimals seen in the snapshot's levels.
   */
  checksumDecimals?: (venue: string, symbol: string) => [number, number] | undefined;
}

/** The most decimal digits among a message side's prices (at 0) or sizes (at 1), as their shortest form prints. */
function maxDecimals(levels: Float64Array, count: number, at: 0 | 1): number {
  let most = 0;
  for (let i = 0; i < count; i++) {
    const v = levels[2 * i + at]!;
    if (!(v > 0 && v < 1e15)) continue;
    const s = String(v);
    const e = s.indexOf('e-');
    const d =
      e >= 0
        ? Number(s.slice(e + 2)) + Math.max(0, s.indexOf('.') >= 0 ? e - s.indexOf('.') - 1 : 0)
        : s.indexOf('.') >= 0
          ? s.length - s.indexOf('.') - 1
          : 0;
    if (d > most) most = d;
  }
  return Math.min(most, 20);
}

/** One exported book: its SyncedBook fields and its levels (best first, price/size pairs). */
type BookState_ = Omit<SyncedBook, 'book' | 'key'> & { bids: Float64Array; asks: Float64Array };

/** A BookSet's whole state, structured-cloneable (a shard's books across a relaunch of its task). */
export interface BookSetState {
  books: BookState_[];
  dropped: Array<[string, number]>;
  snapshots: number;
  applied: number;
}

export class BookSet implements BookInput {
  private readonly books = new Map<string, SyncedBook>();
  /** Drops and invalidations by reason (gap, crossed, checksum, stale-delta, bad-level, pending-overflow, ...). */
  readonly dropped = new Map<string, number>();
  snapshots = 0;
  applied = 0;
  private readonly maxPending: number;

  constructor(private readonly opts: BookSetOptions = {}) {
    this.maxPending = opts.maxPending ?? 10_000;
  }

  /** The book of venue:symbol, if a message for it was seen. */
  get(venue: string, symbol: string): SyncedBook | undefined {
    return this.books.get(`${venue}:${symbol}`);
  }

  all(): IterableIterator<SyncedBook> {
    return this.books.values();
  }

  onBookMessage(m: BookMessage): void {
    const rule = sequenceRuleFor(m.venue);
    if (rule === undefined) {
      this.count('no-book-venue');
      return;
    }
    const key = `${m.venue}:${m.symbol}`;
    let b = this.books.get(key);
    if (b === undefined) {
      b = new SyncedBook(m.venue, m.symbol, this.opts.makeBook?.() ?? newBook());
      this.books.set(key, b);
    }
    if (m.kind === 'snapshot') this.snapshot(b, m, rule);
    else if (!b.synced) this.buffer(b, m, rule);
    else this.delta(b, m, rule);
  }

  private buffer(b: SyncedBook, m: BookMessage, rule: SequenceRule): void {
    if (!rule.restSnapshot) {
      this.count('before-snapshot'); // stream-snapshot venues: the snapshot comes first, anything before is noise
      return;
    }
    if (!b.snapshotRequested) {
      b.snapshotRequested = true;
      this.opts.resync?.(b.venue, b.symbol, 'initial');
    }
    if (b.pending.length >= this.maxPending) {
      b.pending.shift();
      this.count('pending-overflow');
    }
    b.pending.push(copyMessage(m));
  }

  private snapshot(b: SyncedBook, m: BookMessage, rule: SequenceRule): void {
    this.snapshots++;
    b.snapshotRequested = false;
    b.book.clear();
    if (!this.load(b, m, rule.keepLevels)) return;
    b.synced = true;
    b.snapshotId = m.lastId;
    b.lastId = m.lastId;
    b.streamEpoch = m.streamEpoch;
    b.awaitingFirst = true;
    b.tsExchNs = m.tsExchNs;
    b.tsRecvNs = m.tsRecvNs;
    b.tsRecvRemNs = m.tsRecvRemNs;
    if (rule.checksum) {
      b.checksumDecimals = this.opts.checksumDecimals?.(b.venue, b.symbol) ?? [
        Math.max(maxDecimals(m.bids, m.bidCount, 0), maxDecimals(m.asks, m.askCount, 0)),
        Math.max(maxDecimals(m.bids, m.bidCount, 1), maxDecimals(m.asks, m.askCount, 1)),
      ];
      if (!this.checksumHolds(b, m)) return;
    }
    if (this.crossed(b)) return;
    const pending = b.pending;
    b.pending = [];
    this.setState(b, 'live', '');
    this.opts.onApplied?.(b, m);
    this.changed(b);
    for (const p of pending) {
      if (b.state !== 'live') break;
      this.delta(b, p, rule);
    }
  }

  private delta(b: SyncedBook, m: BookMessage, rule: SequenceRule): void {
    if (b.state !== 'live') {
      this.buffer(b, m, rule);
      return;
    }
    const verdict =
      m.streamEpoch !== b.streamEpoch ? 'gap' : b.awaitingFirst ? rule.first(b.snapshotId, m) : rule.next(b.lastId, m);
    if (verdict === 'stale') {
      this.count('stale-delta');
      return;
    }
    if (verdict === 'gap') {
      this.invalidate(b, 'gap');
      this.buffer(b, m, rule);
      return;
    }
    if (!this.load(b, m, rule.keepLevels)) return;
    b.awaitingFirst = false;
    if (m.lastId >= 0) b.lastId = m.lastId;
    b.tsExchNs = m.tsExchNs;
    b.tsRecvNs = m.tsRecvNs;
    b.tsRecvRemNs = m.tsRecvRemNs;
    if (rule.checksum && !this.checksumHolds(b, m)) return;
    if (this.crossed(b)) return;
    this.opts.onApplied?.(b, m);
    this.changed(b);
  }

  /** Applies a message's levels; a level with a bad price or size is skipped and counted. */
  private load(b: SyncedBook, m: BookMessage, keepLevels?: number): boolean {
    const skipped = b.book.apply(BID, m.bids, m.bidCount) + b.book.apply(ASK, m.asks, m.askCount);
    if (skipped > 0) this.count('bad-level', skipped);
    if (keepLevels !== undefined) {
      b.book.truncate(BID, keepLevels);
      b.book.truncate(ASK, keepLevels);
    }
    return true;
  }

  private crossed(b: SyncedBook): boolean {
    const bid = b.book.bestPrice(BID),
      ask = b.book.bestPrice(ASK);
    if (!(bid >= ask)) return false;
    this.invalidate(b, 'crossed');
    return true;
  }

  private checksumHolds(b: SyncedBook, m: BookMessage): boolean {
    if (m.checksum < 0) return true;
    const [pd, sd] = b.checksumDecimals;
    if (b.book.krakenChecksum(pd, sd) === m.checksum) return true;
    this.invalidate(b, 'checksum');
    return false;
  }

  private changed(b: SyncedBook): void {
    b.applied++;
    this.applied++;
    this.opts.onUpdate?.(b);
  }

  /** Out of live for `reason`: cleared, counted, and resynced (that symbol only). */
  invalidate(b: SyncedBook, reason: string): void {
    this.count(reason);
    b.invalidReason = reason;
    b.book.clear();
    b.pending = [];
    b.synced = false;
    b.snapshotId = -1;
    b.awaitingFirst = false;
    this.setState(b, 'invalid', reason);
    b.resyncs++;
    this.setState(b, 'syncing', reason);
    b.snapshotRequested = true;
    this.opts.resync?.(b.venue, b.symbol, reason);
  }

  private setState(b: SyncedBook, to: BookState, reason: string): void {
    const from = b.state;
    if (from === to) return;
    b.state = to;
    this.opts.onState?.(b, from, reason);
  }

  /** Every book with its levels and sync state, and the counters: what a relaunched shard task continues from. */
  exportState(): BookSetState {
    const books: BookState_[] = [];
    for (const b of this.books.values()) {
      const depth = Math.max(b.book.levels(BID), b.book.levels(ASK), 1);
      const top = new Float64Array(4 * depth);
      const packed = b.book.top(top, depth);
      const { book: _book, ...fields } = b;
      books.push({
        ...fields,
        bids: top.slice(0, 2 * (packed & 0xffff)),
        asks: top.slice(2 * depth, 2 * depth + 2 * (packed >>> 16)),
      });
    }
    return { books, dropped: [...this.dropped], snapshots: this.snapshots, applied: this.applied };
  }

  /** Takes over an exported state (this set is new: no book of its own yet). */
  importState(s: BookSetState): void {
    for (const e of s.books) {
      const { bids, asks, ...fields } = e;
      const b = Object.assign(new SyncedBook(e.venue, e.symbol, this.opts.makeBook?.() ?? newBook()), fields);
      b.book.apply(BID, bids, bids.length / 2);
      b.book.apply(ASK, asks, asks.length / 2);
      this.books.set(b.key, b);
    }
    for (const [r, n] of s.dropped) this.count(r, n);
    this.snapshots += s.snapshots;
    this.applied += s.applied;
  }

  private count(reason: string, n = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }
}
