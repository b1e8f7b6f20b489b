// Risk gates in front of the signal socket. A draft passes only if: the kill switch is off; the symbol and
// its feed are not stale; no sequence gap in the last gapQuietMs; a draft made from book values only while that
// book is live; the spread is within maxSpreadBps; the
// (symbol, strategy) cooldown has passed; the global and per-symbol signals-per-second caps hold.
// Time is the tick's exchange time, so replays gate identically. Every suppression is counted by reason.
import type { SignalDraft } from '../model/signal.js';
import type { ChristmasConfig } from '../config/types.js';

export type SuppressReason =
  'kill-switch' | 'stale' | 'gap' | 'book' | 'spread' | 'cooldown' | 'rate-global' | 'rate-symbol';

export interface MarketView {
  isStale(venue: string, symbol: string): boolean;
  /** Exchange-time ms of the last sequence gap on this symbol (NaN if none). */
  lastGapMs(venue: string, symbol: string): number;
  /** The symbol's L2 book is live (drafts made from book values pass only then). */
  bookLive(venue: string, symbol: string): boolean;
  /** Current spread in bps (NaN if no quote yet). */
  spreadBps(venue: string, symbol: string): number;
}

class SecondCounter {
  second = -1;
  count = 0;
  hit(nowMs: number): number {
    const s = Math.floor(nowMs / 1000);
    if (s !== this.second) {
      this.second = s;
      this.count = 0;
    }
    return ++this.count;
  }
}

/** Per symbol: its signals-per-second counter and the last signal time per strategy (cooldown). */
interface SymbolRisk {
  rate: SecondCounter;
  lastSignalMs: Map<string, number>;
}

export class RiskGate {
  killed = false;
  readonly suppressed: Record<SuppressReason, number> = {
    'kill-switch': 0,
    stale: 0,
    gap: 0,
    book: 0,
    spread: 0,
    cooldown: 0,
    'rate-global': 0,
    'rate-symbol': 0,
  };
  passed = 0;
  /** By venue, then symbol: no key string built per draft. */
  private readonly bySymbol = new Map<string, Map<string, SymbolRisk>>();
  private readonly global = new SecondCounter();
  constructor(
    private cfg: ChristmasConfig['risk'],
    private readonly market: MarketView,
  ) {}

  /** SIGHUP: new limits, state kept. */
  reload(cfg: ChristmasConfig['risk']): void {
    this.cfg = cfg;
  }

  /**
   * bookLive, spreadBps: the market the draft saw where it was made off this thread (a pool shard); undefined:
   * the market view's (this thread's) state.
   */
  check(d: SignalDraft, nowMs: number, bookLive?: boolean, spreadBps?: number): SuppressReason | undefined {
    const r = this.verdict(d, nowMs, bookLive, spreadBps);
    if (r) this.suppressed[r]++;
    else this.passed++;
    return r;
  }

  private verdict(
    d: SignalDraft,
    nowMs: number,
    bookLive: boolean | undefined,
    spreadBps: number | undefined,
  ): SuppressReason | undefined {
    if (this.killed) return 'kill-switch';
    if (this.market.isStale(d.venue, d.symbol)) return 'stale';
    const gap = this.market.lastGapMs(d.venue, d.symbol);
    if (this.cfg.gapQuietMs > 0 && gap === gap && nowMs - gap < this.cfg.gapQuietMs) return 'gap';
    if (d.book === true && !(bookLive ?? this.market.bookLive(d.venue, d.symbol))) return 'book';
    const spread = spreadBps ?? this.market.spreadBps(d.venue, d.symbol);
    if (spread === spread && spread > this.cfg.maxSpreadBps) return 'spread';
    const risk = this.symbolRisk(d.venue, d.symbol);
    const last = risk.lastSignalMs.get(d.strategy);
    if (last !== undefined && nowMs - last < this.cfg.cooldownMs) return 'cooldown';
    const c = risk.rate;
    // Count against both caps only once the draft is otherwise allowed.
    if (this.global.count >= this.cfg.maxSignalsPerSec && Math.floor(nowMs / 1000) === this.global.second)
      return 'rate-global';
    if (c.count >= this.cfg.maxSignalsPerSecPerSymbol && Math.floor(nowMs / 1000) === c.second) return 'rate-symbol';
    this.global.hit(nowMs);
    c.hit(nowMs);
    risk.lastSignalMs.set(d.strategy, nowMs);
    return undefined;
  }

  private symbolRisk(venue: string, symbol: string): SymbolRisk {
    let byVenue = this.bySymbol.get(venue);
    if (!byVenue) {
      byVenue = new Map();
      this.bySymbol.set(venue, byVenue);
    }
    let r = byVenue.get(symbol);
    if (!r) {
      r = { rate: new SecondCounter(), lastSignalMs: new Map() };
      byVenue.set(symbol, r);
    }
    return r;
  }
}
