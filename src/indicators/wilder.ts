// Wilder smoothing. mode 'average' (RMA, used by RSI/ATR): seed = mean of first n, then (prev·(n−1)+x)/n,
// computed as prev·keep + x·take with keep = (n−1)/n, take = 1/n (no division on the dependency chain;
// within 1e-15 relative of the textbook order).
// mode 'sum' (technicalindicators' WilderSmoothing, inside ADX): seed = sum of first n, then S − S/n + x.
import { Streaming, checkPeriod, finite } from './indicator.js';

export class WilderSmoothing extends Streaming {
  value = NaN;
  private acc = 0;
  readonly keep: number;
  readonly take: number;
  constructor(
    readonly period: number,
    readonly mode: 'average' | 'sum' = 'average',
  ) {
    super();
    checkPeriod(period);
    this.keep = (period - 1) / period;
    this.take = 1 / period;
  }
  get ready(): boolean {
    return this.count >= this.period;
  }
  update(x: number): number {
    finite(x, 'Wilder input');
    this.count++;
    const n = this.period;
    if (this.count < n) {
      this.acc += x;
      return NaN;
    }
    if (this.count === n) {
      this.acc += x;
      this.value = this.mode === 'sum' ? this.acc : this.acc / n;
      return this.value;
    }
    this.value = this.mode === 'sum' ? this.value - this.value / n + x : this.value * this.keep + x * this.take;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.acc = 0;
    this.count = 0;
  }
}
