// Rolling σ, z-score, VWMA and time-window VWAP on the real BTCUSDT and SPY trades against exact rational
// arithmetic on the venues' decimal strings (BigInt), windows 2, 20 and 200: within 1e-9 relative, exactly 0 where
// the window is flat, null (NaN) where a window holds no volume; and the properties that follow from exactness.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RollingStdDev } from '../../src/indicators/stddev.js';
import { ZScore } from '../../src/indicators/zscore.js';
import { VWMA } from '../../src/indicators/vwma.js';
import { SMA } from '../../src/indicators/sma.js';
import { WMA } from '../../src/indicators/wma.js';
import { RollingVWAP, SessionVWAP } from '../../src/indicators/vwap.js';
import { BollingerBands } from '../../src/indicators/bollinger.js';
import { BarBuilder } from '../../src/indicators/bars.js';
import { loadKernels, fallbackKernels } from '../../src/native/index.js';
import type { Bar } from '../../src/model/bar.js';
import { ratio, realTrades, scaled, sqrtRatio, type Trades } from './exact.js';

const SC = 8; // decimals of every price and size in both sets (BTC: 8, SPY: 4)
const sets: Array<[string, Trades]> = [
  ['BTCUSDT', realTrades('btcusdt')],
  ['SPY', realTrades('spy')],
];

const relErr = (got: number, want: number): number =>
  want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);

for (const [name, t] of sets) {
  const P = t.price.map((s) => scaled(s, SC));
  const px = Float64Array.from(t.price, Number);
  for (const n of [2, 20, 200]) {
    test(`${name} (${px.length} trades): σ and z-score over ${n} trades equal exact arithmetic`, () => {
      const sd = new RollingStdDev(n),
        z = new ZScore(n);
      const N = BigInt(n);
      let S = 0n,
        Q = 0n,
        flat = 0,
        worstSd = 0,
        worstZ = 0;
      for (let i = 0; i < px.length; i++) {
        S += P[i]!;
        Q += P[i]! * P[i]!;
        if (i >= n) {
          S -= P[i - n]!;
          Q -= P[i - n]! * P[i - n]!;
        }
        const s = sd.update(px[i]!),
          zv = z.update(px[i]!);
        if (i < n - 1) continue;
        const varNum = N * Q - S * S; // n²·σ²·10^(2·SC)
        if (varNum === 0n) {
          flat++;
          if (s !== 0 || zv !== 0) assert.unreachable(`window ending at ${i} is flat: σ ${s}, z ${zv}`);
          continue;
        }
        const want = sqrtRatio(varNum, N * N * 10n ** BigInt(2 * SC));
        const zWant = ratio(N * P[i]! - S, 1n) / Math.sqrt(ratio(varNum, 1n));
        const e = relErr(s, want),
          ez = Math.abs(zv - zWant) / Math.max(1, Math.abs(zWant));
        if (e > worstSd) worstSd = e;
        if (ez > worstZ) worstZ = ez;
        if (e > 1e-9) assert.unreachable(`σ(${n}) at ${i}: ${s}, exact ${want} (rel ${e})`);
        if (ez > 1e-9) assert.unreachable(`z(${n}) at ${i}: ${zv}, exact ${zWant}`);
      }
      if (n === 20 && name === 'BTCUSDT')
        assert.ok(flat > 500, `the BTCUSDT set has hundreds of flat 20-trade windows (${flat})`);
      assert.ok(worstSd < 1e-9 && worstZ < 1e-9);
    });
  }

  test(`${name}: VWMA over 1, 2, 20 and 200 trades equals exact Σp·q/Σq (VWMA(1) is the price itself)`, () => {
    const Q = t.size.map((s) => scaled(s, SC));
    const qty = Float64Array.from(t.size, Number);
    for (const n of [1, 2, 20, 200]) {
      const v = new VWMA(n);
      let PQ = 0n,
        QQ = 0n;
      for (let i = 0; i < px.length; i++) {
        PQ += P[i]! * Q[i]!;
        QQ += Q[i]!;
        if (i >= n) {
          PQ -= P[i - n]! * Q[i - n]!;
          QQ -= Q[i - n]!;
        }
        const got = v.update(px[i]!, qty[i]!);
        if (i < n - 1) continue;
        if (n === 1 && got !== px[i]) assert.unreachable(`VWMA(1) at ${i}: ${got} for a trade at ${px[i]}`);
        if (QQ === 0n) {
          if (!Number.isNaN(got)) assert.unreachable(`VWMA(${n}) at ${i} without volume: ${got}`);
          continue;
        }
        const want = ratio(PQ, QQ * 10n ** BigInt(SC));
        if (relErr(got, want) > 1e-9) assert.unreachable(`VWMA(${n}) at ${i}: ${got}, exact ${want}`);
      }
    }
  });

  test(`${name}: VWAP over the last 1 s, 10 s and 60 s of exchange time equals exact arithmetic`, () => {
    const Q = t.size.map((s) => scaled(s, SC));
    const qty = Float64Array.from(t.size, Number);
    for (const w of [1000, 10_000, 60_000]) {
      const v = new RollingVWAP(w);
      let PQ = 0n,
        QQ = 0n,
        lo = 0,
        lastMs = -Infinity;
      for (let i = 0; i < px.length; i++) {
        const ms = Math.max(lastMs, t.timeMs[i]!);
        lastMs = ms;
        PQ += P[i]! * Q[i]!;
        QQ += Q[i]!;
        while (lo < i && t.timeMs[lo]! <= ms - w) {
          PQ -= P[lo]! * Q[lo]!;
          QQ -= Q[lo]!;
          lo++;
        }
        const got = v.update(px[i]!, qty[i]!, t.timeMs[i]!);
        if (QQ === 0n) {
          if (!Number.isNaN(got)) assert.unreachable(`VWAP(${w} ms) at ${i} without volume: ${got}`);
          continue;
        }
        const want = ratio(PQ, QQ * 10n ** BigInt(SC));
        if (relErr(got, want) > 1e-9) assert.unreachable(`VWAP(${w} ms) at ${i}: ${got}, exact ${want}`);
      }
    }
  });

  test(`${name}: native and TypeScript σ kernels are bit-identical to the streaming class, windows 2/20/200`, () => {
    const native = loadKernels({ disabled: false });
    for (const n of [2, 20, 200]) {
      const outs = [native.kernels, fallbackKernels].map((k) => {
        const m = new Float64Array(px.length),
          s = new Float64Array(px.length);
        k.rollingMeanStd(px, n, m, s);
        return { m, s };
      });
      const sd = new RollingStdDev(n);
      for (let i = 0; i < px.length; i++) {
        const s = sd.update(px[i]!);
        for (const o of outs)
          if (!Object.is(sd.ready ? s : NaN, o.s[i]) || !Object.is(sd.ready ? sd.mean : NaN, o.m[i]))
            assert.unreachable(`σ(${n}) kernel at ${i}`);
      }
    }
  });
}

