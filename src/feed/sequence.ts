// Per symbol and kind: drops duplicates, accepts late trades inside a reorder window once, refuses id jumps that
// would swallow the stream (poison), and records gaps in trade ids.
// Trade ids are contiguous on Binance, Coinbase and Kraken, so id > last+1 is a gap of (id-last-1) trades;
// Upbit's only increase (its adapter says so), so there they reveal duplicates only.
// Quote update ids only increase (not contiguous), so for quotes only regressions are detected.
import type { Tick } from '../model/tick.js';

export interface GapRecord {
  venue: string;
  symbol: string;
  kind: 'trade' | 'quote' | 'connection';
  /** First and last missing id (ids), or 0 for connection gaps. */
  fromId: number;
  toId: number;
  /** Receive-clock span of the gap, epoch ns. */
  fromNs: number;
  toNs: number;
  reason: 'sequence' | 'reconnect' | 'stale';
}

/** ok: in order; late: an id inside the reorder window not seen before (accepted once); gap: accepted after a gap;
 * duplicate: seen before or older than the window (drop); jump: a trade id beyond maxIdJump ahead, not yet
 * confirmed (drop). A quote id that far ahead is taken provisionally: the next lower id above the old high
 * shows it was an outlier, and the stream goes on from there. */
export type SequenceVerdict = 'ok' | 'late' | 'duplicate' | 'gap' | 'jump';

export interface SequenceOptions {
  /** Ids this far behind the highest one are still accepted once when not seen (late but valid). */
  reorderWindow?: number;
  /** An id further ahead than this is a poison or a restart: dropped until 3 consecutive ids confirm it. */
  maxIdJump?: number;
}

/** Per symbol and kind: the highest id and which of the `window` ids below it were seen (a ring of flags). */
class IdState {
  hi: number;
  /** Receive time of the last trade accepted in order (the start of a gap's span). */
  lastRecvNs = NaN;
  readonly seen: Uint8Array;
  /** A jumped id waiting for confirmation, and how many consistent ids followed it. */
  candidate = -1;
  candidateCount = 0;
  /** Quotes: the highest id before an unconfirmed jump (-1: none); a later id above it shows the jump was poison. */
  beforeJump = -1;
  constructor(first: number, window: number) {
    this.hi = first;
    this.seen = new Uint8Array(window);
    if (window > 0) this.seen[first % window] = 1;
  }
  advanceTo(id: number): void {
    const w = this.seen.length;
    if (w > 0) {
      if (id - this.hi >= w) this.seen.fill(0);
      else for (let k = this.hi + 1; k < id; k++) this.seen[k % w] = 0;
      this.seen[id % w] = 1;
    }
    this.hi = id;
  }
}

export class SequenceTracker {
  private readonly trades = new Map<string, IdState>();
  private readonly quotes = new Map<string, IdState>();
  duplicates = 0;
  gaps = 0;
  missingTrades = 0;
  late = 0;
  jumps = 0;
  /** The most recent gaps (bounded), for backfill and for the risk gate. */
  readonly recentGaps: GapRecord[] = [];
  private readonly window: number;
  private readonly maxJump: number;
  /** contiguousTradeIds false: trade ids only increase (Upbit), so a jump is not a gap. */
  constructor(
    private readonly maxGapRecords = 1000,
    private readonly contiguousTradeIds = true,
    opts: SequenceOptions = {},
  ) {
    this.window = opts.reorderWindow ?? 256;
    this.maxJump = opts.maxIdJump ?? 1_000_000_000;
  }

  /** Judges one tick; 'duplicate' and 'jump' ticks must be dropped by the caller. */
  check(t: Tick): SequenceVerdict {
    if (t.id < 0) return 'ok';
    const isTrade = t.kind === 'trade';
    const map = isTrade ? this.trades : this.quotes;
    const st = map.get(t.symbol);
    if (st === undefined) {
      const fresh = new IdState(t.id, isTrade ? this.window : 0);
      fresh.lastRecvNs = t.tsRecvNs;
      map.set(t.symbol, fresh);
      return 'ok';
    }
    const id = t.id,
      last = st.hi;
    if (!isTrade && id <= last && st.beforeJump >= 0 && id > st.beforeJump) {
      // The jump before this quote was an outlier: the stream goes on below it.
      st.beforeJump = -1;
      st.hi = id;
      return 'ok';
    }
    if (id <= last) {
      // Quotes only increase (no reorder window); a trade inside the window not seen yet is late, not a repeat.
      const w = st.seen.length;
      if (w > 0 && last - id < w && st.seen[id % w] === 0) {
        st.seen[id % w] = 1;
        this.late++;
        return 'late';
      }
      this.duplicates++;
      return 'duplicate';
    }
    if (id - last > this.maxJump && !isTrade) {
      // Quote ids jump legitimately (update ids are not contiguous): take it, but provisionally.
      this.jumps++;
      st.beforeJump = last;
      st.hi = id;
      return 'ok';
    }
    if (id - last > this.maxJump) {
      // One poison id must not become the high-water mark that swallows the stream; a real restart of the
      // venue's ids shows as consecutive ids up there, and is taken on the third.
      if (st.candidate >= 0 && id > st.candidate && id - st.candidate <= Math.max(this.window, 16)) st.candidateCount++;
      else st.candidateCount = 1;
      st.candidate = id;
      if (st.candidateCount < 3) {
        this.jumps++;
        return 'jump';
      }
      st.candidate = -1;
      st.candidateCount = 0;
      st.advanceTo(id);
      this.record({
        venue: t.venue,
        symbol: t.symbol,
        kind: isTrade ? 'trade' : 'quote',
        fromId: last + 1,
        toId: id - 1,
        fromNs: t.tsRecvNs,
        toNs: t.tsRecvNs,
        reason: 'sequence',
      });
      return 'gap';
    }
    st.candidate = -1;
    st.candidateCount = 0;
    st.beforeJump = -1;
    st.advanceTo(id);
    if (!isTrade) return 'ok';
    const prevNs = st.lastRecvNs === st.lastRecvNs ? st.lastRecvNs : t.tsRecvNs;
    st.lastRecvNs = t.tsRecvNs;
    if (id > last + 1 && this.contiguousTradeIds) {
      this.gaps++;
      this.missingTrades += id - last - 1;
      this.record({
        venue: t.venue,
        symbol: t.symbol,
        kind: 'trade',
        fromId: last + 1,
        toId: id - 1,
        fromNs: prevNs,
        toNs: t.tsRecvNs,
        reason: 'sequence',
      });
      return 'gap';
    }
    return 'ok';
  }

  record(g: GapRecord): void {
    this.recentGaps.push(g);
    if (this.recentGaps.length > this.maxGapRecords) this.recentGaps.shift();
  }

  /** Forget quote ids after a reconnect (some venues restart update ids per connection). */
  resetQuotes(): void {
    this.quotes.clear();
  }
}
