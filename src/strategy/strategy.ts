// The strategy contract: a factory per configured strategy makes one instance per symbol; an instance
// sees every tick (and, with onBook, every live L2 book update) of its symbol in order and may return a signal draft. Pure computation: no I/O, no
// clocks (time comes from the tick's exchange time, so replays are deterministic).
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import { StrategyParamError } from '../model/errors.js';
import type { Kernels } from '../native/kernels.js';
import type { BookView } from '../book/view.js';

export interface StrategyInstance {
  onTick(t: Tick): SignalDraft | undefined;
  /**
   * Optional: each update of the symbol's L2 book while it is live (depth streams), in order with its ticks. A
   * draft made from book values should set `book: true`, so the risk gate holds it back if the book is not live
   * by the time it is checked.
   */
  onBook?(b: BookView): SignalDraft | undefined;
  /**
   * Optional batch warm-up of a fresh instance from one symbol's history (oldest first) with the batch kernels:
   * must leave exactly the state that onTick over each tick would (its drafts are history: never emitted).
   */
  warm?(history: readonly Tick[], k: Kernels): void;
  snapshot(): Record<string, unknown>;
  restore(s: Record<string, unknown>): void;
}

export interface StrategyFactory {
  readonly name: string;
  readonly type: string;
  create(venue: string, symbol: string): StrategyInstance;
}

export function param(
  params: Record<string, number>,
  key: string,
  dflt: number,
  min: number,
  max: number,
  strategy: string,
): number {
  const v = params[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new StrategyParamError(`strategies.${strategy}.params.${key}`, v, `a number from ${min} to ${max}`);
  }
  return v;
}

/** The trade prices (and sizes, exchange ms) of a history, for batch warm-ups. */
export function tradeSeries(history: readonly Tick[]): { price: Float64Array; size: Float64Array; ms: Float64Array } {
  let n = 0;
  for (let i = 0; i < history.length; i++) if (history[i]!.kind === 'trade') n++;
  const price = new Float64Array(n),
    size = new Float64Array(n),
    ms = new Float64Array(n);
  for (let i = 0, j = 0; i < history.length; i++) {
    const t = history[i]!;
    if (t.kind !== 'trade') continue;
    price[j] = t.price;
    size[j] = t.size;
    ms[j++] = t.tsExchNs / 1e6;
  }
  return { price, size, ms };
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
