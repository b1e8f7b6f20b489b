// Properties of every streaming indicator: streaming = batch (native and TypeScript kernels), reset + replay
// and snapshot/restore reproduce state exactly, bad input is rejected at the boundary, time windows handle
// irregular spacing, and bars aggregate trades exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shared, close } from '../helpers.js';
import { loadKernels, fallbackKernels } from '../../src/native/index.js';
import { SMA } from '../../src/indicators/sma.js';
import { EMA } from '../../src/indicators/ema.js';
import { WMA } from '../../src/indicators/wma.js';
import { DEMA } from '../../src/indicators/dema.js';
import { TEMA } from '../../src/indicators/tema.js';
import { RSI } from '../../src/indicators/rsi.js';
import { MACD } from '../../src/indicators/macd.js';
import { ROC } from '../../src/indicators/roc.js';
import { Momentum } from '../../src/indicators/momentum.js';
import { Stochastic } from '../../src/indicators/stochastic.js';
import { RollingStdDev } from '../../src/indicators/stddev.js';
import { BollingerBands } from '../../src/indicators/bollinger.js';
import { ATR } from '../../src/indicators/atr.js';
import { SessionVWAP, RollingVWAP } from '../../src/indicators/vwap.js';
import { VWMA } from '../../src/indicators/vwma.js';
import { ZScore } from '../../src/indicators/zscore.js';
import { RealizedVolatility } from '../../src/indicators/realized-vol.js';
import { WilderSmoothing } from '../../src/indicators/wilder.js';
import { Spread } from '../../src/indicators/spread.js';
import { Mid } from '../../src/indicators/mid.js';
import { Microprice } from '../../src/indicators/microprice.js';
import { BookImbalance } from '../../src/indicators/book-imbalance.js';
import { TradeFlowImbalance } from '../../src/indicators/trade-flow-imbalance.js';
import { TickRuleVolume } from '../../src/indicators/tick-rule.js';
import { BarBuilder } from '../../src/indicators/bars.js';
import { InputError } from '../../src/model/errors.js';
import type { Bar } from '../../src/model/bar.js';

const rows = readFileSync(shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','));
const px = Float64Array.from(rows.map((r) => Number(r[1])));
const qty = rows.map((r) => Number(r[2]));
const tms = rows.map((r) => Number(r[3]));
const side = rows.map((r) => (r[5] === 'true' ? 'sell' : 'buy') as 'buy' | 'sell');

const impls = [
  ['native', loadKernels({ disabled: false }).kernels],
  ['typescript', fallbackKernels],
] as const;

for (const [name, k] of impls) {
  test(`${name}: streaming EMA/RSI/σ over 19,904 real trades equal the batch kernels exactly`, () => {
    const n = px.length;
    const e = new Float64Array(n),
      r = new Float64Array(n),
      m = new Float64Array(n),
      sd = new Float64Array(n);
    k.emaBatch(px, 12, e);
    k.rsiBatch(px, 14, r);
    k.rollingMeanStd(px, 20, m, sd);
    const ema = new EMA(12),
      rsi = new RSI(14),
      std = new RollingStdDev(20);
    for (let i = 0; i < n; i++) {
      const a = ema.update(px[i]!),
        c = rsi.update(px[i]!),
        d = std.update(px[i]!);
      if (!Object.is(ema.ready ? a : NaN, e[i])) assert.unreachable(`ema ${i}: ${a} vs ${e[i]}`);
      if (!Object.is(rsi.ready ? c : NaN, r[i])) assert.unreachable(`rsi ${i}: ${c} vs ${r[i]}`);
      if (!Object.is(std.ready ? d : NaN, sd[i])) assert.unreachable(`std ${i}`);
    }
  });

  test(`${name}: a batch warm-up (warmFrom) leaves the state streaming leaves, and both continue identically`, () => {
    const make = () => [new EMA(12), new RSI(14), new RollingStdDev(20)] as const;
    for (const n of [0, 1, 11, 12, 13, 14, 15, 19, 20, 21, 5000, px.length - 100]) {
      const warm = make(),
        streamed = make();
      const head = px.subarray(0, n);
      warm[0].warmFrom(head, k);
      warm[1].warmFrom(head, k);
      warm[2].warmFrom(head, k);
      for (let i = 0; i < n; i++) for (const ind of streamed) ind.update(px[i]!);
      for (let j = 0; j < 3; j++) assert.equal(warm[j]!.snapshot(), streamed[j]!.snapshot(), `state after ${n}, #${j}`);
      for (let i = n; i < Math.min(px.length, n + 100); i++)
        for (let j = 0; j < 3; j++) {
          const a = warm[j]!.update(px[i]!),
            b = streamed[j]!.update(px[i]!);
          if (!Object.is(a, b)) assert.unreachable(`after warming ${n}: #${j} at ${i}: ${a} vs ${b}`);
        }
    }
  });
}

