// TypeScript implementation of the batch kernels, line for line the same arithmetic as native/kernels.cc.
// (sd_notify, which is OS glue and not a kernel, is in notify.ts.)
import type { Kernels } from './kernels.js';
import { REANCHOR_EVERY, REANCHOR_RATIO } from '../indicators/stddev.js';
import { RSI_ZERO } from '../indicators/rsi.js';

// Compensated sums below are written out inline: `{ t = term; s = hi + t; b = s - hi; lo += hi - (s - b) + (t - b);
// hi = s }`, the operations of indicators/compensated.ts (CompensatedSum.add), in the same order.

function checkState(state: Float64Array | undefined, need: number): void {
  if (state === undefined) return;
  if (!(state instanceof Float64Array)) throw new TypeError('state must be a Float64Array');
  if (state.length < need) throw new RangeError(`state must hold at least ${need} values`);
}

function checkArgs(values: Float64Array, period: number, outs: Float64Array[], periodName = 'period'): void {
  if (!(values instanceof Float64Array)) throw new TypeError('values must be a Float64Array');
  if (typeof period !== 'number') throw new TypeError(`${periodName} must be a number`);
  if ((period | 0) < 1) throw new RangeError(`${periodName} must be >= 1`);
  for (const o of outs) {
    if (!(o instanceof Float64Array)) throw new TypeError('out must be a Float64Array');
    if (o.length !== values.length) throw new RangeError('output length must equal input length');
  }
}

export const fallbackKernels: Kernels = {
  emaBatch(values, period, out, state) {
    checkArgs(values, period, [out]);
    checkState(state, 1);
    const p = period | 0;
    const k = 2 / (p + 1);
    let sum = 0,
      ema = 0;
    for (let i = 0; i < values.length; i++) {
      if (i + 1 < p) {
        sum += values[i]!;
        out[i] = NaN;
        continue;
      }
      if (i + 1 === p) {
        sum += values[i]!;
        ema = sum / p;
        out[i] = ema;
        continue;
      }
      ema = (values[i]! - ema) * k + ema;
      out[i] = ema;
    }
    if (state) state[0] = sum;
  },
  rsiBatch(values, period, out, state) {
    checkArgs(values, period, [out]);
    checkState(state, 3);
    const p = period | 0;
    const keep = (p - 1) / p,
      take = 1 / p;
    let gain = 0,
      loss = 0;
    for (let i = 0; i < values.length; i++) {
      if (i === 0) {
        out[i] = NaN;
        continue;
      }
      const ch = values[i]! - values[i - 1]!;
      const g = ch > 0 ? ch : 0,
        l = ch < 0 ? -ch : 0;
      if (i <= p) {
        gain += g;
        loss += l;
        if (i < p) {
          out[i] = NaN;
          continue;
        }
        gain /= p;
        loss /= p;
      } else {
        gain = gain * keep + g * take;
        loss = loss * keep + l * take;
      }
      const total = gain + loss;
      out[i] = total < RSI_ZERO ? 0 : (100 * gain) / total;
    }
    if (state) {
      state[0] = values.length ? values[values.length - 1]! : NaN;
      state[1] = gain;
      state[2] = loss;
    }
  },
  rollingMeanStd(values, window, meanOut, stdOut, state) {
    checkArgs(values, window, [meanOut, stdOut], 'window');
    checkState(state, 10);
    const w = window | 0;
    const inv = 1 / w;
    let a = NaN,
      s1h = 0,
      s1l = 0,
      s2h = 0,
      s2l = 0,
      last = NaN,
      run = 0,
      since = 0,
      meanDev = NaN,
      variance = NaN;
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (i === 0) a = x;
      const d = x - a;
      let t1 = d,
        t2 = d * d;
      if (i >= w) {
        const out = values[i - w]!,
          o = out - a;
        t1 = x - out;
        t2 = d * d - o * o;
      }
      {
        const s = s1h + t1,
          b = s - s1h;
        s1l += s1h - (s - b) + (t1 - b);
        s1h = s;
      }
      {
        const s = s2h + t2,
          b = s - s2h;
        s2l += s2h - (s - b) + (t2 - b);
        s2h = s;
      }
      run = x === last ? run + 1 : 1;
      last = x;
      if (i + 1 < w) {
        meanOut[i] = NaN;
        stdOut[i] = NaN;
        continue;
      }
      if (run >= w) {
        meanOut[i] = x;
        stdOut[i] = 0;
        meanDev = x - a;
        variance = 0;
        continue;
      }
      let md = (s1h + s1l) * inv;
      let v = (s2h + s2l) * inv - md * md;
      if (md * md > REANCHOR_RATIO * v || ++since >= REANCHOR_EVERY) {
        a = a + md;
        since = 0;
        s1h = s1l = s2h = s2l = 0;
        for (let k = i + 1 - w; k <= i; k++) {
          const e = values[k]! - a,
            q = e * e;
          {
            const s = s1h + e,
              b = s - s1h;
            s1l += s1h - (s - b) + (e - b);
            s1h = s;
          }
          {
            const s = s2h + q,
              b = s - s2h;
            s2l += s2h - (s - b) + (q - b);
            s2h = s;
          }
        }
        md = (s1h + s1l) * inv;
        v = (s2h + s2l) * inv - md * md;
      }
      if (v < 0) v = 0;
      meanDev = md;
      variance = v;
      meanOut[i] = a + md;
      stdOut[i] = Math.sqrt(v);
    }
    if (state) {
      state[0] = a;
      state[1] = s1h;
      state[2] = s1l;
      state[3] = s2h;
      state[4] = s2l;
      state[5] = last;
      state[6] = run;
      state[7] = since;
      state[8] = meanDev;
      state[9] = variance;
    }
  },
};
