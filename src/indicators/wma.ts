// Linearly weighted moving average (weights 1..n, newest heaviest); first output at index n-1. O(1): keeps
// Σd and Σw·d of deviations d = x − anchor in compensated sums, and every n updates moves the anchor to the
// newest value and re-derives both from the window (amortised O(1)), so no rounding residue outlives a window.
// A window of equal values gives exactly that value.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';
import { CompensatedSum } from './compensated.js';

export class WMA extends Streaming {
  value = NaN;
  private anchor = NaN;
  private readonly sum = new CompensatedSum();
  private readonly weighted = new CompensatedSum();
  private last = NaN;
  private run = 0;
  private sinceAnchor = 0;
  private readonly win: CountWindow;
  private readonly denom: number;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.win = new CountWindow(period);
    this.denom = (period * (period + 1)) / 2;
  }
  get ready(): boolean {
    return this.count >= this.period;
  }
  update(x: number): number {
    finite(x, 'WMA input');
    const n = this.period;
    if (this.count === 0) this.anchor = x;
    this.run = x === this.last ? this.run + 1 : 1;
    this.last = x;
    this.count++;
    const d = x - this.anchor;
    if (this.count <= n) {
      this.win.push(x);
      this.sum.add(d);
      this.weighted.add(d * this.count);
      if (this.count === n) this.value = this.read(x);
      return this.value;
    }
    const out = this.win.push(x);
    // Every weight drops by one (Σw·d − Σd, the outgoing value's weight 1 -> 0), the new value enters at n.
    this.weighted.add(-this.sum.hi);
    this.weighted.add(-this.sum.lo);
    this.weighted.add(n * d);
    this.sum.add(d);
    this.sum.add(-(out - this.anchor));
    if (++this.sinceAnchor >= n) this.reanchor(x);
    this.value = this.read(x);
    return this.value;
  }
  private read(x: number): number {
    return this.run >= this.period ? x : this.anchor + this.weighted.value / this.denom;
  }
  private reanchor(a: number): void {
    this.anchor = a;
    this.sinceAnchor = 0;
    this.sum.clear();
    this.weighted.clear();
    const w = this.win;
    for (let i = 0; i < w.size; i++) {
      const d = w.at(i) - a;
      this.sum.add(d);
      this.weighted.add(d * (i + 1));
    }
  }
  reset(): void {
    this.value = this.anchor = this.last = NaN;
    this.sum.clear();
    this.weighted.clear();
    this.run = 0;
    this.sinceAnchor = 0;
    this.count = 0;
    this.win.clear();
  }
}
