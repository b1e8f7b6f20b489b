// The computation both compute modes run: per symbol, every configured strategy instance sees each tick
// in order and may produce a draft. Runs on the main thread (inline) or inside a pool worker (pool).
import type { Tick } from '../model/tick.js';
import { emptyScratch } from '../model/scratch.js';
import type { SignalDraft } from '../model/signal.js';
import type { StrategyConfig } from '../config/types.js';
import { buildStrategies } from '../strategy/registry.js';
import type { StrategyInstance } from '../strategy/strategy.js';
import type { Kernels } from '../native/kernels.js';
import type { BookView } from '../book/view.js';
import { spreadBpsOf } from '../strategy/market.js';

interface SymbolStrategies {
  venue: string;
  symbol: string;
  instances: StrategyInstance[];
  /** Some instance has onBook (book updates for a symbol without one cost nothing). */
  readsBooks: boolean;
  /** The configured strategy name of each instance (for a throwing instance's report). */
  names: string[];
  /** Spread of the symbol's last quote in bps (NaN before one): what the risk gate checks a draft against. */
  spreadBps: number;
}

/** What a strategy instance that threw is replaced by: no signals, no state. */
const DISABLED: StrategyInstance = {
  onTick: () => undefined,
  snapshot: () => ({ disabled: true }),
  restore: () => undefined,
};

export class ComputeCore {
  /** By venue, then symbol (no key string per tick). */
  private readonly bySymbol = new Map<string, Map<string, SymbolStrategies>>();
  /** The last symbol looked up: a stream's ticks come in runs of one symbol, and a run pays no map lookup. */
  private last: SymbolStrategies | undefined;
  private factories;
  /** Drafts of the last onTick (reused array). */
  readonly drafts: SignalDraft[] = [];
  ticks = 0;
  /** Instances disabled after throwing, by strategy name. */
  readonly strategyErrors = new Map<string, number>();
  /** Told once per instance that throws (it is disabled: its symbol's other strategies go on). */
  onStrategyError?: (strategy: string, venue: string, symbol: string, message: string) => void;

  constructor(strategies: readonly StrategyConfig[]) {
    this.factories = buildStrategies(strategies);
  }

  /** Strategy parameters changed (SIGHUP): rebuild instances; warm state is re-created from the next ticks. */
  reload(strategies: readonly StrategyConfig[]): void {
    this.factories = buildStrategies(strategies);
    this.bySymbol.clear();
    this.last = undefined;
  }

  private forSymbol(venue: string, symbol: string): SymbolStrategies {
    const last = this.last;
    if (last !== undefined && last.symbol === symbol && last.venue === venue) return last;
    let byVenue = this.bySymbol.get(venue);
    if (!byVenue) {
      byVenue = new Map();
      this.bySymbol.set(venue, byVenue);
    }
    let s = byVenue.get(symbol);
    if (!s) {
      const key = `${venue}:${symbol}`;
      const chosen = this.factories.filter((f) => !f.symbols || f.symbols.has(key));
      s = { venue, symbol, instances: [], names: chosen.map((f) => f.factory.name), readsBooks: false, spreadBps: NaN };
      for (const f of chosen) {
        try {
          s.instances.push(f.factory.create(venue, symbol));
        } catch (err) {
          s.instances.push(DISABLED);
          this.failed(f.factory.name, venue, symbol, err);
        }
      }
      s.readsBooks = s.instances.some((i) => i.onBook !== undefined);
      byVenue.set(symbol, s);
    }
    this.last = s;
    return s;
  }

  /** The spread of the symbol's last quote this core computed, in bps (NaN before one). */
  spreadBps(venue: string, symbol: string): number {
    return this.bySymbol.get(venue)?.get(symbol)?.spreadBps ?? NaN;
  }

  /** True when one of the symbol's strategy instances reads L2 books. */
  readsBooks(venue: string, symbol: string): boolean {
    return this.forSymbol(venue, symbol).readsBooks;
  }

  /** Runs the tick through its symbol's strategies; returns the (reused) drafts array. */
  onTick(t: Tick): SignalDraft[] {
    this.ticks++;
    const out = this.drafts;
    emptyScratch(out);
    const s = this.forSymbol(t.venue, t.symbol);
    if (t.kind === 'quote') s.spreadBps = spreadBpsOf(t.bid, t.ask);
    for (let i = 0; i < s.instances.length; i++) {
      let d: SignalDraft | undefined;
      try {
        d = s.instances[i]!.onTick(t);
      } catch (err) {
        s.instances[i] = DISABLED;
        this.failed(s.names[i]!, t.venue, t.symbol, err);
        continue;
      }
      if (d) out.push(d);
    }
    return out;
  }

  /** Runs a live book update through its symbol's strategies that read books; returns the (reused) drafts. */
  onBook(b: BookView): SignalDraft[] {
    const out = this.drafts;
    emptyScratch(out);
    const s = this.forSymbol(b.venue, b.symbol);
    for (let i = 0; i < s.instances.length; i++) {
      const inst = s.instances[i]!;
      if (inst.onBook === undefined) continue;
      let d: SignalDraft | undefined;
      try {
        d = inst.onBook(b);
      } catch (err) {
        s.instances[i] = DISABLED;
        this.failed(s.names[i]!, b.venue, b.symbol, err);
        continue;
      }
      if (d) out.push(d);
    }
    return out;
  }

  private failed(strategy: string, venue: string, symbol: string, err: unknown): void {
    this.strategyErrors.set(strategy, (this.strategyErrors.get(strategy) ?? 0) + 1);
    this.onStrategyError?.(strategy, venue, symbol, (err as Error)?.message ?? String(err));
  }

  /**
   * Warms a symbol this core has not seen from its history (oldest first): strategies with a batch warm-up run
   * it on the kernels, the others take each tick in turn; history's drafts are dropped. A symbol already seen
   * is streamed tick by tick. Returns how many instances the batch kernels warmed.
   */
  warmSymbol(venue: string, symbol: string, history: readonly Tick[], k: Kernels): number {
    const fresh = !this.bySymbol.get(venue)?.has(symbol);
    const s = this.forSymbol(venue, symbol);
    let batched = 0;
    s.instances.forEach((inst, j) => {
      try {
        if (fresh && inst.warm) {
          inst.warm(history, k);
          batched++;
        } else for (let i = 0; i < history.length; i++) inst.onTick(history[i]!);
      } catch (err) {
        s.instances[j] = DISABLED;
        this.failed(s.names[j]!, venue, symbol, err);
      }
    });
    this.ticks += history.length;
    return batched;
  }

  snapshot(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const [venue, byVenue] of this.bySymbol)
      for (const [symbol, s] of byVenue) o[`${venue}:${symbol}`] = s.instances.map((i) => i.snapshot());
    return o;
  }

  restore(snap: Record<string, unknown>): void {
    for (const [k, arr] of Object.entries(snap)) {
      const i = k.indexOf(':');
      const s = this.forSymbol(k.slice(0, i), k.slice(i + 1));
      (arr as Array<Record<string, unknown>>).forEach((st, j) => s.instances[j]?.restore(st));
    }
  }
}
