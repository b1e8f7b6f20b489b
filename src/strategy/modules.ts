// User strategy modules: a config entry's `module` (an absolute path by now, config/load.ts) is imported before
// the strategies are built, in every thread that builds them (main, pool shards, the re-warm task). The module's
// default export is a builder `(name, params) => StrategyFactory`, like the built-ins'; an optional `validate`
// export judges the params (throw, or return a message or a list of them, to refuse). A file is imported again
// when its modification time changed (SIGHUP picks up a new version; each version is a new module URL).
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { StrategyConfig } from '../config/types.js';
import { ConfigError } from '../model/errors.js';
import type { StrategyFactory } from './strategy.js';

export type StrategyBuilder = (name: string, params: Record<string, unknown>) => StrategyFactory;

export interface LoadedModule {
  build: StrategyBuilder;
  validate?: (params: Record<string, unknown>) => unknown;
  version: number;
}

const loaded = new Map<string, LoadedModule>();

/** Imports (or re-imports, when the file changed) every enabled module strategy; fails naming the entry. */
export async function loadStrategyModules(cfgs: readonly StrategyConfig[]): Promise<void> {
  for (const c of cfgs) {
    if (!c.module || !c.enabled) continue;
    const key = `strategies.${c.name}.module`;
    let version: number;
    try {
      version = statSync(c.module).mtimeMs;
    } catch {
      throw new ConfigError(key, c.module, 'a strategy module file that exists');
    }
    if (loaded.get(c.module)?.version === version) continue;
    let mod: { default?: unknown; validate?: unknown };
    try {
      mod = (await import(`${pathToFileURL(c.module).href}?v=${version}`)) as typeof mod;
    } catch (err) {
      throw new ConfigError(key, c.module, `a module that loads (${(err as Error).message.split('\n')[0]})`);
    }
    if (typeof mod.default !== 'function')
      throw new ConfigError(key, c.module, 'a module whose default export is (name, params) => { name, type, create }');
    if (mod.validate !== undefined && typeof mod.validate !== 'function')
      throw new ConfigError(`strategies.${c.name}.module`, c.module, 'validate, when exported, to be a function');
    loaded.set(c.module, {
      build: mod.default as StrategyBuilder,
      validate: mod.validate as LoadedModule['validate'],
      version,
    });
  }
}

/** The loaded module of a config entry (loadStrategyModules ran first in this thread). */
export function loadedModule(c: StrategyConfig): LoadedModule {
  const m = c.module ? loaded.get(c.module) : undefined;
  if (!m)
    throw new ConfigError(`strategies.${c.name}.module`, c.module, 'a module loaded before the strategies are built');
  return m;
}
