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
  /** Kraken checksum decimals per symbol (price, size), from the instrument info. */
  checksumDecimals?: (venue: string, symbol: string) => [number, number] | undefined;
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
    else if (b.snapshotId < 0) this.buffer(b, m, rule);
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
    if (!this.load(b, m)) return;
    b.snapshotId = m.lastId;
    b.lastId = m.lastId;
    b.awaitingFirst = true;
    b.tsExchNs = m.tsExchNs;
    b.tsRecvNs = m.tsRecvNs;
    if (rule.checksum && !this.checksumHolds(b, m)) return;
    if (this.crossed(b)) return;
    const pending = b.pending;
    b.pending = [];
    this.setState(b, 'live', '');
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
    const verdict = b.awaitingFirst ? rule.first(b.snapshotId, m) : rule.next(b.lastId, m);
    if (verdict === 'stale') {
      this.count('stale-delta');
      return;
    }
    if (verdict === 'gap') {
      this.invalidate(b, 'gap');
      this.buffer(b, m, rule);
      return;
    }
    if (!this.load(b, m)) return;
    b.awaitingFirst = false;
    if (m.lastId >= 0) b.lastId = m.lastId;
    b.tsExchNs = m.tsExchNs;
    b.tsRecvNs = m.tsRecvNs;
    if (rule.checksum && !this.checksumHolds(b, m)) return;
    if (this.crossed(b)) return;
    this.changed(b);
  }

  /** Applies a message's levels; a level with a bad price or size is skipped and counted. */
  private load(b: SyncedBook, m: BookMessage): boolean {
    const skipped = b.book.apply(BID, m.bids, m.bidCount) + b.book.apply(ASK, m.asks, m.askCount);
    if (skipped > 0) this.count('bad-level', skipped);
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
    const decimals = this.opts.checksumDecimals?.(b.venue, b.symbol);
    if (decimals === undefined) return true;
    if (b.book.krakenChecksum(decimals[0], decimals[1]) === m.checksum) return true;
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

  private count(reason: string, n = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }
}
