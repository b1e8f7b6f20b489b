// Wilder smoothing. mode 'average' (RMA, used by RSI/ATR): seed = mean of first n, then (prev·(n−1)+x)/n.
// mode 'sum' (technicalindicators' WilderSmoothing, inside ADX): seed = sum of first n, then S − S/n + x.
import { Streaming, checkPeriod, finite } from './indicator.js';

export class WilderSmoothing extends Streaming {
  value = NaN;
  private acc = 0;
  constructor(readonly period: number, readonly mode: 'average' | 'sum' = 'average') { super(); checkPeriod(period); }
  get ready(): boolean { return this.count >= this.period; }
  update(x: number): number {
    finite(x, 'Wilder input');
    this.count++;
    const n = this.period;
    if (this.count < n) { this.acc += x; return NaN; }
    if (this.count === n) { this.acc += x; this.value = this.mode === 'sum' ? this.acc : this.acc / n; return this.value; }
    this.value = this.mode === 'sum' ? this.value - this.value / n + x : (this.value * (n - 1) + x) / n;
    return this.value;
  }
  reset(): void { this.value = NaN; this.acc = 0; this.count = 0; }
}
