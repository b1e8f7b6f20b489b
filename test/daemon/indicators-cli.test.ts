// `christmas indicators`: values nested under "indicators" (JSON) or as indicators.<key>[.<field>] columns (CSV),
// never colliding with a row's own fields; bad rows in every reader dropped, counted on stderr, and every good row
// around them kept; the registry's new keys (time-decayed EMA, quote and flow indicators, sample σ, %b).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, shared } from '../helpers.js';

const cli = (args: string[]) =>
  spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
const trades = shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv');
const dir = mkdtempSync(path.join(tmpdir(), 'christmas-indicators-'));
const rowsOf = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any

test('JSON lines: spec keys as written under "indicators", null until ready; bars keep their own vwap', () => {
  const r = cli([
    'indicators',
    trades,
    '--spec',
    'ema:9,sma:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stddev:20,vwap',
    '--bars',
    '1s',
  ]);
  assert.is(r.status, 0, r.stderr);
  const rows = rowsOf(r.stdout);
  assert.ok(rows.length >= 640 && rows.length <= 660, `${rows.length} one-second bars`);
  for (const k of ['ema:9', 'sma:20', 'rsi:14', 'macd:12:26:9', 'bbands:20:2', 'atr:14', 'stddev:20', 'vwap'])
    assert.ok(k in rows[0]!.indicators, `key ${k}`);
  assert.is(rows[0]!.indicators['ema:9'], null);
  assert.is(rows[0]!.indicators['macd:12:26:9'], null);
  assert.equal(Object.keys(rows[40]!.indicators['macd:12:26:9']), ['macd', 'signal', 'hist']);
  assert.equal(Object.keys(rows[40]!.indicators['bbands:20:2']), ['lower', 'middle', 'upper', 'pb']);
  assert.is(typeof rows[0]!.vwap, 'number', "the bar's own VWAP");
  assert.is(typeof rows[0]!.indicators.vwap, 'number', 'the spec key beside it, not over it');
  assert.is(r.stderr, '', 'nothing dropped from a clean file');
});

test('CSV: one column per value, compound indicators flattened to named columns', () => {
  const r = cli([
    'indicators',
    trades,
    '--spec',
    'ema:9,macd:12:26:9,bbands:20:2,vwap',
    '--print',
    'csv',
    '--bars',
    '1s',
  ]);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const header = lines[0]!.split(',');
  assert.equal(header, [
    'time',
    'open',
    'high',
    'low',
    'close',
    'volume',
    'vwap',
    'trades',
    'indicators.ema:9',
    'indicators.macd:12:26:9.macd',
    'indicators.macd:12:26:9.signal',
    'indicators.macd:12:26:9.hist',
    'indicators.bbands:20:2.lower',
    'indicators.bbands:20:2.middle',
    'indicators.bbands:20:2.upper',
    'indicators.bbands:20:2.pb',
    'indicators.vwap',
  ]);
  assert.is(new Set(header).size, header.length, 'no column twice');
  for (const l of lines) {
    assert.not.ok(l.includes('{') || l.includes('"'), `no JSON in cells: ${l}`);
    assert.is(l.split(',').length, header.length);
  }
  const plain = cli(['indicators', trades, '--spec', 'ema:9', '--print', 'csv']);
  assert.is(plain.stdout.split('\n')[0], 'time,price,size,side,indicators.ema:9');
  assert.is(plain.stdout.trim().split('\n').length, 19_905);
});

const bad = ['', 'NaN', '-1', '0', '1e400', 'text'];

