// TypeScript implementation of the batch kernels, line for line the same arithmetic as native/kernels.cc.
import { spawnSync } from 'node:child_process';
import type { Kernels } from './kernels.js';

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
  emaBatch(values, period, out) {
    checkArgs(values, period, [out]);
    const p = period | 0;
    const k = 2 / (p + 1);
    let sum = 0, ema = 0;
    for (let i = 0; i < values.length; i++) {
      if (i + 1 < p) { sum += values[i]!; out[i] = NaN; continue; }
      if (i + 1 === p) { sum += values[i]!; ema = sum / p; out[i] = ema; continue; }
      ema = (values[i]! - ema) * k + ema;
      out[i] = ema;
    }
  },
  smaBatch(values, period, out) {
    checkArgs(values, period, [out]);
    const p = period | 0;
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      sum += values[i]!;
      if (i + 1 >= p) {
        out[i] = sum / p;
        sum -= values[i + 1 - p]!;
        if (((i + 1) & 0xffff) === 0) { let s = 0; for (let k = i + 2 - p; k <= i; k++) s += values[k]!; sum = s; }
      } else out[i] = NaN;
    }
  },
  rsiBatch(values, period, out) {
    checkArgs(values, period, [out]);
    const p = period | 0;
    const keep = (p - 1) / p, take = 1 / p;
    let gain = 0, loss = 0;
    for (let i = 0; i < values.length; i++) {
      if (i === 0) { out[i] = NaN; continue; }
      const ch = values[i]! - values[i - 1]!;
      const g = ch > 0 ? ch : 0, l = ch < 0 ? -ch : 0;
      if (i <= p) {
        gain += g; loss += l;
        if (i < p) { out[i] = NaN; continue; }
        gain /= p; loss /= p;
      } else {
        gain = gain * keep + g * take;
        loss = loss * keep + l * take;
      }
      out[i] = loss === 0 ? (gain === 0 ? 50 : 100) : 100 * gain / (gain + loss);
    }
  },
  rollingMeanStd(values, window, meanOut, stdOut) {
    checkArgs(values, window, [meanOut, stdOut], 'window');
    const w = window | 0;
    let sum = 0, sumSq = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      sum += v; sumSq += v * v;
      if (i + 1 >= w) {
        const m1 = sum / w, m2 = sumSq / w;
        let variance = m2 - m1 * m1;
        if (variance < 0) variance = 0;
        meanOut[i] = m1; stdOut[i] = Math.sqrt(variance);
        const o = values[i + 1 - w]!;
        sum -= o; sumSq -= o * o;
        if (((i + 1) & 0xffff) === 0) {
          let s = 0, q = 0;
          for (let k = i + 2 - w; k <= i; k++) { const y = values[k]!; s += y; q += y * y; }
          sum = s; sumSq = q;
        }
      } else { meanOut[i] = NaN; stdOut[i] = NaN; }
    }
  },
  emaMultiUpdate(values, len, alpha, state) {
    if (!(values instanceof Float64Array) || !(state instanceof Float64Array)) throw new TypeError('emaMultiUpdate(values, len, alpha, state)');
    if (len < 1 || len * state.length !== values.length) throw new RangeError('values.length must equal len * state.length');
    for (let s = 0; s < state.length; s++) {
      let e = state[s]!;
      const base = s * len;
      for (let i = 0; i < len; i++) { const v = values[base + i]!; e = Number.isNaN(e) ? v : e + alpha * (v - e); }
      state[s] = e;
    }
  },
  sdNotify(socketPath, message) {
    // Node has no unix datagram sockets: hand the message to systemd-notify (the unit sets NotifyAccess=all).
    if (typeof socketPath !== 'string' || typeof message !== 'string') throw new TypeError('sdNotify(socketPath, message)');
    const r = spawnSync('systemd-notify', ['--pid=' + process.pid, ...message.split('\n').filter(Boolean)],
      { env: { ...process.env, NOTIFY_SOCKET: socketPath }, stdio: 'ignore', timeout: 2000 });
    return r.status === 0;
  },
  noop() { /* call-overhead probe */ },
};