test('long series: re-anchoring keeps streaming σ identical to the kernels past 2^16 values', () => {
  const n = 200_000;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = px[i % px.length]! + (i % 7) * 0.01;
  const m = new Float64Array(n),
    sd = new Float64Array(n);
  fallbackKernels.rollingMeanStd(x, 50, m, sd);
  const std = new RollingStdDev(50);
  for (let i = 0; i < n; i++) {
    std.update(x[i]!);
    if (i >= 49 && std.value !== sd[i]) assert.unreachable(`index ${i}`);
  }
});

type Make = () => {
  update: (...a: number[]) => unknown;
  reset(): void;
  snapshot(): Record<string, unknown>;
  restore(s: Record<string, unknown>): void;
  value: unknown;
  ready: boolean;
};
const makers: Record<string, [Make, (i: number) => number[]]> = {
  sma: [() => new SMA(20), (i) => [px[i]!]],
  ema: [() => new EMA(12), (i) => [px[i]!]],
  wma: [() => new WMA(9), (i) => [px[i]!]],
  dema: [() => new DEMA(9), (i) => [px[i]!]],
  tema: [() => new TEMA(9), (i) => [px[i]!]],
  wilder: [() => new WilderSmoothing(14), (i) => [px[i]!]],
  rsi: [() => new RSI(14), (i) => [px[i]!]],
  macd: [() => new MACD(), (i) => [px[i]!]],
  roc: [() => new ROC(12), (i) => [px[i]!]],
  mom: [() => new Momentum(10), (i) => [px[i]!]],
  stddev: [() => new RollingStdDev(20), (i) => [px[i]!]],
  bbands: [() => new BollingerBands(), (i) => [px[i]!]],
  zscore: [() => new ZScore(50), (i) => [px[i]!]],
  atr: [() => new ATR(14) as never, (i) => [px[i]! + 1, px[i]! - 1, px[i]!]],
  stoch: [() => new Stochastic() as never, (i) => [px[i]! + 1, px[i]! - 1, px[i]!]],
  vwap: [() => new SessionVWAP() as never, (i) => [px[i]!, qty[i]!, tms[i]!]],
  rvwap: [() => new RollingVWAP(5000) as never, (i) => [px[i]!, qty[i]!, tms[i]!]],
  vwma: [() => new VWMA(20) as never, (i) => [px[i]!, qty[i]!]],
  rvol: [() => new RealizedVolatility(10_000) as never, (i) => [px[i]!, tms[i]!]],
  tfi: [() => new TradeFlowImbalance(3000) as never, (i) => [qty[i]!, side[i] as unknown as number, tms[i]!]],
  tickrule: [() => new TickRuleVolume() as never, (i) => [px[i]!, qty[i]!]],
  spread: [() => new Spread() as never, (i) => [px[i]!, px[i]! + 0.01]],
  mid: [() => new Mid() as never, (i) => [px[i]!, px[i]! + 0.01]],
  micro: [() => new Microprice() as never, (i) => [px[i]!, qty[i]!, px[i]! + 0.01, qty[(i + 1) % qty.length]!]],
  imb: [() => new BookImbalance() as never, (i) => [qty[i]!, qty[(i + 7) % qty.length]!]],
};
const val = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

test('every indicator: reset + replay and snapshot/restore mid-stream reproduce the same values exactly', () => {
  for (const [name, [make, args]] of Object.entries(makers)) {
    const a = make();
    const seq: string[] = [];
    for (let i = 0; i < 3000; i++) {
      a.update(...args(i));
      seq.push(val(a.value));
    }
    a.reset();
    for (let i = 0; i < 3000; i++) {
      a.update(...args(i));
      if (val(a.value) !== seq[i]) assert.unreachable(`${name}: reset + replay differs at ${i}`);
    }
    const b = make();
    for (let i = 0; i < 1500; i++) b.update(...args(i));
    const snap = JSON.parse(JSON.stringify(b.snapshot())); // survives a round trip through JSON (a file, Redis)
    const c = make();
    c.restore(snap);
    for (let i = 1500; i < 3000; i++) {
      c.update(...args(i));
      if (val(c.value) !== seq[i])
        assert.unreachable(`${name}: restored state differs at ${i}: ${val(c.value)} vs ${seq[i]}`);
    }
  }
});

