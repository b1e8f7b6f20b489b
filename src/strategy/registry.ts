// Strategy type name -> factory, and the per-symbol set of strategy instances built from config.
import type { StrategyConfig } from '../config/types.js';
import type { StrategyFactory } from './strategy.js';
import { emaCross } from './ema-cross.js';
import { vwapReversion } from './vwap-reversion.js';
import { imbalance } from './imbalance.js';
import { breakout } from './breakout.js';
import { probe } from './probe.js';

const builders: Record<StrategyConfig['type'], (name: string, params: Record<string, number>) => StrategyFactory> = {
  'ema-cross': emaCross,
  'vwap-reversion': vwapReversion,
  imbalance,
  breakout,
  probe,
};

/** Builds (and so validates) every enabled strategy; throws StrategyParamError naming the bad parameter. */
export function buildStrategies(
  cfgs: readonly StrategyConfig[],
): Array<{ factory: StrategyFactory; symbols: Set<string> | undefined }> {
  return cfgs
    .filter((c) => c.enabled)
    .map((c) => ({
      factory: builders[c.type](c.name, c.params),
      symbols: c.symbols.includes('*')
        ? undefined
        : new Set(
            c.symbols.map((s) => {
              const i = s.indexOf(':');
              return i > 0 ? `${s.slice(0, i).toLowerCase()}:${s.slice(i + 1)}` : s;
            }),
          ),
    }));
}
