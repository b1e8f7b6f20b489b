// Simple moving average over the last n values: anchor + Σ(x − anchor)/n with the deviations kept in a
// compensated sum, so the mean is within an ulp or two of the exact window mean at any length of series (no
// periodic re-sum), and exactly the value when the window's values are all equal.
// native/kernels.cc (smaBatch) runs the same operations in the same order.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';
import { CompensatedSum } from './compensated.js';

export class SMA extends Streaming {
  value = NaN;
  private anchor = NaN;
  private readonly sum = new CompensatedSum();
  private last = NaN;
  private run = 0;
  private readonly win: CountWindow;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.win = new CountWindow(period);
  }
  get ready(): boolean {
    return this.count >= this.period;
  }
  update(x: number): number {
    finite(x, 'SMA input');
    if (this.count === 0) this.anchor = x;
    const out = this.win.push(x);
    this.sum.add(x - this.anchor);
    if (out === out) this.sum.add(-(out - this.anchor));
    this.run = x === this.last ? this.run + 1 : 1;
    this.last = x;
    this.count++;
    if (this.count >= this.period)
      this.value = this.run >= this.period ? x : this.anchor + this.sum.value / this.period;
    return this.value;
  }
  reset(): void {
    this.value = this.anchor = this.last = NaN;
    this.sum.clear();
    this.run = 0;
    this.count = 0;
    this.win.clear();
  }
}
