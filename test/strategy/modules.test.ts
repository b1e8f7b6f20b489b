// User strategy modules, written here in a temp folder (not in src/) and importing `christmas/sdk` as a user's
// package would: exactly the signals their code implies on a real recording, in replay (inline and pool) and in
// the engine; validate() refusals stop the start (exit 78); a throwing module is isolated; SIGHUP's reload
// picks up a changed file and keeps the old one when the new one fails to load; the two examples run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, freePort, repoRoot, shared, spawnCli, until } from '../helpers.js';
import { SignalClient } from '../../src/signal/client.js';
import { encodeFrame } from '../../src/signal/framing.js';
import net from 'node:net';
import { loadConfig } from '../../src/config/load.js';
import { Engine } from '../../src/daemon/engine.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { recordedTicks } from '../ticks.js';
import type { Signal } from '../../src/model/signal.js';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-modules-'));
mkdirSync(path.join(dir, 'node_modules'));
symlinkSync(repoRoot, path.join(dir, 'node_modules', 'christmas')); // as `npm install christmas` would
const trades = shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv');

/** Every `every`-th trade of a symbol buys at its price; reason carries a version tag. */
const everyNth = (tag: string) => `
import { clamp01 } from 'christmas/sdk';
export function validate(p) { return Number.isInteger(p.every) && p.every > 0 ? [] : ['every: expected a positive integer']; }
export default (name, params) => ({
  name, type: 'every-nth',
  create(venue, symbol) {
    let n = 0;
    return {
      onTick(t) {
        if (t.kind !== 'trade' || ++n % params.every !== 0) return undefined;
        return { symbol, venue, side: 'buy', strategy: name, price: t.price, strength: clamp01(1), ttlMs: 100,
                 reason: '${tag} trade ' + n, indicators: { n } };
      },
      snapshot: () => ({ n }), restore(s) { n = s.n; },
    };
  },
});
`;
const thrower = `export default (name) => ({ name, type: 'thrower', create(venue, symbol) { let n = 0; return {
  onTick(t) { if (++n === 50) throw new Error('boom at 50'); return undefined; }, snapshot: () => ({}), restore() {} }; } });`;

writeFileSync(path.join(dir, 'every.mjs'), everyNth('v1'));
writeFileSync(path.join(dir, 'thrower.mjs'), thrower);
const openRisk = {
  cooldownMs: 0,
  maxSignalsPerSec: 1_000_000,
  maxSignalsPerSecPerSymbol: 1_000_000,
  maxSpreadBps: 10_000,
};
function config(file: string, strategies: unknown[]): string {
  const p = path.join(dir, file);
  writeFileSync(p, JSON.stringify({ strategies, risk: openRisk }));
  return p;
}
const cli = (args: string[]) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'warn' },
    timeout: 120_000,
    maxBuffer: 256 << 20,
  });
const tradePrices = () => {
  const r = cli(['replay', trades, '--print', 'ticks']);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; price: number })
    .filter((t) => t.kind === 'trade')
    .map((t) => t.price);
};

test('a module in a user folder signals exactly what its code implies, in both compute modes', () => {
  const cfg = config('every.json', [{ name: 'nth', module: './every.mjs', params: { every: 100 } }]);
  const prices = tradePrices();
  const want = prices.filter((_, i) => (i + 1) % 100 === 0);
  assert.ok(want.length > 50, `${want.length} expected signals`);
  for (const mode of ['inline', 'pool']) {
    const r = cli(['replay', trades, '--config', cfg, '--print', 'signals', '--set', `compute.mode=${mode}`]);
    assert.is(r.status, 0, r.stderr);
    const got = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Signal);
    assert.equal(
      got.map((s) => s.price),
      want,
      `${mode}: one buy per 100th trade at its price`,
    );
    assert.ok(got.every((s) => s.strategy === 'nth' && s.reason.startsWith('v1 trade ')));
  }
});

/** The NDJSON signal lines a raw reader of the socket gets (format json), as text, for exact digits. */
function jsonLines(socketPath: string): { lines: () => string[]; close: () => void } {
  let text = '';
  const sock = net.connect(socketPath, () =>
    sock.write(encodeFrame({ type: 'hello', v: 1, fromSeq: 1, format: 'json', client: 'test' })),
  );
  sock.on('data', (b: Buffer) => (text += b.toString('latin1')));
  sock.on('error', () => undefined);
  return {
    lines: () =>
      text
        .split('\n')
        .map((l) => l.slice(Math.max(0, l.indexOf('{"type":"signal"'))))
        .filter((l) => l.startsWith('{"type":"signal"')),
    close: () => sock.destroy(),
  };
}

