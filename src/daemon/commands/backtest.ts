// `christmas backtest`: replays recordings through the same compute and risk code as live (no sockets, no
// stores, signals numbered from 1) and reports each strategy's markouts and simulated PnL per symbol
// (backtest/markouts.ts), as a table or JSON. Deterministic: the same input gives a byte-identical report.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../telemetry/logger.js';
import { Engine } from '../engine.js';
import { ReplayDriver } from '../replay-driver.js';
import { checkInputFile, configOptions, parseSets, type Command } from '../command.js';
import { makePoolFactory } from '../../compute/pool.js';
import { UsageError } from '../../model/errors.js';
import { Markouts, parseHorizons } from '../../backtest/markouts.js';
import { buildReport, reportTable } from '../../backtest/report.js';
import { reportSvg } from '../../backtest/svg.js';

function numberOption(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!(x >= 0) || !Number.isFinite(x)) throw new UsageError(`--${name}: got "${String(v)}", expected a number >= 0`);
  return x;
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'replay recordings through the strategies and risk gates; report markouts and simulated PnL',
  usage:
    'backtest <file...> [--config F] [--report table|json] [--horizons 1s,10s,60s] [--latency-ms L] [--fee-bps F] [--out DIR]',
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
    const latencyMs = numberOption(v['latency-ms'], 'latency-ms', 0),
      feeBps = numberOption(v['fee-bps'], 'fee-bps', 0);
    const cfg = loadConfig({
      configPath: v.config as string | undefined,
      overrides: parseSets(v.set as string[] | undefined),
    });
    const log = createLogger({ level: cfg.log.level === 'info' ? 'warn' : cfg.log.level, pretty: cfg.log.pretty });
    const engine = new Engine({
      config: cfg,
      log,
      replay: true,
      store: false,
      persist: false,
      socket: false,
      poolFactory: makePoolFactory(cfg, log),
    });
    await engine.start();
    const m = new Markouts({ horizons, latencyMs, feeBps });
    const onTick = engine.onTick.bind(engine);
    engine.onTick = (t, f) => {
      m.onTick(t);
      onTick(t, f);
    };
    engine.onSignal = (s) => m.onSignal(s);
    const driver = new ReplayDriver(engine, log, { files, speed: 0, venue: v.venue as string | undefined });
    await driver.run();
    await engine.compute.flush(10_000);
    await engine.stop(cfg.shutdown.deadlineMs);
    m.finish();
    const report = buildReport(m.stats.values());
    const json = JSON.stringify(report, null, 1) + '\n';
    if (v.out) {
      const dir = String(v.out);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'report.json'), json);
      writeFileSync(path.join(dir, 'report.svg'), reportSvg(report, [...m.stats.values()]));
    }
    process.stdout.write(format === 'json' ? json : reportTable(report));
    return 0;
  },
};
