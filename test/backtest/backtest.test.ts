// christmas backtest on a real recording with a module whose signals are known (a buy on every 100th trade):
// its markouts and PnL equal a reference the test computes itself from the same trades; two runs give
// byte-identical reports; bad options are one-line usage errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, repoRoot, shared } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-backtest-'));
mkdirSync(path.join(dir, 'node_modules'));
symlinkSync(repoRoot, path.join(dir, 'node_modules', 'christmas'));
writeFileSync(
  path.join(dir, 'nth.mjs'),
  `export default (name, p) => ({ name, type: 'nth', create(venue, symbol) { let n = 0; return {
    onTick(t) { if (t.kind !== 'trade' || ++n % p.every !== 0) return undefined;
      return { symbol, venue, side: 'buy', strategy: name, price: t.price, strength: 1, ttlMs: p.ttlMs, reason: 'nth', indicators: {} }; },
    snapshot: () => ({ n }), restore(s) { n = s.n; } }; } });`,
);
const cfg = path.join(dir, 'c.json');
writeFileSync(
  cfg,
  JSON.stringify({
    strategies: [{ name: 'nth', module: './nth.mjs', params: { every: 100, ttlMs: 500 } }],
    risk: { cooldownMs: 0, maxSignalsPerSec: 1e6, maxSignalsPerSecPerSymbol: 1e6 },
  }),
);
const trades = shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 });

interface Summary {
  mean: number | null;
  median: number | null;
  hitRate: number | null;
  n: number;
  beyondEnd: number;
}
interface Report {
  strategies: Array<{
    name: string;
    symbol: string;
    signals: number;
    markoutsBps: Record<string, Summary>;
    pnlBps: Summary & { total: number };
  }>;
}

function summary(xs: number[]): { mean: number; median: number; hitRate: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    mean: xs.reduce((a, x) => a + x, 0) / xs.length,
    median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2,
    hitRate: xs.filter((x) => x > 0).length / xs.length,
  };
}

test('markouts and PnL equal a reference computed here from the same trades; the report is byte-identical twice', () => {
  // The stream the strategies see: the recording's trades as the engine normalizes them.
  const ticks = cli(['replay', trades, '--print', 'ticks'])
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { tsExchNs: number; price: number });
  const args = ['backtest', trades, '--config', cfg, '--report', 'json', '--horizons', '1s,10s,60s', '--fee-bps', '1'];
  const a = cli(args),
    b = cli(args);
  assert.is(a.status, 0, a.stderr);
  assert.is(a.stdout, b.stdout, 'deterministic');
  const r = JSON.parse(a.stdout) as Report;
  assert.is(r.strategies.length, 1);
  const row = r.strategies[0]!;
  assert.is(row.name, 'nth');
  assert.is(row.symbol, 'binance:BTCUSDT');
  const sigIdx = ticks.map((_, i) => i).filter((i) => (i + 1) % 100 === 0);
  assert.is(row.signals, sigIdx.length);
  // The last tick (in stream order) whose exchange time is at or before T, if a later tick passes T.
  const refAt = (from: number, T: number): number | undefined => {
    let j = from;
    while (j + 1 < ticks.length && ticks[j + 1]!.tsExchNs <= T) j++;
    return j + 1 < ticks.length ? ticks[j]!.price : undefined;
  };
  for (const [h, ms] of [
    ['1s', 1000],
    ['10s', 10_000],
    ['60s', 60_000],
  ] as const) {
    const xs: number[] = [];
    for (const i of sigIdx) {
      const ref = refAt(i, ticks[i]!.tsExchNs + ms * 1e6);
      if (ref !== undefined) xs.push(((ref - ticks[i]!.price) / ticks[i]!.price) * 1e4);
    }
    const got = row.markoutsBps[h]!;
    const want = summary(xs);
    assert.is(got.n, xs.length, `${h}: n`);
    assert.is(got.beyondEnd, sigIdx.length - xs.length, `${h}: past the end`);
    assert.ok(Math.abs(got.mean! - want.mean) < 1e-5, `${h} mean ${got.mean} vs ${want.mean}`);
    assert.ok(Math.abs(got.median! - want.median) < 1e-5, `${h} median`);
    assert.ok(Math.abs(got.hitRate! - want.hitRate) < 1e-5, `${h} hit rate`);
  }
  // PnL: enter at the next tick, exit at the reference 500 ms after the signal, 1 bps per side.
  const pnl: number[] = [];
  for (const i of sigIdx) {
    if (i + 1 >= ticks.length) continue;
    const entry = ticks[i + 1]!.price;
    const exit = refAt(i, ticks[i]!.tsExchNs + 500e6);
    if (exit !== undefined) pnl.push(((exit - entry) / entry) * 1e4 - 2);
  }
  assert.is(row.pnlBps.n, pnl.length);
  assert.ok(Math.abs(row.pnlBps.total - pnl.reduce((x, y) => x + y, 0)) < 1e-4, `pnl total ${row.pnlBps.total}`);
  // --out writes the same JSON; the table names the strategy.
  const out = path.join(dir, 'out');
  cli([...args, '--out', out]);
  assert.is(readFileSync(path.join(out, 'report.json'), 'utf8'), a.stdout);
  const svg = readFileSync(path.join(out, 'report.svg'), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.is((svg.match(/<polyline /g) ?? []).length, 2, 'a markout curve and a PnL curve');
  assert.match(svg, /nth binance:BTCUSDT: \d+ signals/);
  const t = cli(['backtest', trades, '--config', cfg]);
  assert.match(t.stdout, /^strategy \| symbol \| signals/);
  assert.match(t.stdout, /\nnth \| binance:BTCUSDT \| \d+/);
});

