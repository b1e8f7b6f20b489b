// Linearly weighted moving average (weights 1..n, newest heaviest); first output at index n-1.
// O(1): keeps the plain sum and the weighted sum.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';

export class WMA extends Streaming {
  value = NaN;
  private sum = 0;
  private weighted = 0;
  private readonly win: CountWindow;
  private readonly denom: number;
  constructor(readonly period: number) { super(); checkPeriod(period); this.win = new CountWindow(period); this.denom = period * (period + 1) / 2; }
  get ready(): boolean { return this.count >= this.period; }
  update(x: number): number {
    finite(x, 'WMA input');
    this.count++;
    if (this.count <= this.period) {
      this.win.push(x);
      this.sum += x; this.weighted += x * this.count;
      if (this.count === this.period) this.value = this.weighted / this.denom;
      return this.value;
    }
    const out = this.win.push(x);
    this.weighted += this.period * x - this.sum;
    this.sum += x - out;
    this.value = this.weighted / this.denom;
    return this.value;
  }
  reset(): void { this.value = NaN; this.sum = 0; this.weighted = 0; this.count = 0; this.win.clear(); }
}
