// Opens the io stage for an engine: the writers on the main thread (`io.mode: inline`) or in their own
// thread (`thread`), or nothing when neither the store nor the database is wanted.
import type { ChristmasConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import { WriterSet, type SinkOptions, type Sinks } from './writers.js';
import { ThreadSinks } from './thread.js';

export type { Sinks } from './writers.js';

export async function openSinks(cfg: ChristmasConfig, opts: SinkOptions, log: Logger): Promise<Sinks | undefined> {
  if (!opts.store && !opts.persist) return undefined;
  return cfg.io.mode === 'thread' ? ThreadSinks.open(cfg, opts, log) : WriterSet.open(cfg, opts, log);
}