test('--sweep runs the grid on worker threads: each combination reports what a backtest of that setting reports', () => {
  const r = cli([
    'backtest',
    trades,
    '--config',
    cfg,
    '--report',
    'json',
    '--sweep',
    'nth.every=50,100,200',
    '--sweep',
    'nth.ttlMs=500,1000',
  ]);
  assert.is(r.status, 0, r.stderr);
  const rows = (JSON.parse(r.stdout) as { sweep: Array<{ params: Record<string, number> } & Report> }).sweep;
  assert.is(rows.length, 6);
  assert.equal(
    rows.map((x) => [x.params['nth.every'], x.params['nth.ttlMs']]),
    [
      [50, 500],
      [50, 1000],
      [100, 500],
      [100, 1000],
      [200, 500],
      [200, 1000],
    ],
  );
  for (const row of rows.filter((x) => x.params['nth.ttlMs'] === 500)) {
    const one = path.join(dir, `one-${row.params['nth.every']}.json`);
    writeFileSync(
      one,
      JSON.stringify({
        strategies: [{ name: 'nth', module: './nth.mjs', params: { every: row.params['nth.every'], ttlMs: 500 } }],
        risk: { cooldownMs: 0, maxSignalsPerSec: 1e6, maxSignalsPerSecPerSymbol: 1e6 },
      }),
    );
    const single = JSON.parse(cli(['backtest', trades, '--config', one, '--report', 'json']).stdout) as Report;
    assert.equal(row.strategies, single.strategies, `every=${row.params['nth.every']}`);
  }
  const bad = cli(['backtest', trades, '--config', cfg, '--sweep', 'nope.every=1']);
  assert.is(bad.status, 64);
  assert.match(bad.stderr, /no strategy named "nope"/);
});

test('bad options: one line, exit 64', () => {
  for (const bad of [
    ['--horizons', '1x'],
    ['--report', 'xml'],
    ['--fee-bps', '-1'],
  ]) {
    const r = cli(['backtest', trades, ...bad]);
    assert.is(r.status, 64, r.stderr);
    assert.is(r.stderr.trim().split('\n').length, 1);
  }
});

test.run();
