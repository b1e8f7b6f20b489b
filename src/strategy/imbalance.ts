// Order-book imbalance / microprice momentum: when the imbalance passes ±threshold and the microprice leans the
// same way from the mid, signal that side. Edge-triggered on entering the regime. On a symbol with an L2 book
// (depth stream) it reads the book: imbalance over the best `levels` per side weighted decay^k by level, and
// the depth-weighted microprice; until then (and on symbols without one) the top of book from quotes.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import { BookImbalance } from '../indicators/book-imbalance.js';
import { Microprice } from '../indicators/microprice.js';
import { clamp01, param, type StrategyFactory, type StrategyInstance } from './strategy.js';
import type { BookView } from '../book/view.js';
import { depthImbalance, depthMicroprice } from '../book/features.js';

export function imbalance(name: string, params: Record<string, number>): StrategyFactory {
  const threshold = param(params, 'threshold', 0.8, 0.01, 1, name);
  const ttlMs = param(params, 'ttlMs', 500, 1, 3_600_000, name);
  const levels = Math.round(param(params, 'levels', 5, 1, 20, name));
  const decay = param(params, 'decay', 0.5, 0.01, 1, name);
  return {
    name,
    type: 'imbalance',
    create(venue, symbol): StrategyInstance {
      const imb = new BookImbalance(),
        mp = new Microprice();
      let regime = 0;
      let hasBook = false;
      const enter = (
        i: number,
        m: number,
        bid: number,
        ask: number,
        what: string,
        book: boolean,
      ): SignalDraft | undefined => {
        const mid = (bid + ask) / 2;
        const now = i >= threshold && m > mid ? 1 : i <= -threshold && m < mid ? -1 : 0;
        const was = regime;
        regime = now;
        if (now === 0 || now === was) return undefined;
        return {
          symbol,
          venue,
          side: now > 0 ? 'buy' : 'sell',
          strategy: name,
          price: now > 0 ? ask : bid,
          strength: clamp01((Math.abs(i) - threshold) / (1 - threshold + 1e-12)),
          ttlMs,
          reason: `${what} imbalance ${i.toFixed(3)}, microprice ${now > 0 ? 'above' : 'below'} mid`,
          indicators: { imbalance: i, microprice: m, mid },
          ...(book ? { book: true } : {}),
        };
      };
      return {
        onBook(b: BookView): SignalDraft | undefined {
          hasBook = true;
          const i = depthImbalance(b.top, b.depth, levels, decay);
          const m = depthMicroprice(b.top, b.depth, levels);
          if (i !== i || m !== m) return undefined;
          return enter(i, m, b.top[0]!, b.top[2 * b.depth]!, `${levels}-level book`, true);
        },
        onTick(t: Tick): SignalDraft | undefined {
          if (t.kind !== 'quote' || hasBook) return undefined;
          return enter(
            imb.update(t.bidSize, t.askSize),
            mp.update(t.bid, t.bidSize, t.ask, t.askSize),
            t.bid,
            t.ask,
            'top-of-book',
            false,
          );
        },
        snapshot: () => ({ regime, hasBook }),
        restore(st) {
          regime = st.regime as number;
          hasBook = st.hasBook === true;
        },
      };
    },
  };
}
