// Per-symbol market state that the risk gate reads and a re-warm cuts history by: tick counts, the last
// spread, the exchange time of the last sequence gap, and the receive time and venue ids of the last tick.
// Updated on the hot path (one map lookup per tick, no allocation after a symbol's first tick).
import type { Tick } from '../model/tick.js';
import type { MarketView } from './risk.js';

export interface SymbolState {
  venue: string;
  symbol: string;
  trades: number;
  quotes: number;
  spreadBps: number;
  lastGapMs: number;
  /** Receive time of the symbol's last tick: where a re-warm cuts history from live. */
  lastRecvNs: number;
  /** The venue ids of the last trade and quote (the re-warm cut: the store keeps ids, not receive times). */
  lastTradeId: number;
  lastQuoteId: number;
}

/** A quote's spread in bps of its mid (the risk gate's maxSpreadBps check; the pool's shards compute it too). */
export const spreadBpsOf = (bid: number, ask: number): number => ((ask - bid) / ((ask + bid) / 2)) * 1e4;

export class MarketState {
  private readonly byVenue = new Map<string, Map<string, SymbolState>>();
  /** The last symbol looked up: a stream's ticks come in runs of one symbol, and a run pays no map lookup. */
  private last: SymbolState | undefined;

  private stateOf(t: Tick): SymbolState {
    const last = this.last;
    if (last !== undefined && last.symbol === t.symbol && last.venue === t.venue) return last;
    let m = this.byVenue.get(t.venue);
    if (!m) {
      m = new Map();
      this.byVenue.set(t.venue, m);
    }
    let s = m.get(t.symbol);
    if (!s) {
      s = {
        venue: t.venue,
        symbol: t.symbol,
        trades: 0,
        quotes: 0,
        spreadBps: NaN,
        lastGapMs: NaN,
        lastRecvNs: -Infinity,
        lastTradeId: -Infinity,
        lastQuoteId: -Infinity,
      };
      m.set(t.symbol, s);
    }
    this.last = s;
    return s;
  }

  onTick(t: Tick): void {
    const s = this.stateOf(t);
    if (t.kind === 'trade') {
      s.trades++;
      s.lastTradeId = t.id;
    } else {
      s.quotes++;
      s.spreadBps = spreadBpsOf(t.bid, t.ask);
      s.lastQuoteId = t.id;
    }
    s.lastRecvNs = t.tsRecvNs;
  }

  /** A trade-id gap was detected just before this tick. */
  onGap(t: Tick): void {
    this.stateOf(t).lastGapMs = t.tsExchNs / 1e6;
  }

  *symbols(): IterableIterator<SymbolState> {
    for (const m of this.byVenue.values()) yield* m.values();
  }

  /** The risk gate's view: staleness comes from the feeds (replay: never stale), book states from the books. */
  view(
    isStale: (venue: string, symbol: string) => boolean,
    bookLive: (venue: string, symbol: string) => boolean = () => false,
  ): MarketView {
    return {
      isStale,
      bookLive,
      lastGapMs: (v, s) => this.byVenue.get(v)?.get(s)?.lastGapMs ?? NaN,
      spreadBps: (v, s) => this.byVenue.get(v)?.get(s)?.spreadBps ?? NaN,
    };
  }

  /** Ticks seen per symbol and kind (metrics and `top`). */
  counts(): Array<{ venue: string; symbol: string; kind: string; count: number }> {
    const out: Array<{ venue: string; symbol: string; kind: string; count: number }> = [];
    for (const s of this.symbols()) {
      out.push({ venue: s.venue, symbol: s.symbol, kind: 'trade', count: s.trades });
      out.push({ venue: s.venue, symbol: s.symbol, kind: 'quote', count: s.quotes });
    }
    return out;
  }
}
