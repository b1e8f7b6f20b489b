// RSI's flat-window convention is TA-Lib's (C 0.6, ta_RSI.c with TA_IS_ZERO = ±1e-14): 0 whenever average gain +
// average loss is below 1e-14. Checked against a transcription of TA-Lib's classic batch loop (its own operation
// order, (prev·(n−1) + x)/n), on an all-flat start, a long flat run and the real BTCUSDT trades.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RSI } from '../../src/indicators/rsi.js';
import { loadKernels, fallbackKernels } from '../../src/native/index.js';
import { close } from '../helpers.js';
import { realTrades } from './exact.js';

/** TA-Lib's TA_RSI, classic (no Metastock), unstable period 0: outputs from index n, NaN before. */
function talibRsi(x: number[], n: number): number[] {
  const out = x.map(() => NaN);
  if (x.length <= n) return out;
  let prevGain = 0,
    prevLoss = 0,
    prev = x[0]!;
  for (let i = 1; i <= n; i++) {
    const d = x[i]! - prev;
    prev = x[i]!;
    if (d < 0) prevLoss -= d;
    else prevGain += d;
  }
  prevLoss /= n;
  prevGain /= n;
  const emit = (i: number) => {
    const t = prevGain + prevLoss;
    out[i] = -1e-14 < t && t < 1e-14 ? 0 : 100 * (prevGain / t);
  };
  emit(n);
  for (let i = n + 1; i < x.length; i++) {
    const d = x[i]! - prev;
    prev = x[i]!;
    prevLoss *= n - 1;
    prevGain *= n - 1;
    if (d < 0) prevLoss -= d;
    else prevGain += d;
    prevLoss /= n;
    prevGain /= n;
    emit(i);
  }
  return out;
}

function check(x: number[], n: number, what: string): void {
  const want = talibRsi(x, n);
  const r = new RSI(n);
  const kernels = [loadKernels({ disabled: false }).kernels, fallbackKernels].map((k) => {
    const o = new Float64Array(x.length);
    k.rsiBatch(Float64Array.from(x), n, o);
    return o;
  });
  x.forEach((v, i) => {
    const got = r.update(v);
    const w = want[i]!;
    if (Number.isNaN(w)) {
      assert.ok(Number.isNaN(got), `${what}[${i}] before warm-up`);
      return;
    }
    if (w === 0 ? got !== 0 : !close(got, w, 1e-9)) assert.unreachable(`${what}[${i}]: ${got}, TA-Lib ${w}`);
    for (const o of kernels)
      if (!Object.is(o[i], got)) assert.unreachable(`${what}[${i}]: kernel ${o[i]} vs streaming ${got}`);
  });
}

test('an all-flat start reads 0, as TA-Lib (not 50 or 100)', () => {
  check(Array(40).fill(61834.63), 14, 'flat');
  const r = new RSI(14);
  for (let i = 0; i < 20; i++) r.update(100);
  assert.is(r.value, 0);
});

test('a long flat run decays to 0 where TA-Lib does, and recovers on the next move', () => {
  const x = [
    100, 100.01, 100.02, 100.01, 100.03, 100.02, 100.04, 100.05, 100.03, 100.06, 100.04, 100.07, 100.05, 100.08, 100.06,
  ];
  for (let i = 0; i < 600; i++) x.push(100.06);
  x.push(100.07, 100.05, 100.09);
  const want = talibRsi(x, 14);
  const firstZero = want.findIndex((v, i) => i > 14 && v === 0);
  assert.ok(firstZero > 300 && firstZero < 500, `TA-Lib reaches 0 about 340 updates into the run (${firstZero})`);
  check(x, 14, 'long flat');
});

test('the real BTCUSDT trades (flat stretches between price changes) match TA-Lib at 14 and 100', () => {
  const px = realTrades('btcusdt').price.map(Number);
  check(px, 14, 'btc14');
  check(px, 100, 'btc100');
});

test.run();
