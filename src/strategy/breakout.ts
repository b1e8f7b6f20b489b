// Breakout of the N-second range with volume confirmation, on trades: a trade above the highest (below the
// lowest) price of the previous `windowMs`, when the volume of the last `confirmMs` runs at least
// `volumeFactor` times the window's average rate. One signal per new high/low run.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import { TimeWindow } from '../indicators/window.js';
import { TimeMinMax } from '../indicators/time-minmax.js';
import { clamp01, param, type StrategyFactory, type StrategyInstance } from './strategy.js';

export function breakout(name: string, params: Record<string, number>): StrategyFactory {
  const windowMs = param(params, 'windowMs', 30_000, 100, 86_400_000, name);
  const confirmMs = param(params, 'confirmMs', Math.max(100, windowMs / 10), 10, windowMs, name);
  const volumeFactor = param(params, 'volumeFactor', 2, 0, 1000, name);
  const ttlMs = param(params, 'ttlMs', 2000, 1, 3_600_000, name);
  return {
    name,
    type: 'breakout',
    create(venue, symbol): StrategyInstance {
      const range = new TimeMinMax(windowMs);
      // (time, price, size) of the window's trades; the last `recentCount` of them are the confirm window's
      // (confirmMs <= windowMs, so a trade leaves the confirm window before it leaves the window).
      const win = new TimeWindow();
      let recentCount = 0;
      let windowVol = 0,
        recentVol = 0,
        firstMs = NaN,
        lastSide = 0;
      return {
        onTick(t: Tick): SignalDraft | undefined {
          if (t.kind !== 'trade') return undefined;
          const nowMs = t.tsExchNs / 1e6;
          if (Number.isNaN(firstMs)) firstMs = nowMs;
          while (recentCount > 0 && win.timeAt(win.size - recentCount) <= nowMs - confirmMs) {
            recentVol -= win.bAt(win.size - recentCount);
            recentCount--;
          }
          while (win.size > 0 && win.oldestTime() <= nowMs - windowMs) {
            windowVol -= win.oldestB();
            win.shift();
          }
          // Range of the previous window, before this trade joins it.
          range.evict(nowMs);
          const hi = range.empty ? -Infinity : range.max,
            lo = range.empty ? Infinity : range.min;
          range.push(nowMs, t.price);
          win.push(nowMs, t.price, t.size);
          windowVol += t.size;
          recentCount++;
          recentVol += t.size;
          if (nowMs - firstMs < windowMs || win.size < 3) return undefined;
          const side = t.price > hi ? 1 : t.price < lo ? -1 : 0;
          if (side === 0) {
            lastSide = 0;
            return undefined;
          }
          if (side === lastSide) return undefined;
          const rate = windowVol / windowMs,
            recentRate = recentVol / confirmMs;
          const ratio = rate > 0 ? recentRate / rate : 0;
          if (ratio < volumeFactor) return undefined;
          lastSide = side;
          return {
            symbol,
            venue,
            side: side > 0 ? 'buy' : 'sell',
            strategy: name,
            price: t.price,
            strength: clamp01(ratio / (2 * volumeFactor || 1)),
            ttlMs,
            reason: `broke the ${windowMs / 1000}s ${side > 0 ? 'high' : 'low'} on ${ratio.toFixed(1)}x volume`,
            indicators: { rangeHigh: hi, rangeLow: lo, volumeRatio: ratio },
          };
        },
        snapshot: () => ({
          range: range.snapshot(),
          win: win.snapshot(),
          recent: win.snapshot(win.size - recentCount),
          windowVol,
          recentVol,
          firstMs,
          lastSide,
        }),
        restore(st) {
          range.restore(st.range as never);
          win.restore(st.win as never);
          recentCount = Math.min(win.size, (st.recent as { t: number[] }).t.length);
          windowVol = st.windowVol as number;
          recentVol = st.recentVol as number;
          firstMs = st.firstMs as number;
          lastSide = st.lastSide as number;
        },
      };
    },
  };
}
