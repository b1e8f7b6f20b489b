// Pool task of a backtest sweep: one parameter combination's backtest, in its own worker thread.
import { runBacktest, type BacktestInput } from './run.js';
import { silentLogger } from '../telemetry/logger.js';
import type { BacktestReport } from './report.js';

export default async function sweepTask(input: BacktestInput): Promise<BacktestReport> {
  return (await runBacktest(input, silentLogger)).report;
}
