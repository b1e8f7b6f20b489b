// `--sweep strategy.param=a,b,c` (repeatable): the grid of parameter combinations, each a copy of the config
// with those strategy parameters set. Values that parse as numbers are numbers; others are strings.
import type { ChristmasConfig } from '../config/types.js';
import { UsageError } from '../model/errors.js';

export interface SweepAxis {
  strategy: string;
  param: string;
  values: unknown[];
}

export function parseSweep(specs: string[], cfg: ChristmasConfig): SweepAxis[] {
  return specs.map((spec) => {
    const m = /^([A-Za-z0-9_.-]+?)\.([A-Za-z0-9_]+)=(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--sweep: got "${spec}", expected strategy.param=a,b,c`);
    const [, strategy, param, list] = m as unknown as [string, string, string, string];
    if (!cfg.strategies.some((s) => s.name === strategy))
      throw new UsageError(
        `--sweep: no strategy named "${strategy}" (${cfg.strategies.map((s) => s.name).join(', ')})`,
      );
    const values = list.split(',').map((v) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
    return { strategy, param, values };
  });
}

/** Every combination: its parameter settings (`strategy.param` -> value) and the config it makes. */
export function combinations(
  axes: SweepAxis[],
  cfg: ChristmasConfig,
): Array<{ params: Record<string, unknown>; cfg: ChristmasConfig }> {
  let combos: Array<Record<string, unknown>> = [{}];
  for (const a of axes)
    combos = combos.flatMap((c) => a.values.map((v) => ({ ...c, [`${a.strategy}.${a.param}`]: v })));
  return combos.map((params) => {
    const copy = structuredClone(cfg) as ChristmasConfig;
    for (const [k, v] of Object.entries(params)) {
      const i = k.lastIndexOf('.');
      const s = copy.strategies.find((x) => x.name === k.slice(0, i))!;
      s.params = { ...s.params, [k.slice(i + 1)]: v };
    }
    return { params, cfg: copy };
  });
}