test('run against serve-replay in pool mode: the module signals over the socket, in its order, with ns times', async () => {
  const startedNs = BigInt(Date.now()) * 1_000_000n;
  const port = await freePort();
  const sr = spawnCli(['serve-replay', trades, '--port', String(port), '--rate', '5000']);
  await until(() => sr.out().includes('listening'), 15_000, 'replay server');
  const sock = path.join(dir, 'run.sock');
  const cfg = config('run.json', [{ name: 'nth', module: './every.mjs', params: { every: 100 } }]);
  const d = spawnCli(['run', '--config', cfg, '--set', 'compute.mode=pool'], {
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_REDIS_URL: '',
    CHRISTMAS_DATABASE_URL: '',
    CHRISTMAS_SIGNAL_SOCKET: sock,
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool-run'),
    CHRISTMAS_METRICS_LISTEN: '',
    CHRISTMAS_LOG_LEVEL: 'info',
  });
  const got: Array<Record<string, unknown>> = [];
  let lines: string[];
  try {
    await until(() => d.out().includes('christmas running'), 30_000, 'daemon running');
    const client = new SignalClient({ socketPath: sock, fromSeq: 1 });
    client.on('signal', (s: Record<string, unknown>) => got.push(s));
    client.start();
    const raw = jsonLines(sock);
    await until(() => got.length >= 20 && raw.lines().length >= 20, 30_000, 'twenty signals from the module');
    client.stop();
    raw.close();
    lines = raw.lines();
  } finally {
    d.child.kill('SIGTERM');
    sr.child.kill('SIGTERM');
    await d.exited;
  }
  const endedNs = BigInt(Date.now()) * 1_000_000n;
  // Exact integer ns on the wire, from the receive (tick ring, worker, draft ring) and signal clocks.
  const big = (line: string, key: string) => BigInt(new RegExp(`"${key}":(\\d+)[,}]`).exec(line)![1]!);
  const times = lines.slice(0, 20).map((l) => ({
    ts: big(l, 'tsNs'),
    exch: big(l, 'tsExchNs'),
    recv: big(l, 'tsRecvNs'),
    signal: big(l, 'tsSignalNs'),
  }));
  for (const t of times) {
    assert.is(t.ts, t.signal, 'tsNs is the signal time');
    assert.ok(t.recv >= startedNs - 1_000_000_000n && t.recv <= endedNs + 1_000_000_000n, 'receive time is now');
    assert.ok(t.signal > t.recv && t.signal - t.recv < 10_000_000_000n, 'signal after its receive');
    assert.is(t.exch % 1000n, 0n, 'the exchange time is its whole µs');
  }
  // A float64 epoch ns is a multiple of 256 and a µs time one of 1000; times to the ns are neither (20 of them
  // all one or the other by chance: under 1 in 10^48).
  for (const k of ['recv', 'signal'] as const) {
    assert.ok(
      times.some((t) => t[k] % 256n !== 0n),
      `${k} times are not float64 epoch ns`,
    );
    assert.ok(
      times.some((t) => t[k] % 1000n !== 0n),
      `${k} times carry ns digits`,
    );
  }
  assert.ok(got.every((s) => s.strategy === 'nth'));
  assert.equal(
    got.slice(0, 20).map((s) => s.reason),
    Array.from({ length: 20 }, (_, i) => `v1 trade ${(i + 1) * 100}`),
  );
});

test("validate()'s refusal stops the start: exit 78 naming strategies.<name>.params", () => {
  const cfg = config('bad.json', [{ name: 'nth', module: './every.mjs', params: { every: -3 } }]);
  const r = cli(['replay', trades, '--config', cfg, '--print', 'signals']);
  assert.is(r.status, 78);
  assert.match(
    r.stderr.trim(),
    /^christmas: config strategies\.nth\.params: got .*expected every: expected a positive integer$/,
  );
  const missing = config('missing.json', [{ name: 'x', module: './nope.mjs' }]);
  const m = cli(['replay', trades, '--config', missing]);
  assert.is(m.status, 78);
  assert.match(m.stderr, /strategies\[0\]\.module/);
});