test('trade CSV: empty, NaN, negative, zero, infinite and text prices and negative sizes dropped and counted; good rows all out', () => {
  const src = readFileSync(trades, 'utf8').trim().split('\n');
  const out = [src[0]!];
  let good = 0;
  for (let i = 1; i <= 300; i++) {
    out.push(src[i]!);
    good++;
    if (i % 40 === 0) {
      const c = src[i]!.split(',');
      c[1] = bad[(i / 40) % bad.length]!;
      c[0] = String(Number(c[0]) + 0.5);
      out.push(c.join(','));
    }
    if (i === 101) {
      const c = src[i]!.split(',');
      c[2] = '-0.5';
      out.push(c.join(','));
    }
  }
  const f = path.join(dir, 'bad-binance-spot-BTCUSDT-trades.csv');
  writeFileSync(f, out.join('\n') + '\n');
  const r = cli(['indicators', f, '--spec', 'ema:9,atr:14', '--bars', 'ticks:1']);
  assert.is(r.status, 0, r.stderr);
  assert.is(rowsOf(r.stdout).length, good, 'every good row comes out');
  for (const row of rowsOf(r.stdout))
    assert.ok(row.close > 60_000 && row.volume >= 0, `a bad value slipped through: ${JSON.stringify(row)}`);
  assert.match(r.stderr, /dropped 8 bad records \(/);
  for (const reason of ['price-missing', 'price-not-positive', 'price-infinite', 'size-negative'])
    assert.ok(r.stderr.includes(reason), `${reason} in: ${r.stderr}`);
  assert.is(r.stderr.trim().split('\n').length, 1, 'one line');
});

test('frames and Lean CSVs: bad rows dropped and counted the same way', () => {
  const frames = [
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":1,"p":"61837.63","q":"0.02","T":1723161255342,"m":true,"M":true}}',
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":2,"p":"","q":"0.02","T":1723161255342,"m":true,"M":true}}',
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3,"p":"-5","q":"0.02","T":1723161255342,"m":true,"M":true}}',
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":4,"p":"61837.64","q":"-1","T":1723161255342,"m":true,"M":true}}',
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":5,"p":"61837.65","q":"0.01","T":1723161255342,"m":true,"M":true}}',
  ].map((l, i) => `${1723161254087896568 + i} ${l}`);
  const f = path.join(dir, 'binance-spot-session.log');
  writeFileSync(f, frames.join('\n') + '\n');
  const r = cli(['indicators', f, '--spec', 'ema:2']);
  assert.is(r.status, 0, r.stderr);
  assert.equal(
    rowsOf(r.stdout).map((x) => x.price),
    [61837.63, 61837.65],
  );
  assert.match(r.stderr, /dropped 3 bad records/);
  const lean = path.join(dir, 'lean-SPY-trade-ticks-20131008.csv');
  writeFileSync(
    lean,
    [
      '14417034,167.4200,210,Q,2000,0',
      '14417035,,210,Q,2000,0',
      '14417036,1e400,210,Q,2000,0',
      '14417037,NaN,210,Q,2000,0',
      '14417038,167.43,-3,Q,2000,0',
      '14417039,167.4400,100,Q,2000,0',
    ].join('\n') + '\n',
  );
  const l = cli(['indicators', lean, '--spec', 'sma:2']);
  assert.is(l.status, 0, l.stderr);
  assert.equal(
    rowsOf(l.stdout).map((x) => x.price),
    [167.42, 167.44],
  );
  assert.match(l.stderr, /dropped 4 bad records/);
});

test('new spec keys: time-decayed EMA, sample σ, flow and quote indicators; bad keys are one-line errors', () => {
  const r = cli([
    'indicators',
    trades,
    '--spec',
    'ema:halflife=500ms,stddev:20,stddev:20:sample,tfi:5s,tickrule,min:20,max:20,vwap:session=none,vwap:10s',
  ]);
  assert.is(r.status, 0, r.stderr);
  const rows = rowsOf(r.stdout);
  const x = rows[500]!.indicators;
  assert.ok(x['stddev:20:sample'] > x['stddev:20'], 'sample σ is the larger');
  const n = 20;
  assert.ok(Math.abs(x['stddev:20:sample'] / x['stddev:20'] - Math.sqrt(n / (n - 1))) < 1e-12);
  assert.ok(x['min:20'] <= rows[500]!.price && rows[500]!.price <= x['max:20']);
  assert.ok(x['tfi:5s'] >= -1 && x['tfi:5s'] <= 1);
  assert.is(typeof x['ema:halflife=500ms'], 'number');
  const quotes = cli([
    'indicators',
    shared('ticks/binance-spot-BTCUSDT-bookTicker-20240809T0000Z.csv'),
    '--spec',
    'spread,spread:bps,mid,microprice,imbalance',
  ]);
  assert.is(quotes.status, 0, quotes.stderr);
  const q = rowsOf(quotes.stdout);
  assert.is(q.length, 45_134, 'one row per quote when the spec reads quotes');
  assert.is(q[0]!.indicators.spread, q[0]!.ask - q[0]!.bid);
  assert.is(q[0]!.indicators.mid, (q[0]!.ask + q[0]!.bid) / 2);
  for (const spec of ['nope:3', 'ema:halflife=soon', 'stddev:20:bogus', 'sma:-2', 'ema:9,ema:9']) {
    const e = cli(['indicators', trades, '--spec', spec]);
    assert.ok(e.status !== 0, spec);
    assert.is(e.stderr.trim().split('\n').length, 1, `one line for ${spec}: ${e.stderr}`);
    assert.not.ok(e.stderr.includes('    at '), `no stack for ${spec}`);
  }
});

test.run();
