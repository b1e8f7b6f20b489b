// replay writes only to the services the user names, merges several files by receive time, and a named Redis
// that is down is said at once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, shared } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-replay-svc-'));
const trades = shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv');
const quotes = shared('ticks/binance-spot-BTCUSDT-bookTicker-20240809T0000Z.csv');
// No CHRISTMAS_* service variables: the defaults of config/default.json name Redis, PostgreSQL and a socket in /run.
const bareEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CHRISTMAS_')));
const replay = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cliPath, 'replay', ...args], {
    encoding: 'utf8',
    env: { ...bareEnv, CHRISTMAS_LOG_LEVEL: 'info', ...env },
    timeout: 120_000,
    maxBuffer: 512 << 20,
  });

test('with nothing named, replay touches no service: no Redis or database wait, no socket, no system spool', () => {
  const t0 = Date.now();
  const r = replay([trades, '--print', 'signals']);
  const ms = Date.now() - t0;
  assert.is(r.status, 0, r.stderr);
  assert.ok(ms < 8000, `done in ${ms} ms: it did not wait for the default Redis/PostgreSQL`);
  assert.match(r.stderr, /writes only to services named/);
  assert.not.match(r.stderr, /database unreachable/);
  assert.ok(r.stdout.trim().split('\n').length > 0);
  assert.not.ok(existsSync('/run/christmas/signals.sock'), 'no socket at the default path');
});

test('a named database that is down spools into a private folder, not spool.dir of the daemon', () => {
  const cfg = path.join(dir, 'db.json');
  writeFileSync(cfg, JSON.stringify({ database: { url: 'postgres://christmas@127.0.0.1:1/none' } }));
  const r = replay([trades, '--config', cfg, '--no-socket'], { CHRISTMAS_LOG_LEVEL: 'info' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /christmas-replay-spool-/);
  assert.match(r.stderr, /database unreachable at start/);
});

test('a named Redis that is down is a warning within the first second', () => {
  const r = replay([trades, '--no-persist', '--no-socket'], { CHRISTMAS_REDIS_URL: 'redis://127.0.0.1:1/0' });
  assert.match(r.stderr, /Redis redis:\/\/127\.0\.0\.1:1\/0 is unreachable/);
});

test('two files are merged by receive time: trades and book tickers interleave in receive order', () => {
  const r = replay([trades, quotes, '--print', 'ticks']);
  assert.is(r.status, 0, r.stderr);
  const ticks = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; tsRecvNs: number });
  const kinds = new Set(ticks.map((t) => t.kind));
  assert.equal([...kinds].sort(), ['quote', 'trade']);
  let switches = 0;
  for (let i = 1; i < ticks.length; i++) {
    if (ticks[i]!.tsRecvNs < ticks[i - 1]!.tsRecvNs)
      assert.unreachable(`out of receive order at ${i}: ${ticks[i - 1]!.tsRecvNs} then ${ticks[i]!.tsRecvNs}`);
    if (ticks[i]!.kind !== ticks[i - 1]!.kind) switches++;
  }
  assert.ok(switches > 100, `interleaved (${switches} switches between kinds)`);
});

test.run();
