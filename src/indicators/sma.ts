// Simple moving average over the last n values. TA-Lib order of operations (add, output, drop trailing)
// so results match TA-Lib bit for bit; sums are recomputed from the window every 2^16 updates to bound drift.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';

export class SMA extends Streaming {
  value = NaN;
  private sum = 0;
  private readonly win: CountWindow;
  constructor(readonly period: number) { super(); checkPeriod(period); this.win = new CountWindow(period); }
  get ready(): boolean { return this.count >= this.period; }
  update(x: number): number {
    finite(x, 'SMA input');
    this.win.push(x);
    this.sum += x;
    this.count++;
    if (this.count >= this.period) {
      this.value = this.sum / this.period;
      this.sum -= this.win.at(0);
      if ((this.count & 0xffff) === 0) { let s = 0; for (let i = 1; i < this.period; i++) s += this.win.at(i); this.sum = s; }
    }
    return this.value;
  }
  reset(): void { this.value = NaN; this.sum = 0; this.count = 0; this.win.clear(); }
}
