// Order-flow momentum on the L2 book: the order-flow imbalance of the best levels (Cont, Kukanov & Stoikov)
// summed over the last windowMs of exchange time, in units of the mean best-level size, past ±threshold, with
// the depth-weighted microprice over `levels` agreeing (above the mid to buy, below to sell). Edge-triggered on
// entering the regime. Book updates only; a symbol without a depth stream never signals.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import type { BookView } from '../book/view.js';
import { depthMicroprice, OrderFlowImbalance } from '../book/features.js';
import { clamp01, param, type StrategyFactory, type StrategyInstance } from './strategy.js';

export function ofiMomentum(name: string, params: Record<string, number>): StrategyFactory {
  const windowMs = param(params, 'windowMs', 1000, 1, 3_600_000, name);
  const threshold = param(params, 'threshold', 2, 0.01, 1e6, name);
  const levels = Math.round(param(params, 'levels', 3, 1, 20, name));
  const ttlMs = param(params, 'ttlMs', 1000, 1, 3_600_000, name);
  return {
    name,
    type: 'ofi-momentum',
    create(venue, symbol): StrategyInstance {
      const ofi = new OrderFlowImbalance(windowMs);
      let regime = 0;
      let lastUpdateId = -1;
      return {
        onTick: (_t: Tick) => undefined,
        onBook(b: BookView): SignalDraft | undefined {
          const d = b.depth,
            top = b.top;
          const bid = top[0]!,
            bidSz = top[1]!,
            ask = top[2 * d]!,
            askSz = top[2 * d + 1]!;
          if (!(bid === bid && ask === ask)) return undefined;
          if (b.updateId < lastUpdateId) ofi.reset(); // a resynced book starts a new flow
          lastUpdateId = b.updateId;
          const flow = ofi.update(bid, bidSz, ask, askSz, b.tsExchNs / 1e6);
          const scale = (bidSz + askSz) / 2;
          const z = scale > 0 ? flow / scale : 0;
          const micro = depthMicroprice(top, d, levels);
          const mid = (bid + ask) / 2;
          const now = z >= threshold && micro > mid ? 1 : z <= -threshold && micro < mid ? -1 : 0;
          const was = regime;
          regime = now;
          if (now === 0 || now === was) return undefined;
          return {
            symbol,
            venue,
            side: now > 0 ? 'buy' : 'sell',
            strategy: name,
            price: now > 0 ? ask : bid,
            strength: clamp01(Math.abs(z) / (2 * threshold)),
            ttlMs,
            reason: `order-flow imbalance ${z.toFixed(2)} best-level sizes over ${windowMs} ms, microprice ${now > 0 ? 'above' : 'below'} mid`,
            indicators: { ofi: flow, ofiScaled: z, microprice: micro, mid },
            book: true,
          };
        },
        snapshot: () => ({ regime, lastUpdateId }),
        restore(st) {
          regime = st.regime as number;
          lastUpdateId = st.lastUpdateId as number;
        },
      };
    },
  };
}
