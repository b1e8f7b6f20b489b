// `christmas backtest`: replays recordings through the same compute and risk code as live (no sockets, no
// stores, signals numbered from 1) and reports each strategy's markouts and simulated PnL per symbol
// (backtest/markouts.ts), as a table or JSON. Deterministic: the same input gives a byte-identical report.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../telemetry/logger.js';
import { checkInputFile, configOptions, intOption, parseSets, type Command } from '../command.js';
import { poolFactoryFor } from '../../compute/pool-factory.js';
import { UsageError } from '../../model/errors.js';
import { parseHorizons } from '../../backtest/markouts.js';
import { reportTable, type BacktestReport } from '../../backtest/report.js';
import { runBacktest, type BacktestInput } from '../../backtest/run.js';
import { combinations, parseSweep } from '../../backtest/sweep.js';
import { runOnPool } from '../../compute/batch-pool.js';
import { loadStrategyModules } from '../../strategy/modules.js';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { reportSvg } from '../../backtest/svg.js';

const sweepTaskFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../backtest/sweep-task.js');

/** One row per combination: its parameters, then per strategy and symbol the signals, markout means, PnL. */
function sweepTable(rows: Array<{ params: Record<string, unknown> } & BacktestReport>): string {
  const lines: string[] = [];
  for (const r of rows) {
    const p = Object.entries(r.params)
      .map(([k, x]) => `${k}=${String(x)}`)
      .join(' ');
    for (const s of r.strategies)
      lines.push(
        [
          p,
          s.name,
          s.symbol,
          `${s.signals} signals`,
          ...Object.entries(s.markoutsBps).map(([h, m]) => `${h} ${m.mean === null ? '—' : m.mean.toFixed(2)} bps`),
          `pnl ${s.pnlBps.total.toFixed(2)} bps`,
        ].join(' | '),
      );
    if (r.strategies.length === 0) lines.push(`${p} | no signals`);
  }
  return lines.join('\n') + '\n';
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'replay recordings through the strategies and risk gates; report markouts and simulated PnL',
  usage:
    'backtest <file...> [--config F] [--report table|json] [--horizons 1s,10s,60s] [--latency-ms L] [--fee-bps F] [--out DIR] [--sweep S.P=a,b,c]',
  options: {
    ...configOptions,
    report: { type: 'string', value: 'table|json', description: 'output format (default table)' },
    horizons: { type: 'string', value: 'LIST', description: 'markout horizons, e.g. 1s,10s,60s (default)' },
    'latency-ms': {
      type: 'string',
      value: 'L',
      description: 'entry delay for the PnL: the first tick after it (default 0)',
    },
    'fee-bps': { type: 'string', value: 'F', description: 'fee per side in bps for the PnL (default 0)' },
    sweep: {
      type: 'string',
      multiple: true,
      value: 'S.P=a,b,c',
      description: 'run the grid of these strategy parameters on worker threads in parallel, one row per combination',
    },
    out: {
      type: 'string',
      value: 'DIR',
      description: 'also write report.json and report.svg (markout curves, cumulative PnL) there',
    },
    venue: { type: 'string', value: 'V', description: 'venue parser (default: from the file name, else binance)' },
  },
  async run(v, files) {
    if (files.length === 0) throw new UsageError('backtest needs at least one file');
    for (const f of files) checkInputFile('backtest', f);
    const format = (v.report as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json')
      throw new UsageError(`--report: got "${format}", expected table or json`);
    const horizons = parseHorizons((v.horizons as string | undefined) ?? '1s,10s,60s');
    if (!horizons) throw new UsageError(`--horizons: got "${String(v.horizons)}", expected a list like 1s,10s,60s`);
    const latencyMs = intOption(v['latency-ms'], 'latency-ms', 0, 3_600_000, 0),
      feeBps = intOption(v['fee-bps'], 'fee-bps', 0, 10_000, 0);
    const cfg = loadConfig({
      configPath: v.config as string | undefined,
      overrides: parseSets(v.set as string[] | undefined),
    });
    const log = createLogger({ level: cfg.log.level === 'info' ? 'warn' : cfg.log.level, pretty: cfg.log.pretty });
    const markouts = { horizons, latencyMs, feeBps };
    const venue = v.venue as string | undefined;
    const sweepSpecs = (v.sweep as string[] | undefined) ?? [];
    if (sweepSpecs.length) {
      await loadStrategyModules(cfg.strategies); // a bad module fails here, once, before the grid starts
      const combos = combinations(parseSweep(sweepSpecs, cfg), cfg);
      const threads = Math.min(combos.length, availableParallelism());
      const reports = await runOnPool<BacktestInput, BacktestReport>(
        sweepTaskFile,
        combos.map((c) => ({ cfg: c.cfg, files, venue, markouts })),
        threads,
      );
      const rows = combos.map((c, i) => ({ params: c.params, ...reports[i]! }));
      process.stdout.write(format === 'json' ? JSON.stringify({ sweep: rows }, null, 1) + '\n' : sweepTable(rows));
      return 0;
    }
    const { report, stats } = await runBacktest({ cfg, files, venue, markouts }, log, await poolFactoryFor(cfg, log));
    const json = JSON.stringify(report, null, 1) + '\n';
    if (v.out) {
      const dir = String(v.out);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'report.json'), json);
      writeFileSync(path.join(dir, 'report.svg'), reportSvg(report, stats));
    }
    process.stdout.write(format === 'json' ? json : reportTable(report));
    return 0;
  },
};
