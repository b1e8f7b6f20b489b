// Config loading: defaults, file + env + override layering, every rejection path, freezing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/model/errors.js';
import { configValidatorSource } from '../../src/config/validator-source.js';
import { fileURLToPath } from 'node:url';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-config-'));
function file(obj: unknown, name = `c${Math.random().toString(36).slice(2)}.json`): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return p;
}
function rejects(fn: () => unknown, key: string, expectedPart: string): void {
  try { fn(); } catch (err) {
    assert.instance(err, ConfigError);
    const e = err as ConfigError;
    assert.is(e.key, key, `key of: ${e.message}`);
    assert.ok(e.message.includes(expectedPart), `"${e.message}" should mention "${expectedPart}"`);
    assert.not.ok(e.message.includes('\n'), 'one line');
    return;
  }
  assert.unreachable(`expected a ConfigError for ${key}`);
}

test('defaults load, validate and are frozen', () => {
  const c = loadConfig({ env: {} });
  assert.is(c.feeds[0]!.venue, 'binance');
  assert.is(c.compute.mode, 'inline');
  assert.is(c.signals.socket, '/run/christmas/signals.sock');
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.feeds[0]) && Object.isFrozen(c.redis));
  assert.throws(() => { (c.redis as { url: string }).url = 'x'; });
});

test('CHRISTMAS_* environment variables override their keys', () => {
  const c = loadConfig({ env: {
    CHRISTMAS_FEED_URL: 'ws://127.0.0.1:9100/stream', CHRISTMAS_REDIS_URL: '', CHRISTMAS_DATABASE_URL: 'postgres://a@127.0.0.1/b',
    CHRISTMAS_SIGNAL_SOCKET: '/tmp/x.sock', CHRISTMAS_METRICS_LISTEN: '127.0.0.1:9999', CHRISTMAS_SPOOL_DIR: '/tmp/spool',
    CHRISTMAS_LOG_LEVEL: 'debug', CHRISTMAS_NO_NATIVE: '1',
  } });
  assert.is(c.feeds[0]!.url, 'ws://127.0.0.1:9100/stream');
  assert.is(c.redis.url, '');
  assert.is(c.database.url, 'postgres://a@127.0.0.1/b');
  assert.is(c.signals.socket, '/tmp/x.sock');
  assert.is(c.metrics.listen, '127.0.0.1:9999');
  assert.is(c.spool.dir, '/tmp/spool');
  assert.is(c.log.level, 'debug');
  assert.is(c.native.disabled, true);
});

test('file via --config and CHRISTMAS_CONFIG; CLI overrides win; defaults fill missing keys', () => {
  const f = file({ compute: { mode: 'pool' }, redis: { maxTicksPerSymbol: 5 } });
  const c = loadConfig({ configPath: f, env: {} });
  assert.is(c.compute.mode, 'pool');
  assert.is(c.compute.workers, 1);
  assert.is(c.redis.maxTicksPerSymbol, 5);
  assert.is(c.redis.storeQuotes, true);
  const c2 = loadConfig({ env: { CHRISTMAS_CONFIG: f }, overrides: { 'compute.mode': 'inline' } });
  assert.is(c2.compute.mode, 'inline');
  assert.is(c2.redis.maxTicksPerSymbol, 5);
});

test('rejects an unknown key, naming it and the known keys', () => {
  rejects(() => loadConfig({ configPath: file({ redis: { urll: 'x' } }), env: {} }), 'redis.urll', 'no such key');
  rejects(() => loadConfig({ configPath: file({ bogus: 1 }), env: {} }), 'bogus', 'known keys');
  // A key with a newline or a line separator in it still gives a one-line message (the key escaped).
  rejects(() => loadConfig({ configPath: file('{"redis":{"ur\\nl\\u2028":1}}'), env: {} }), 'redis.ur\nl\u2028', 'redis.ur\\u000al\\u2028');
});

test('rejects wrong types, out-of-range values, bad enums and patterns', () => {
  rejects(() => loadConfig({ configPath: file({ compute: { workers: 'two' } }), env: {} }), 'compute.workers', 'integer');
  rejects(() => loadConfig({ configPath: file({ compute: { workers: 0 } }), env: {} }), 'compute.workers', 'from 1 to 64');
  rejects(() => loadConfig({ configPath: file({ compute: { mode: 'gpu' } }), env: {} }), 'compute.mode', '"inline", "pool"');
  rejects(() => loadConfig({ configPath: file({ compute: { realtimePriority: 100 } }), env: {} }), 'compute.realtimePriority', 'from 0 to 99');
  rejects(() => loadConfig({ configPath: file({ redis: { url: 'http://x' } }), env: {} }), 'redis.url', 'matching');
  rejects(() => loadConfig({ env: { CHRISTMAS_LOG_LEVEL: 'loud' } }), 'log.level', 'one of');
  rejects(() => loadConfig({ configPath: file({ feeds: [{ venue: 'binance', url: 'ws://x', symbols: [], channels: ['trade'] }] }), env: {} }), 'feeds[0].symbols', 'at least 1');
  rejects(() => loadConfig({ configPath: file({ feeds: [{ venue: 'nyse', url: 'ws://x', symbols: ['A'], channels: ['trade'] }] }), env: {} }), 'feeds[0].venue', 'one of');
  rejects(() => loadConfig({ configPath: file({ feeds: [{ venue: 'binance', symbols: ['A'], channels: ['trade'] }] }), env: {} }), 'feeds[0].url', 'required');
  rejects(() => loadConfig({ configPath: file({ shutdown: { deadlineMs: 1.5 } }), env: {} }), 'shutdown.deadlineMs', 'integer');
});

test('rejects cross-field mistakes and bad env values', () => {
  rejects(() => loadConfig({ configPath: file({ reconnect: { initialDelayMs: 500, maxDelayMs: 100 } }), env: {} }), 'reconnect.maxDelayMs', '>= reconnect.initialDelayMs');
  rejects(() => loadConfig({ configPath: file({ strategies: [{ name: 'a', type: 'breakout' }, { name: 'a', type: 'imbalance' }] }), env: {} }), 'strategies[1].name', 'not used');
  rejects(() => loadConfig({ configPath: file({ feeds: [{ venue: 'generic', url: 'ws://x', symbols: ['A'], channels: ['trade'] }] }), env: {} }), 'feeds[0].fields', 'generic');
  rejects(() => loadConfig({ env: { CHRISTMAS_NO_NATIVE: 'yes' } }), 'CHRISTMAS_NO_NATIVE', '"1"');
});

test('rejects unreadable or non-JSON config files', () => {
  rejects(() => loadConfig({ configPath: path.join(dir, 'missing.json'), env: {} }), '--config', 'ENOENT');
  rejects(() => loadConfig({ configPath: file('{not json'), env: {} }), '--config', 'JSON object');
  rejects(() => loadConfig({ configPath: file('[1,2]'), env: {} }), '--config', 'JSON object');
  rejects(() => loadConfig({ env: { CHRISTMAS_CONFIG: path.join(dir, 'nope.json') } }), 'CHRISTMAS_CONFIG', 'ENOENT');
});

test('the built config validator is what Ajv compiles from the current schema (make build writes it)', () => {
  const built = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/config/config-validator.cjs');
  assert.is(readFileSync(built, 'utf8'), configValidatorSource(), `${built} is stale: run make build`);
});

test.run();