test('1 s bars of the real trades: VWMA and rolling VWAP are null on windows without volume, exact elsewhere', () => {
  const t = sets[0]![1];
  const b = new BarBuilder('binance', 'BTCUSDT', { type: 'time', ms: 1000 });
  const bars: Bar[] = [];
  // Exact Σp·q and Σq per bar, from the decimal strings.
  const exact: Array<{ pq: bigint; q: bigint }> = [];
  let cur: { pq: bigint; q: bigint } | undefined;
  let curSec = NaN;
  for (let i = 0; i < t.price.length; i++) {
    const sec = Math.floor(t.timeMs[i]! / 1000);
    if (sec !== curSec) {
      if (cur) {
        exact.push(cur);
        for (let s = curSec + 1; s < sec; s++) exact.push({ pq: 0n, q: 0n });
      }
      cur = { pq: 0n, q: 0n };
      curSec = sec;
    }
    cur!.pq += scaled(t.price[i]!, SC) * scaled(t.size[i]!, SC);
    cur!.q += scaled(t.size[i]!, SC);
    b.update(Number(t.price[i]), Number(t.size[i]), t.timeMs[i]!, bars);
  }
  b.flush(bars);
  exact.push(cur!);
  assert.is(bars.length, exact.length);
  const quiet = bars.filter((x) => x.volume === 0).length;
  assert.ok(quiet >= 5, `the set has quiet seconds (${quiet})`);
  for (const n of [1, 3, 10]) {
    const v = new VWMA(n),
      r = new RollingVWAP(n * 1000);
    let nulls = 0;
    for (let i = 0; i < bars.length; i++) {
      const x = bars[i]!;
      const got = v.update(x.vwap, x.volume),
        gotR = r.update(x.vwap, x.volume, x.tsOpenMs);
      if (i < n - 1) continue;
      let PQ = 0n,
        QQ = 0n;
      for (let k = i + 1 - n; k <= i; k++) {
        PQ += exact[k]!.pq;
        QQ += exact[k]!.q;
      }
      if (QQ === 0n) {
        nulls++;
        if (!Number.isNaN(got) || !Number.isNaN(gotR))
          assert.unreachable(`window of ${n} bars at ${i} has no volume: ${got} / ${gotR}`);
        continue;
      }
      const want = ratio(PQ, QQ * 10n ** BigInt(SC));
      if (relErr(got, want) > 1e-9) assert.unreachable(`VWMA(${n}) bars at ${i}: ${got}, exact ${want}`);
      if (relErr(gotR, want) > 1e-9) assert.unreachable(`VWAP(${n} s) bars at ${i}: ${gotR}, exact ${want}`);
    }
    if (n === 1) assert.is(nulls, quiet);
  }
});

