// VWAP mean reversion: z = (price − rolling VWAP) / σ of trade prices over the last `stdPeriod` trades.
// Entering z > zEntry sells (expecting reversion down), z < −zEntry buys. Edge-triggered: one signal per
// excursion. Needs `minTrades` trades in the VWAP window first.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import { RollingVWAP } from '../indicators/vwap.js';
import { RollingStdDev } from '../indicators/stddev.js';
import { clamp01, param, tradeSeries, type StrategyFactory, type StrategyInstance } from './strategy.js';

export function vwapReversion(name: string, params: Record<string, number>): StrategyFactory {
  const windowMs = param(params, 'windowMs', 60_000, 100, 86_400_000, name);
  const zEntry = param(params, 'zEntry', 2.5, 0.1, 100, name);
  const minTrades = param(params, 'minTrades', 50, 1, 1e9, name);
  const stdPeriod = param(params, 'stdPeriod', 200, 2, 1e6, name);
  const ttlMs = param(params, 'ttlMs', 3000, 1, 3_600_000, name);
  return {
    name,
    type: 'vwap-reversion',
    create(venue, symbol): StrategyInstance {
      const vwap = new RollingVWAP(windowMs),
        sd = new RollingStdDev(stdPeriod);
      let zone = 0; // -1 below, 0 inside, +1 above
      let trades = 0;
      return {
        onTick(t: Tick): SignalDraft | undefined {
          if (t.kind !== 'trade') return undefined;
          const v = vwap.update(t.price, t.size, t.tsExchNs / 1e6);
          const s = sd.update(t.price);
          trades++;
          if (trades < minTrades || !sd.ready || !(s > 0) || !Number.isFinite(v)) return undefined;
          const z = (t.price - v) / s;
          const now = z > zEntry ? 1 : z < -zEntry ? -1 : 0;
          const was = zone;
          zone = now;
          if (now === 0 || now === was) return undefined;
          const side = now > 0 ? 'sell' : 'buy';
          return {
            symbol,
            venue,
            side,
            strategy: name,
            price: t.price,
            strength: clamp01((Math.abs(z) - zEntry) / zEntry + 0.5),
            ttlMs,
            reason: `price ${z.toFixed(2)} sd ${z > 0 ? 'above' : 'below'} ${windowMs / 1000}s vwap`,
            indicators: { vwap: v, z, sd: s },
          };
        },
        warm(history, k) {
          const { price, size, ms } = tradeSeries(history);
          const n = price.length;
          const v = new Float64Array(n);
          for (let i = 0; i < n; i++) v[i] = vwap.update(price[i]!, size[i]!, ms[i]!);
          const s = sd.warmFrom(price, k); // σ after each trade
          trades += n;
          // The zone is the one of the last trade onTick would have classified.
          for (let i = n - 1; i >= 0; i--) {
            const si = s[i]!,
              vi = v[i]!;
            if (i + 1 < minTrades || i + 1 < stdPeriod || !(si > 0) || !Number.isFinite(vi)) continue;
            const z = (price[i]! - vi) / si;
            zone = z > zEntry ? 1 : z < -zEntry ? -1 : 0;
            break;
          }
        },
        snapshot: () => ({ vwap: vwap.snapshot(), sd: sd.snapshot(), zone, trades }),
        restore(st) {
          vwap.restore(st.vwap as never);
          sd.restore(st.sd as never);
          zone = st.zone as number;
          trades = st.trades as number;
        },
      };
    },
  };
}
