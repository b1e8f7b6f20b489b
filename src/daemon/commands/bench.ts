// `christmas bench`: runs the benchmark suites in bench/ (tinybench + the end-to-end harness).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { repoRoot } from '../../config/load.js';
import type { Command } from '../command.js';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmarks and write bench/results/<date>-<commit>.json and bench/README.md',
  usage: 'bench [--quick] [--only NAME] [--compare] [--plot]',
  options: {
    quick: { type: 'boolean', description: 'short runs (CI: under 2 minutes)' },
    only: {
      type: 'string',
      value: 'NAME',
      description: 'run suites whose name contains NAME (feed, indicators, store, persist, signal, e2e)',
    },
    compare: { type: 'boolean', description: 'fail (exit 1) when a result is over 2x slower than bench/baseline.json' },
    plot: { type: 'boolean', description: 'also render latency CDFs as SVG into bench/results/' },
  },
  async run(v) {
    const runner = path.join(repoRoot, 'dist', 'bench', 'run.js');
    if (!existsSync(runner)) {
      process.stderr.write(`benchmarks are not built (${runner}); run make build\n`);
      return 1;
    }
    const args = [runner];
    if (v.quick) args.push('--quick');
    if (v.compare) args.push('--compare');
    if (v.plot) args.push('--plot');
    if (v.only) args.push('--only', String(v.only));
    const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
    return r.status ?? 1;
  },
};