test('NaN, Infinity and negative sizes are rejected at the boundary and never reach the state', () => {
  for (const [name, [make, args]] of Object.entries(makers)) {
    const a = make();
    for (let i = 0; i < 100; i++) a.update(...args(i));
    const before = val(a.snapshot());
    for (const bad of [NaN, Infinity, -Infinity]) {
      try {
        a.update(...args(100).map((x, j) => (j === 0 ? bad : x)));
        assert.unreachable(`${name} accepted ${bad}`);
      } catch (err) {
        assert.instance(err, InputError, name);
      }
    }
    assert.is(
      val(a.snapshot()).replace(/"count":\d+/, ''),
      before.replace(/"count":\d+/, ''),
      `${name}: state untouched`,
    );
  }
  assert.throws(() => new VWMA(3).update(100, -1), /must be a finite number >= 0/);
  assert.throws(() => new SessionVWAP().update(100, -5), /must be a finite number >= 0/);
  assert.throws(() => new EMA(0), /period must be an integer/);
});

test('time windows handle irregular spacing: rolling VWAP and trade-flow imbalance equal a brute-force recomputation', () => {
  const w = new RollingVWAP(2000),
    f = new TradeFlowImbalance(1500);
  for (let i = 0; i < 4000; i++) {
    const v = w.update(px[i]!, qty[i]!, tms[i]!),
      g = f.update(qty[i]!, side[i]!, tms[i]!);
    if (i % 97 !== 0) continue;
    let pq = 0,
      q = 0,
      buy = 0,
      sell = 0,
      tot = 0;
    for (let j = 0; j <= i; j++) {
      if (tms[j]! > tms[i]! - 2000) {
        pq += px[j]! * qty[j]!;
        q += qty[j]!;
      }
      if (tms[j]! > tms[i]! - 1500) {
        tot += qty[j]!;
        if (side[j] === 'buy') buy += qty[j]!;
        else sell += qty[j]!;
      }
    }
    assert.ok(close(v, pq / q, 1e-9), `vwap ${i}: ${v} vs ${pq / q}`);
    assert.ok(close(g, (buy - sell) / tot, 1e-9, 1e-9), `tfi ${i}: ${g} vs ${(buy - sell) / tot}`);
  }
  const exact = new SessionVWAP();
  let pq = 0,
    q = 0;
  for (let i = 0; i < px.length; i++) {
    exact.update(px[i]!, qty[i]!);
    pq += px[i]! * qty[i]!;
    q += qty[i]!;
  }
  assert.ok(close(exact.value, pq / q, 1e-12));
});

test('bars: 1 s time bars, tick bars and volume bars conserve volume, trades and VWAP', () => {
  for (const spec of [
    { type: 'time', ms: 1000 },
    { type: 'ticks', count: 100 },
    { type: 'volume', volume: 5 },
  ] as const) {
    const b = new BarBuilder('binance', 'BTCUSDT', spec);
    const bars: Bar[] = [];
    for (let i = 0; i < px.length; i++) b.update(px[i]!, qty[i]!, tms[i]!, bars);
    b.flush(bars);
    const vol = bars.reduce((a, x) => a + x.volume, 0),
      trades = bars.reduce((a, x) => a + x.trades, 0);
    assert.is(trades, px.length, `${spec.type}: every trade in one bar`);
    assert.ok(
      close(
        vol,
        qty.reduce((a, x) => a + x, 0),
        1e-9,
      ),
    );
    for (const x of bars)
      assert.ok(
        x.low <= x.open &&
          x.open <= x.high &&
          x.low <= x.close &&
          x.close <= x.high &&
          x.low <= x.vwap + 1e-9 &&
          x.vwap <= x.high + 1e-9,
      );
    if (spec.type === 'ticks') assert.ok(bars.slice(0, -1).every((x) => x.trades === 100));
    if (spec.type === 'time')
      assert.ok(
        bars.every((x, i) => i === 0 || x.tsOpenMs === bars[i - 1]!.tsOpenMs + 1000),
        'contiguous seconds, quiet ones filled',
      );
  }
});

test.run();
