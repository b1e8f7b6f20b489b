// Exponential moving average, alpha = 2/(n+1). Seed (TA-Lib and technicalindicators): the SMA of the
// first n values, first output at index n-1. `seed: 'first'` (Tulip, trading-signals) seeds with the first value.
import { Streaming, checkPeriod, finite } from './indicator.js';

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
  /** Continue from an externally computed EMA value (e.g. a native warm-up). */
  seedWith(value: number, count: number): void {
    this.value = value;
    this.count = count;
  }
  reset(): void {
    this.value = NaN;
    this.sum = 0;
    this.count = 0;
  }
}
