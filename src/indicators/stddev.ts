// Rolling mean, population variance and standard deviation over the last n values, exact on real prices.
// Σx²/n − mean² (TA-Lib's arithmetic) cancels away at prices near 60,000; here the sums are of deviations from
// an anchor near the window's mean (x − anchor is exact for x within a factor 2 of it), kept as compensated
// sums so values that leave the window leave no residue, and the anchor moves to the mean whenever the mean has
// drifted more than 8σ from it (the sums are then re-derived from the window: amortised O(1)). A window whose
// values are all equal (tracked by the run of equal values) has variance exactly 0 and mean exactly that value.
// native/kernels.cc (rollingMeanStd) runs the same operations in the same order: bit-identical results.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';
import { CompensatedSum } from './compensated.js';

/** Re-anchor when (mean − anchor)² exceeds this many variances: bounds the cancellation to ~130 ulp of σ². */
export const REANCHOR_RATIO = 64;

export class RollingStdDev extends Streaming {
  value = NaN;
  variance = NaN;
  mean = NaN;
  /** mean − anchor of the last full window (the z-score's numerator is (x − anchor) − meanDev, no cancellation). */
  meanDev = NaN;
  anchor = NaN;
  private readonly s1 = new CompensatedSum();
  private readonly s2 = new CompensatedSum();
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
  /** Sample (n − 1) standard deviation of the same window; NaN for a window of one. */
  get sampleValue(): number {
    const n = this.period;
    return n > 1 ? Math.sqrt((this.variance * n) / (n - 1)) : NaN;
  }
  update(x: number): number {
    finite(x, 'StdDev input');
    if (this.count === 0) this.anchor = x;
    const a = this.anchor;
    const out = this.win.push(x);
    const d = x - a;
    this.s1.add(d);
    this.s2.add(d * d);
    if (out === out) {
      const o = out - a;
      this.s1.add(-o);
      this.s2.add(-(o * o));
    }
    this.run = x === this.last ? this.run + 1 : 1;
    this.last = x;
    this.count++;
    if (this.count >= this.period) this.settle(x);
    return this.value;
  }
  /** (x − mean) / σ for the last full window's statistics; 0 when σ is 0. */
  zOf(x: number): number {
    return this.value > 0 ? (x - this.anchor - this.meanDev) / this.value : 0;
  }
  private settle(x: number): void {
    const n = this.period;
    if (this.run >= n) {
      this.mean = x;
      this.meanDev = x - this.anchor;
      this.variance = 0;
      this.value = 0;
      return;
    }
    let md = this.s1.value / n;
    let v = this.s2.value / n - md * md;
    if (md * md > REANCHOR_RATIO * v) {
      this.reanchor(this.anchor + md);
      md = this.s1.value / n;
      v = this.s2.value / n - md * md;
    }
    if (v < 0) v = 0;
    this.meanDev = md;
    this.mean = this.anchor + md;
    this.variance = v;
    this.value = Math.sqrt(v);
  }
  private reanchor(a: number): void {
    this.anchor = a;
    this.s1.clear();
    this.s2.clear();
    const w = this.win;
    for (let i = 0; i < w.size; i++) {
      const d = w.at(i) - a;
      this.s1.add(d);
      this.s2.add(d * d);
    }
  }
  reset(): void {
    this.value = this.variance = this.mean = this.meanDev = this.anchor = this.last = NaN;
    this.s1.clear();
    this.s2.clear();
    this.run = 0;
    this.count = 0;
    this.win.clear();
  }
}
