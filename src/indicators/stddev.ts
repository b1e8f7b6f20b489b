// Rolling mean, population variance and standard deviation over the last n values, exact on real prices.
// Σx²/n − mean² (TA-Lib's arithmetic) cancels away at prices near 60,000; here the sums are of deviations from
// an anchor near the window's mean (x − anchor is exact for x within a factor 2 of it), kept as compensated
// sums so values that leave the window leave no residue (x − out is exact too; d² − out² is rounded once per
// update), and the anchor moves to the mean whenever the mean has drifted more than 8σ from it or 2^20 updates
// have passed (the sums are then re-derived from the window: amortised O(1)). A window whose
// values are all equal (tracked by the run of equal values) has variance exactly 0 and mean exactly that value.
// native/kernels.cc (rollingMeanStd) runs the same operations in the same order: bit-identical results.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';
import { InputError } from '../model/errors.js';
import { STATE_LENGTH, type Kernels } from '../native/kernels.js';

/** Re-anchor when (mean − anchor)² exceeds this many variances: bounds the cancellation to ~130 ulp of σ². */
export const REANCHOR_RATIO = 64;

/** Re-derive the sums at least this often (bounds the drift of the one rounded term per update to ~1e-13 of σ²). */
export const REANCHOR_EVERY = 1 << 20;

export class RollingStdDev extends Streaming {
  value = NaN;
  variance = NaN;
  mean = NaN;
  /** mean − anchor of the last full window (the z-score's numerator is (x − anchor) − meanDev, no cancellation). */
  meanDev = NaN;
  anchor = NaN;
  // Compensated sums (hi + lo) of d = x − anchor and of d²: the TwoSum of compensated.ts written out, one term per
  // update each (d_new − d_out and d_new² − d_out², so a window's turnover is one add, not two).
  private s1h = 0;
  private s1l = 0;
  private s2h = 0;
  private s2l = 0;
  private sinceAnchor = 0;
  private last = NaN;
  private run = 0;
  private readonly inv: number;
  private readonly win: CountWindow;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.win = new CountWindow(period);
    this.inv = 1 / period;
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
    let t1 = d,
      t2 = d * d;
    if (out === out) {
      const o = out - a;
      t1 = x - out;
      t2 = d * d - o * o;
    }
    let s = this.s1h + t1,
      b = s - this.s1h;
    this.s1l += this.s1h - (s - b) + (t1 - b);
    this.s1h = s;
    s = this.s2h + t2;
    b = s - this.s2h;
    this.s2l += this.s2h - (s - b) + (t2 - b);
    this.s2h = s;
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
    if (this.run >= this.period) {
      this.mean = x;
      this.meanDev = x - this.anchor;
      this.variance = 0;
      this.value = 0;
      return;
    }
    const inv = this.inv;
    let md = (this.s1h + this.s1l) * inv;
    let v = (this.s2h + this.s2l) * inv - md * md;
    if (md * md > REANCHOR_RATIO * v || ++this.sinceAnchor >= REANCHOR_EVERY) {
      this.reanchor(this.anchor + md);
      md = (this.s1h + this.s1l) * inv;
      v = (this.s2h + this.s2l) * inv - md * md;
    }
    if (v < 0) v = 0;
    this.meanDev = md;
    this.mean = this.anchor + md;
    this.variance = v;
    this.value = Math.sqrt(v);
  }
  private reanchor(a: number): void {
    this.anchor = a;
    this.sinceAnchor = 0;
    let s1h = 0,
      s1l = 0,
      s2h = 0,
      s2l = 0;
    const w = this.win;
    for (let i = 0; i < w.size; i++) {
      const d = w.at(i) - a,
        q = d * d;
      let s = s1h + d,
        b = s - s1h;
      s1l += s1h - (s - b) + (d - b);
      s1h = s;
      s = s2h + q;
      b = s - s2h;
      s2l += s2h - (s - b) + (q - b);
      s2h = s;
    }
    this.s1h = s1h;
    this.s1l = s1l;
    this.s2h = s2h;
    this.s2l = s2l;
  }
  /**
   * Batch warm-up of a fresh σ with the kernels: the state updating with each of `values` would leave. Returns
   * σ after each value (the kernel's output; NaN before a full window), for callers that need the path.
   */
  warmFrom(values: Float64Array, k: Kernels): Float64Array {
    if (this.count !== 0) throw new InputError('RollingStdDev.warmFrom needs a fresh RollingStdDev');
    const n = values.length,
      mean = new Float64Array(n),
      sd = new Float64Array(n),
      st = new Float64Array(STATE_LENGTH.rollingMeanStd);
    if (n === 0) return sd;
    k.rollingMeanStd(values, this.period, mean, sd, st);
    this.anchor = st[0]!;
    this.s1h = st[1]!;
    this.s1l = st[2]!;
    this.s2h = st[3]!;
    this.s2l = st[4]!;
    this.last = st[5]!;
    this.run = st[6]!;
    this.sinceAnchor = st[7]!;
    this.win.loadFrom(values);
    this.count = n;
    if (n >= this.period) {
      this.meanDev = st[8]!;
      this.variance = st[9]!;
      this.mean = mean[n - 1]!;
      this.value = sd[n - 1]!;
    }
    return sd;
  }
  reset(): void {
    this.value = this.variance = this.mean = this.meanDev = this.anchor = this.last = NaN;
    this.s1h = this.s1l = this.s2h = this.s2l = 0;
    this.run = this.sinceAnchor = 0;
    this.count = 0;
    this.win.clear();
  }
}
