// Example strategy module in TypeScript (compiled by `make build` to dist/examples/strategies/ema-gap.js; a
// module is JavaScript when it runs). Signals when the trade price moves more than `gapBps` away from its EMA,
// in the direction of the move, with the SDK's EMA (the engine's own indicator class).
import { EMA, clamp01, type SignalDraft, type StrategyBuilder, type Tick } from 'christmas/sdk';

interface Params {
  period?: number;
  gapBps?: number;
  ttlMs?: number;
}

export function validate(params: Params): string[] {
  const out: string[] = [];
  if (params.period !== undefined && !(Number.isInteger(params.period) && params.period >= 2))
    out.push('period: expected an integer >= 2');
  if (params.gapBps !== undefined && !(params.gapBps > 0)) out.push('gapBps: expected a positive number');
  return out;
}

const emaGap: StrategyBuilder = (name, raw) => {
  const p = raw as Params;
  const period = p.period ?? 50,
    gapBps = p.gapBps ?? 5,
    ttlMs = p.ttlMs ?? 2000;
  return {
    name,
    type: 'ema-gap',
    create(venue, symbol) {
      const ema = new EMA(period);
      let zone = 0;
      return {
        onTick(t: Tick): SignalDraft | undefined {
          if (t.kind !== 'trade') return undefined;
          const e = ema.update(t.price);
          if (!ema.ready) return undefined;
          const bps = ((t.price - e) / e) * 1e4;
          const now = bps > gapBps ? 1 : bps < -gapBps ? -1 : 0;
          const was = zone;
          zone = now;
          if (now === 0 || now === was) return undefined;
          return {
            symbol,
            venue,
            side: now > 0 ? 'buy' : 'sell',
            strategy: name,
            price: t.price,
            strength: clamp01(Math.abs(bps) / (4 * gapBps)),
            ttlMs,
            reason: `price ${bps.toFixed(1)} bps from ema${period}`,
            indicators: { ema: e, gapBps: bps },
          };
        },
        snapshot: () => ({ ema: ema.snapshot(), zone }),
        restore(s) {
          ema.restore(s.ema as Record<string, unknown>);
          zone = s.zone as number;
        },
      };
    },
  };
};

export default emaGap;
