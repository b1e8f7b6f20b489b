// Loads config/default.json, an optional --config file, CHRISTMAS_* environment overrides and CLI
// overrides; validates once against the schema; returns a deeply frozen object.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { ChristmasConfig } from './types.js';
import { ConfigError } from '../model/errors.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const defaultConfigPath = path.join(repoRoot, 'config', 'default.json');

export interface LoadOptions {
  /** Path given by --config (wins over CHRISTMAS_CONFIG). */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Dotted-key overrides from the CLI, applied last (e.g. {'compute.mode': 'pool'}). */
  overrides?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function readJsonFile(file: string, keyForErrors: string): Json {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (err) {
    throw new ConfigError(keyForErrors, file, `a readable JSON file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(keyForErrors, file, `a JSON object (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(keyForErrors, file, 'a JSON object (not an object)');
  return parsed as Json;
}

/** Objects merge key by key; arrays and scalars replace. */
function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && b !== null && typeof b === 'object' && !Array.isArray(b)
      ? deepMerge(b as Json, v as Json) : v;
  }
  return out;
}

function setDotted(target: Json, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node: Json = target;
  for (const p of parts.slice(0, -1)) {
    if (node[p] === undefined || typeof node[p] !== 'object' || node[p] === null) node[p] = {};
    node = node[p] as Json;
  }
  node[parts[parts.length - 1]!] = value;
}

const ENV_KEYS: Array<[string, string]> = [
  ['CHRISTMAS_REDIS_URL', 'redis.url'], ['CHRISTMAS_DATABASE_URL', 'database.url'],
  ['CHRISTMAS_SIGNAL_SOCKET', 'signals.socket'], ['CHRISTMAS_METRICS_LISTEN', 'metrics.listen'],
  ['CHRISTMAS_SPOOL_DIR', 'spool.dir'], ['CHRISTMAS_LOG_LEVEL', 'log.level'],
];

/** The operator contract of DESIGN.md §7: each CHRISTMAS_* variable and the key it overrides. */
function applyEnv(cfg: Json, env: NodeJS.ProcessEnv): void {
  const feedUrl = env.CHRISTMAS_FEED_URL;
  if (feedUrl !== undefined && Array.isArray(cfg.feeds)) {
    cfg.feeds = (cfg.feeds as Json[]).map((f) => ({ ...f, url: feedUrl }));
  }
  for (const [name, key] of ENV_KEYS) if (env[name] !== undefined) setDotted(cfg, key, env[name]);
  if (env.CHRISTMAS_NO_NATIVE !== undefined && env.CHRISTMAS_NO_NATIVE !== '') {
    if (env.CHRISTMAS_NO_NATIVE !== '0' && env.CHRISTMAS_NO_NATIVE !== '1') {
      throw new ConfigError('CHRISTMAS_NO_NATIVE', env.CHRISTMAS_NO_NATIVE, '"1" (force the TypeScript fallback) or "0"');
    }
    setDotted(cfg, 'native.disabled', env.CHRISTMAS_NO_NATIVE === '1');
  }
}

function keyOf(instancePath: string): string {
  if (instancePath === '') return '(root)';
  return instancePath.slice(1).split('/').map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node: unknown = root;
  for (const p of instancePath.split('/').slice(1)) node = (node as Json | undefined)?.[p];
  return node;
}

function toConfigError(err: ErrorObject, data: unknown): ConfigError {
  const key = keyOf(err.instancePath);
  const value = valueAt(data, err.instancePath);
  const p = err.params as Record<string, unknown>;
  const join = (k: string) => (key === '(root)' ? k : `${key}.${k}`);
  switch (err.keyword) {
    case 'additionalProperty': case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const schemaProps = Object.keys((err.parentSchema as { properties?: Json } | undefined)?.properties ?? {});
      return new ConfigError(join(extra), (value as Json)[extra], `no such key (known keys: ${schemaProps.join(', ')})`);
    }
    case 'required': return new ConfigError(join(String(p.missingProperty)), undefined, 'a value (the key is required)');
    case 'type': return new ConfigError(key, value, `a value of type ${String(p.type)}`);
    case 'enum': return new ConfigError(key, value, `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'minimum': case 'maximum': {
      const s = err.parentSchema as { minimum?: number; maximum?: number; type?: string };
      const kind = s.type === 'integer' ? 'an integer' : 'a number';
      return new ConfigError(key, value, `${kind} from ${s.minimum ?? '-inf'} to ${s.maximum ?? 'inf'}`);
    }
    case 'pattern': return new ConfigError(key, value, `a string matching /${String(p.pattern)}/`);
    case 'minItems': return new ConfigError(key, value, `at least ${String(p.limit)} item(s)`);
    case 'maxItems': return new ConfigError(key, value, `at most ${String(p.limit)} item(s)`);
    case 'minLength': return new ConfigError(key, value, `a string of at least ${String(p.limit)} character(s)`);
    case 'maxLength': return new ConfigError(key, value, `a string of at most ${String(p.limit)} character(s)`);
    default: return new ConfigError(key, value, err.message ?? err.keyword);
  }
}

interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The schema's validator, compiled at build time (scripts/gen-config-validator.mjs): no Ajv at start-up. */
const validate = ((): Validator => {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'config-validator.cjs');
  try {
    return createRequire(import.meta.url)(file) as Validator;
  } catch (err) {
    throw new Error(`${file} could not be loaded (${(err as Error).message.split('\n')[0]}): run make build`, {
      cause: err,
    });
  }
})();

function deepFreeze<T>(obj: T): T {
  if (obj !== null && typeof obj === 'object' && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const v of Object.values(obj as Json)) deepFreeze(v);
  }
  return obj;
}

/** Venues whose depth streams the engine keeps books for. */
const BOOK_VENUES: readonly string[] = ['binance', 'binance-usdm', 'bybit', 'bybit-linear', 'coinbase', 'coinbase-advanced', 'kraken'];

/** Cross-field rules JSON Schema cannot say. */
function checkSemantics(cfg: ChristmasConfig): void {
  cfg.strategies.forEach((s, i) => {
    if ((s.type === undefined) === (s.module === undefined))
      throw new ConfigError(`strategies[${i}]`, s.name, 'exactly one of "type" (a built-in strategy) or "module" (a file)');
  });
  if (cfg.reconnect.maxDelayMs < cfg.reconnect.initialDelayMs) {
    throw new ConfigError('reconnect.maxDelayMs', cfg.reconnect.maxDelayMs, `a value >= reconnect.initialDelayMs (${cfg.reconnect.initialDelayMs})`);
  }
  cfg.feeds.forEach((f, i) => {
    if (f.venue === 'generic' && !f.fields) throw new ConfigError(`feeds[${i}].fields`, undefined, 'field paths (required for venue "generic")');
    if (f.channels.includes('depth') && !BOOK_VENUES.includes(f.venue))
      throw new ConfigError(`feeds[${i}].channels`, f.channels, `channels without "depth": books are kept for ${BOOK_VENUES.join(', ')}`);
  });
  const names = new Set<string>();
  cfg.strategies.forEach((s, i) => {
    if (names.has(s.name)) throw new ConfigError(`strategies[${i}].name`, s.name, 'a name not used by another strategy');
    names.add(s.name);
  });
  if (cfg.redis.cluster && cfg.redis.clusterNodes.length === 0 && cfg.redis.url === '') {
    throw new ConfigError('redis.clusterNodes', cfg.redis.clusterNodes, 'at least one host:port when redis.cluster is true');
  }
}

export function validateConfig(raw: Json): ChristmasConfig {
  const data = structuredClone(raw);
  if (!validate(data)) throw toConfigError(validate.errors![0]!, data);
  const cfg = data as unknown as ChristmasConfig;
  checkSemantics(cfg);
  return deepFreeze(cfg);
}

/**
 * A strategy module as an absolute path: a path is relative to the config file's folder (or the working folder
 * without one); anything else is a package name, resolved from that folder as Node resolves it.
 */
function resolveModules(cfg: Json, baseDir: string): void {
  const list = cfg.strategies;
  if (!Array.isArray(list)) return;
  list.forEach((s: Json, i: number) => {
    const m = s.module;
    if (typeof m !== 'string' || m === '') return;
    let resolved: string;
    if (m.startsWith('.') || path.isAbsolute(m)) resolved = path.resolve(baseDir, m);
    else
      try {
        resolved = createRequire(path.join(baseDir, 'christmas-config.js')).resolve(m);
      } catch {
        throw new ConfigError(`strategies[${i}].module`, m, `a package installed where ${baseDir} can import it`);
      }
    if (!existsSync(resolved)) throw new ConfigError(`strategies[${i}].module`, m, `a file that exists (${resolved})`);
    s.module = resolved;
  });
}

export function loadConfig(opts: LoadOptions = {}): ChristmasConfig {
  const env = opts.env ?? process.env;
  let cfg = readJsonFile(defaultConfigPath, 'default config');
  const file = opts.configPath ?? (env.CHRISTMAS_CONFIG || undefined);
  if (file) {
    const user = readJsonFile(file, opts.configPath ? '--config' : 'CHRISTMAS_CONFIG');
    resolveModules(user, path.dirname(path.resolve(file)));
    cfg = deepMerge(cfg, user);
  }
  applyEnv(cfg, env);
  for (const [k, v] of Object.entries(opts.overrides ?? {})) setDotted(cfg, k, v);
  return validateConfig(cfg);
}

/**
 * The dotted keys the user named (in the config file, a CHRISTMAS_* variable or --set), as opposed to the
 * defaults of config/default.json: `replay` writes only to the services named here.
 */
export function namedKeys(opts: LoadOptions = {}): Set<string> {
  const env = opts.env ?? process.env;
  const out = new Set<string>();
  const walk = (o: Json, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      const key = prefix ? `${prefix}.${k}` : k;
      out.add(key);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Json, key);
    }
  };
  const file = opts.configPath ?? (env.CHRISTMAS_CONFIG || undefined);
  if (file) walk(readJsonFile(file, opts.configPath ? '--config' : 'CHRISTMAS_CONFIG'), '');
  for (const [name, key] of ENV_KEYS) if (env[name] !== undefined) out.add(key);
  for (const k of Object.keys(opts.overrides ?? {})) out.add(k);
  return out;
}
