// Exponential moving average, alpha = 2/(n+1). Seed (TA-Lib and technicalindicators): the SMA of the
// first n values, first output at index n-1. `seed: 'first'` (Tulip, trading-signals) seeds with the first value.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { InputError } from '../model/errors.js';
import { STATE_LENGTH, type Kernels } from '../native/kernels.js';

export class EMA extends Streaming {
  value = NaN;
  private sum = 0;
  readonly alpha: number;
  constructor(
    readonly period: number,
    readonly seed: 'sma' | 'first' = 'sma',
  ) {
    super();
    checkPeriod(period);
    this.alpha = 2 / (period + 1);
  }
  get ready(): boolean {
    return this.seed === 'first' ? this.count >= 1 : this.count >= this.period;
  }
  update(x: number): number {
    finite(x, 'EMA input');
    this.count++;
    if (this.seed === 'first') {
      this.value = this.count === 1 ? x : (x - this.value) * this.alpha + this.value;
      return this.value;
    }
    if (this.count < this.period) {
      this.sum += x;
      return NaN;
    }
    if (this.count === this.period) {
      this.sum += x;
      this.value = this.sum / this.period;
      return this.value;
    }
    this.value = (x - this.value) * this.alpha + this.value;
    return this.value;
  }
  /** Continue from an externally computed EMA value. */
  seedWith(value: number, count: number): void {
    this.value = value;
    this.count = count;
  }
  /**
   * Batch warm-up of a fresh EMA (TA-Lib seeding) with the kernels: leaves exactly the state that updating with
   * each of `values` in turn would have.
   */
  warmFrom(values: Float64Array, k: Kernels): void {
    if (this.count !== 0 || this.seed !== 'sma') throw new InputError('EMA.warmFrom needs a fresh SMA-seeded EMA');
    const n = values.length;
    if (n === 0) return;
    const out = new Float64Array(n),
      state = new Float64Array(STATE_LENGTH.emaBatch);
    k.emaBatch(values, this.period, out, state);
    this.sum = state[0]!;
    this.count = n;
    this.value = out[n - 1]!;
  }
  reset(): void {
    this.value = NaN;
    this.sum = 0;
    this.count = 0;
  }
}
