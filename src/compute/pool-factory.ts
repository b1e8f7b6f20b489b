// The compute pool's factory for an engine, loaded only in `compute.mode: pool`: an inline run loads no
// Piscina or worker code.
import type { ChristmasConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import type { makePoolFactory } from './pool.js';

export async function poolFactoryFor(
  cfg: ChristmasConfig,
  log: Logger,
): Promise<ReturnType<typeof makePoolFactory> | undefined> {
  if (cfg.compute.mode !== 'pool') return undefined;
  return (await import('./pool.js')).makePoolFactory(cfg, log);
}