test('σ of a constant series is exactly 0 at every window and scale, also after a non-flat stretch', () => {
  for (const scale of [1e-8, 1e-3, 1, 61834.63, 1e8]) {
    for (const n of [1, 2, 20, 200, 1000]) {
      const sd = new RollingStdDev(n),
        z = new ZScore(n),
        bb = new BollingerBands(n, 2),
        sma = new SMA(n),
        wma = new WMA(n);
      const c = scale * 1.37;
      for (let i = 0; i < 3 * n + 5; i++) {
        const x = i < n ? scale * (1 + (i % 7) * 0.01) : c; // a varied stretch, then constant
        const s = sd.update(x),
          zv = z.update(x),
          b = bb.update(x),
          m = sma.update(x),
          w = wma.update(x);
        if (i >= 2 * n) {
          if (s !== 0 || zv !== 0) assert.unreachable(`scale ${scale}, n ${n}, i ${i}: σ ${s}, z ${zv}`);
          if (b.upper !== c || b.lower !== c || b.middle !== c || m !== c || w !== c)
            assert.unreachable(`scale ${scale}, n ${n}: bands/SMA/WMA not the value`);
        }
      }
    }
  }
});

test('shifting every price by a constant (exactly representable shifts) leaves σ unchanged to 1e-12', () => {
  const px = Float64Array.from(sets[0]![1].price, Number);
  for (const c of [-20_000, -10_000, 1000]) {
    for (let i = 0; i < px.length; i++)
      if (px[i]! + c - c !== px[i]) throw new Error(`shift ${c} is not exact at ${i}`);
    for (const n of [2, 20, 200]) {
      const a = new RollingStdDev(n),
        b = new RollingStdDev(n);
      for (let i = 0; i < px.length; i++) {
        const s = a.update(px[i]!),
          t = b.update(px[i]! + c);
        if (i >= n - 1 && relErr(t, s) > 1e-12) assert.unreachable(`shift ${c}, n ${n}, i ${i}: ${t} vs ${s}`);
      }
    }
  }
  // Dyadic prices take any shift exactly, large ones too.
  const dy = Array.from({ length: 5000 }, (_, i) => 100 + ((i * 7919) % 97) / 64);
  for (const c of [1e6, 1e9, -99]) {
    const a = new RollingStdDev(20),
      b = new RollingStdDev(20);
    dy.forEach((x, i) => {
      const s = a.update(x),
        t = b.update(x + c);
      if (i >= 19 && relErr(t, s) > 1e-12) assert.unreachable(`dyadic shift ${c} at ${i}: ${t} vs ${s}`);
    });
  }
});

test('SessionVWAP: a session with no volume is NaN; one price throughout is that price exactly', () => {
  const v = new SessionVWAP(86_400_000);
  assert.ok(Number.isNaN(v.update(100.1, 0, 1000)));
  assert.is(v.update(61834.63, 0.3, 2000), 61834.63);
  assert.is(v.update(61834.63, 0.7, 3000), 61834.63);
  assert.ok(Number.isNaN(v.update(61834.63, 0, 86_400_000 + 5)), 'a new UTC day starts empty');
});

test.run();