test('a module that throws is disabled for that symbol, counted and logged once; the others keep signalling', async () => {
  const cfg = loadConfig({
    configPath: config('both.json', [
      { name: 'nth', module: './every.mjs', params: { every: 100 } },
      { name: 'bad', module: './thrower.mjs' },
    ]),
  });
  const lines: string[] = [];
  const log = { ...silentLogger, error: (_o: unknown, m: string) => lines.push(m) } as unknown as typeof silentLogger;
  const engine = new Engine({ config: cfg, log, store: false, persist: false, socket: false, replay: true });
  await engine.start();
  const signals: Signal[] = [];
  engine.onSignal = (s) => signals.push(s);
  const ticks = recordedTicks({ recvNs: (_f, n) => 1_723_161_600_000_000_000 + n * 1000 }).filter(
    (t) => t.kind === 'trade',
  );
  for (const t of ticks) engine.onTick(t, 0);
  await engine.stop(2000);
  assert.is(engine.strategyErrors.get('bad'), 1);
  assert.equal(lines.filter((l) => l.includes('bad threw')).length, 1);
  assert.is(signals.length, Math.floor(ticks.length / 100), 'nth signalled on, unaffected');
});

test('reload picks up a changed module file; a version that fails to load keeps the running one', async () => {
  const file = path.join(dir, 'every-reload.mjs');
  writeFileSync(file, everyNth('v1'));
  const cfgPath = config('reload.json', [{ name: 'nth', module: './every-reload.mjs', params: { every: 10 } }]);
  const engine = new Engine({
    config: loadConfig({ configPath: cfgPath }),
    log: silentLogger,
    store: false,
    persist: false,
    socket: false,
    replay: true,
  });
  await engine.start();
  const reasons: string[] = [];
  engine.onSignal = (s) => reasons.push(s.reason);
  const ticks = recordedTicks({ recvNs: (_f, n) => 1_723_161_600_000_000_000 + n * 1000 }).filter(
    (t) => t.kind === 'trade',
  );
  const feed = (from: number, to: number) => ticks.slice(from, to).forEach((t) => engine.onTick(t, 0));
  feed(0, 100);
  writeFileSync(file, everyNth('v2'));
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  await engine.reload(loadConfig({ configPath: cfgPath }));
  feed(100, 200);
  writeFileSync(file, 'export default (name) => { this is not javascript');
  const latest = new Date(Date.now() + 10_000);
  utimesSync(file, latest, latest);
  const failed = await engine.reload(loadConfig({ configPath: cfgPath })).then(
    () => undefined,
    (e: Error) => e.message,
  );
  assert.match(String(failed), /strategies\.nth\.module/);
  feed(200, 300);
  await engine.stop(2000);
  const tags = reasons.map((r) => r.split(' ')[0]);
  assert.equal(tags.slice(0, 10), Array(10).fill('v1'));
  assert.equal(tags.slice(10), Array(tags.length - 10).fill('v2'), 'v2 after the reload, kept after the failed one');
  assert.ok(tags.length >= 25);
});

test('the two examples (plain JS and compiled TypeScript) load and signal on a real recording', () => {
  const cfg = path.join(dir, 'examples.json');
  writeFileSync(
    cfg,
    JSON.stringify({
      strategies: [
        { name: 'contra', module: path.join(repoRoot, 'examples/strategies/contra.mjs'), params: { run: 6 } },
        {
          name: 'ema-gap',
          module: path.join(repoRoot, 'dist/examples/strategies/ema-gap.js'),
          params: { period: 50, gapBps: 2 },
        },
      ],
      risk: openRisk,
    }),
  );
  const r = cli(['replay', trades, '--config', cfg, '--print', 'signals']);
  assert.is(r.status, 0, r.stderr);
  const by = new Map<string, number>();
  for (const l of r.stdout.trim().split('\n')) {
    const s = JSON.parse(l) as Signal;
    by.set(s.strategy, (by.get(s.strategy) ?? 0) + 1);
  }
  assert.ok((by.get('contra') ?? 0) > 0 && (by.get('ema-gap') ?? 0) > 0, JSON.stringify([...by]));
});

test.run();
