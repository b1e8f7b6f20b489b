// Strategy type name -> factory (or a user module, modules.ts), and the per-symbol set of strategy instances
// built from config.
import type { StrategyConfig } from '../config/types.js';
import type { StrategyFactory } from './strategy.js';
import { loadedModule } from './modules.js';
import { StrategyParamError } from '../model/errors.js';
import { emaCross } from './ema-cross.js';
import { vwapReversion } from './vwap-reversion.js';
import { imbalance } from './imbalance.js';
import { breakout } from './breakout.js';
import { probe } from './probe.js';
import { ofiMomentum } from './ofi-momentum.js';

type BuiltIn = NonNullable<StrategyConfig['type']>;
const builders: Record<BuiltIn, (name: string, params: Record<string, number>) => StrategyFactory> = {
  'ema-cross': emaCross,
  'vwap-reversion': vwapReversion,
  imbalance,
  breakout,
  probe,
  'ofi-momentum': ofiMomentum,
};

/** Builds (and so validates) every enabled strategy; throws StrategyParamError naming the bad parameter. */
export function buildStrategies(
  cfgs: readonly StrategyConfig[],
): Array<{ factory: StrategyFactory; symbols: Set<string> | undefined }> {
  return cfgs
    .filter((c) => c.enabled)
    .map((c) => ({
      factory: c.module ? fromModule(c) : builders[c.type!](c.name, c.params as Record<string, number>),
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

/** A module strategy's factory: its validate() first (a refusal stops the start like any config error). */
function fromModule(c: StrategyConfig): StrategyFactory {
  const m = loadedModule(c);
  const key = `strategies.${c.name}.params`;
  let verdict: unknown;
  try {
    verdict = m.validate?.(c.params);
  } catch (err) {
    throw new StrategyParamError(key, c.params, (err as Error).message ?? String(err));
  }
  const problems = typeof verdict === 'string' ? [verdict] : Array.isArray(verdict) ? verdict.map(String) : [];
  if (problems.length) throw new StrategyParamError(key, c.params, problems.join('; '));
  let f: StrategyFactory;
  try {
    f = m.build(c.name, c.params);
  } catch (err) {
    throw new StrategyParamError(key, c.params, (err as Error).message ?? String(err));
  }
  if (!f || typeof f.create !== 'function')
    throw new StrategyParamError(`strategies.${c.name}.module`, c.module, 'a builder returning { name, type, create }');
  return { name: c.name, type: f.type ?? 'module', create: (v, s) => f.create(v, s) };
}
