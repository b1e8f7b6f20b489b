// Per symbol and kind: drops duplicates / out-of-order updates and records gaps in trade ids.
// Trade ids are contiguous on Binance, Coinbase and Kraken, so id > last+1 is a gap of (id-last-1) trades;
// Upbit's only increase (its adapter says so), so there they reveal duplicates only.
// Quote update ids only increase (not contiguous), so for quotes only regressions are detected.
import type { Tick } from '../model/tick.js';

export interface GapRecord {
  venue: string; symbol: string; kind: 'trade' | 'quote' | 'connection';
  /** First and last missing id (ids), or 0 for connection gaps. */
  fromId: number; toId: number;
  /** Receive-clock span of the gap, epoch ns. */
  fromNs: number; toNs: number;
  reason: 'sequence' | 'reconnect' | 'stale';
}

export type SequenceVerdict = 'ok' | 'duplicate' | 'gap';

export class SequenceTracker {
  private readonly lastTradeId = new Map<string, number>();
  private readonly lastQuoteId = new Map<string, number>();
  private readonly lastRecvNs = new Map<string, number>();
  duplicates = 0;
  gaps = 0;
  missingTrades = 0;
  /** The most recent gaps (bounded), for backfill and for the risk gate. */
  readonly recentGaps: GapRecord[] = [];
  /** contiguousTradeIds false: trade ids only increase (Upbit), so a jump is not a gap. */
  constructor(private readonly maxGapRecords = 1000, private readonly contiguousTradeIds = true) {}

  /** Judges one tick; 'duplicate' ticks must be dropped by the caller. */
  check(t: Tick): SequenceVerdict {
    if (t.id < 0) return 'ok';
    const key = t.symbol;
    if (t.kind === 'trade') {
      const last = this.lastTradeId.get(key);
      if (last !== undefined && t.id <= last) { this.duplicates++; return 'duplicate'; }
      this.lastTradeId.set(key, t.id);
      const prevNs = this.lastRecvNs.get(key) ?? t.tsRecvNs;
      this.lastRecvNs.set(key, t.tsRecvNs);
      if (last !== undefined && t.id > last + 1 && this.contiguousTradeIds) {
        this.gaps++;
        this.missingTrades += t.id - last - 1;
        this.record({ venue: t.venue, symbol: t.symbol, kind: 'trade', fromId: last + 1, toId: t.id - 1, fromNs: prevNs, toNs: t.tsRecvNs, reason: 'sequence' });
        return 'gap';
      }
      return 'ok';
    }
    const last = this.lastQuoteId.get(key);
    if (last !== undefined && t.id <= last) { this.duplicates++; return 'duplicate'; }
    this.lastQuoteId.set(key, t.id);
    return 'ok';
  }

  record(g: GapRecord): void {
    this.recentGaps.push(g);
    if (this.recentGaps.length > this.maxGapRecords) this.recentGaps.shift();
  }

  /** Forget quote ids after a reconnect (some venues restart update ids per connection). */
  resetQuotes(): void { this.lastQuoteId.clear(); }
}
