// Opens the io stage for an engine: the writers on the main thread (`io.mode: inline`) or in their own
// thread (`thread`), or nothing when neither the store nor the database is wanted.
import type { ChristmasConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import type { SinkOptions, Sinks } from './writers.js';

export type { Sinks } from './writers.js';

export async function openSinks(cfg: ChristmasConfig, opts: SinkOptions, log: Logger): Promise<Sinks | undefined> {
  if (!opts.store && !opts.persist) return undefined;
  // Loaded only here: a command without a store or database loads no Redis or PostgreSQL client.
  if (cfg.io.mode === 'thread') return (await import('./thread.js')).ThreadSinks.open(cfg, opts, log);
  return (await import('./writers.js')).WriterSet.open(cfg, opts, log);
}
