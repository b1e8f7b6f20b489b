// Wilder RSI: average gain/loss seeded with the mean of the first n changes, then (prev·(n−1)+x)/n;
// first output at input index n (all of TA-Lib, Tulip, trading-signals agree). Flat stretches follow TA-Lib
// (C 0.6, TA_IS_ZERO): RSI is 0 whenever average gain + average loss is below 1e-14, so an all-flat start reads
// 0 and a long flat run decays to 0 (about 340 updates after a 0.01 move at n = 14), as TA-Lib does; otherwise
// 100·g/(g+l) (100 with no losses). Computed as prev·((n−1)/n) + x·(1/n) and RSI = 100·g/(g+l) (= 100 − 100/(1+g/l)):
// one division per update instead of four; within 1e-15 relative of the textbook order (the vectors test at 1e-9),
// and the same expression order as the batch kernels, which it matches bit for bit.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { InputError } from '../model/errors.js';
import { STATE_LENGTH, type Kernels } from '../native/kernels.js';

/** TA-Lib's TA_EPSILON: an average gain + loss below it is a flat window (RSI 0). */
export const RSI_ZERO = 1e-14;

export class RSI extends Streaming {
  value = NaN;
  private prev = NaN;
  private gain = 0;
  private loss = 0;
  private readonly keep: number;
  private readonly take: number;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.keep = (period - 1) / period;
    this.take = 1 / period;
  }
  get ready(): boolean {
    return this.count > this.period;
  }
  update(x: number): number {
    finite(x, 'RSI input');
    this.count++;
    if (this.count === 1) {
      this.prev = x;
      return NaN;
    }
    const ch = x - this.prev;
    this.prev = x;
    const g = ch > 0 ? ch : 0,
      l = ch < 0 ? -ch : 0;
    const n = this.period,
      i = this.count - 1;
    if (i <= n) {
      this.gain += g;
      this.loss += l;
      if (i < n) return NaN;
      this.gain /= n;
      this.loss /= n;
    } else {
      this.gain = this.gain * this.keep + g * this.take;
      this.loss = this.loss * this.keep + l * this.take;
    }
    const gain = this.gain,
      loss = this.loss;
    const total = gain + loss;
    this.value = total < RSI_ZERO ? 0 : (100 * gain) / total;
    return this.value;
  }
  /** Batch warm-up of a fresh RSI with the kernels: the state updating with each of `values` would leave. */
  warmFrom(values: Float64Array, k: Kernels): void {
    if (this.count !== 0) throw new InputError('RSI.warmFrom needs a fresh RSI');
    const n = values.length;
    if (n === 0) return;
    const out = new Float64Array(n),
      state = new Float64Array(STATE_LENGTH.rsiBatch);
    k.rsiBatch(values, this.period, out, state);
    this.prev = state[0]!;
    this.gain = state[1]!;
    this.loss = state[2]!;
    this.count = n;
    if (n > this.period) this.value = out[n - 1]!;
  }
  reset(): void {
    this.value = NaN;
    this.prev = NaN;
    this.gain = 0;
    this.loss = 0;
    this.count = 0;
  }
}
