// Order-book imbalance / microprice momentum, on quotes: when top-of-book imbalance passes ±threshold and
// the microprice leans the same way from the mid, signal that side. Edge-triggered on entering the regime.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import { BookImbalance } from '../indicators/book-imbalance.js';
import { Microprice } from '../indicators/microprice.js';
import { clamp01, param, type StrategyFactory, type StrategyInstance } from './strategy.js';

export function imbalance(name: string, params: Record<string, number>): StrategyFactory {
  const threshold = param(params, 'threshold', 0.8, 0.01, 1, name);
  const ttlMs = param(params, 'ttlMs', 500, 1, 3_600_000, name);
  return {
    name,
    type: 'imbalance',
    create(venue, symbol): StrategyInstance {
      const imb = new BookImbalance(),
        mp = new Microprice();
      let regime = 0;
      return {
        onTick(t: Tick): SignalDraft | undefined {
          if (t.kind !== 'quote') return undefined;
          const i = imb.update(t.bidSize, t.askSize);
          const m = mp.update(t.bid, t.bidSize, t.ask, t.askSize);
          const mid = (t.bid + t.ask) / 2;
          const now = i >= threshold && m > mid ? 1 : i <= -threshold && m < mid ? -1 : 0;
          const was = regime;
          regime = now;
          if (now === 0 || now === was) return undefined;
          const side = now > 0 ? 'buy' : 'sell';
          return {
            symbol,
            venue,
            side,
            strategy: name,
            price: now > 0 ? t.ask : t.bid,
            strength: clamp01((Math.abs(i) - threshold) / (1 - threshold + 1e-12)),
            ttlMs,
            reason: `top-of-book imbalance ${i.toFixed(3)}, microprice ${now > 0 ? 'above' : 'below'} mid`,
            indicators: { imbalance: i, microprice: m, mid },
          };
        },
        snapshot: () => ({ regime }),
        restore(st) {
          regime = st.regime as number;
        },
      };
    },
  };
}
