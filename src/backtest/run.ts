// One backtest: recordings replayed through an engine (no sockets, no stores) with markouts collected from its
// ticks and signals. Used by `christmas backtest` on the main thread and by the sweep's pool tasks.
import type { ChristmasConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import { Engine } from '../daemon/engine.js';
import { ReplayDriver } from '../daemon/replay-driver.js';
import { Markouts, type MarkoutOptions } from './markouts.js';
import { buildReport, type BacktestReport } from './report.js';
import type { StrategySymbolStats } from './markouts.js';

export interface BacktestInput {
  cfg: ChristmasConfig;
  files: string[];
  venue?: string;
  markouts: MarkoutOptions;
}

export async function runBacktest(
  input: BacktestInput,
  log: Logger,
  poolFactory?: ConstructorParameters<typeof Engine>[0]['poolFactory'],
): Promise<{ report: BacktestReport; stats: StrategySymbolStats[] }> {
  const engine = new Engine({
    config: input.cfg,
    log,
    replay: true,
    stageTiming: false,
    store: false,
    persist: false,
    socket: false,
    poolFactory,
  });
  await engine.start();
  const m = new Markouts(input.markouts);
  const onTick = engine.onTick.bind(engine);
  engine.onTick = (t, f) => {
    m.onTick(t);
    onTick(t, f);
  };
  engine.onSignal = (s) => m.onSignal(s);
  await new ReplayDriver(engine, log, { files: input.files, speed: 0, venue: input.venue }).run();
  await engine.compute.flush(10_000);
  await engine.stop(input.cfg.shutdown.deadlineMs);
  m.finish();
  const stats = [...m.stats.values()];
  return { report: buildReport(stats), stats };
}
