// EMA crossover with an RSI filter, on trade prices: buy when the fast EMA crosses above the slow one
// and RSI is below rsiBuyMax; sell on the cross below with RSI above rsiSellMin.
// Strength: the EMA gap in basis points over `fullStrengthBps`, capped at 1.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import { EMA } from '../indicators/ema.js';
import { RSI } from '../indicators/rsi.js';
import { StrategyParamError } from '../model/errors.js';
import { clamp01, param, tradeSeries, type StrategyFactory, type StrategyInstance } from './strategy.js';

export function emaCross(name: string, params: Record<string, number>): StrategyFactory {
  const fast = param(params, 'fast', 12, 1, 10_000, name),
    slow = param(params, 'slow', 26, 2, 10_000, name);
  if (fast >= slow) throw new StrategyParamError(`strategies.${name}.params.fast`, fast, `less than slow (${slow})`);
  const rsiPeriod = param(params, 'rsiPeriod', 14, 2, 10_000, name);
  const rsiBuyMax = param(params, 'rsiBuyMax', 70, 0, 101, name),
    rsiSellMin = param(params, 'rsiSellMin', 30, -1, 100, name);
  const ttlMs = param(params, 'ttlMs', 2000, 1, 3_600_000, name),
    fullBps = param(params, 'fullStrengthBps', 5, 0.001, 10_000, name);
  return {
    name,
    type: 'ema-cross',
    create(venue, symbol): StrategyInstance {
      const f = new EMA(fast),
        s = new EMA(slow),
        r = new RSI(rsiPeriod);
      let prevDiff = NaN;
      return {
        onTick(t: Tick): SignalDraft | undefined {
          if (t.kind !== 'trade') return undefined;
          const a = f.update(t.price),
            b = s.update(t.price),
            rsi = r.update(t.price);
          if (!s.ready || !r.ready) return undefined;
          const diff = a - b;
          const was = prevDiff;
          prevDiff = diff;
          if (Number.isNaN(was)) return undefined;
          let side: 'buy' | 'sell' | undefined;
          if (was <= 0 && diff > 0 && rsi < rsiBuyMax) side = 'buy';
          else if (was >= 0 && diff < 0 && rsi > rsiSellMin) side = 'sell';
          if (!side) return undefined;
          const gapBps = (Math.abs(diff) / b) * 1e4;
          return {
            symbol,
            venue,
            side,
            strategy: name,
            price: t.price,
            strength: clamp01(gapBps / fullBps),
            ttlMs,
            reason: `ema${fast} crossed ${side === 'buy' ? 'above' : 'below'} ema${slow}, rsi ${rsi.toFixed(1)}`,
            indicators: { emaFast: a, emaSlow: b, rsi },
          };
        },
        warm(history, k) {
          const { price } = tradeSeries(history);
          f.warmFrom(price, k);
          s.warmFrom(price, k);
          r.warmFrom(price, k);
          // onTick sets prevDiff on every trade once both are ready (and readiness never goes back).
          if (s.ready && r.ready) prevDiff = f.value - s.value;
        },
        snapshot: () => ({
          f: f.snapshot(),
          s: s.snapshot(),
          r: r.snapshot(),
          prevDiff: Number.isNaN(prevDiff) ? null : prevDiff,
        }),
        restore(st) {
          f.restore(st.f as never);
          s.restore(st.s as never);
          r.restore(st.r as never);
          prevDiff = st.prevDiff === null ? NaN : (st.prevDiff as number);
        },
      };
    },
  };
}
