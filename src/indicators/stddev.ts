// Rolling population variance and standard deviation over the last n values.
// TA-Lib's arithmetic (running Σx and Σx², variance = Σx²/n − mean², add/output/drop order) so results
// match TA-Lib bit for bit; the sums are re-derived from the window every 2^16 updates to bound drift.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';

export class RollingStdDev extends Streaming {
  value = NaN;
  variance = NaN;
  mean = NaN;
  private sum = 0;
  private sumSq = 0;
  private readonly win: CountWindow;
  constructor(readonly period: number) { super(); checkPeriod(period); this.win = new CountWindow(period); }
  get ready(): boolean { return this.count >= this.period; }
  update(x: number): number {
    finite(x, 'StdDev input');
    this.win.push(x);
    this.sum += x; this.sumSq += x * x;
    this.count++;
    if (this.count >= this.period) {
      const n = this.period;
      const m1 = this.sum / n, m2 = this.sumSq / n;
      let v = m2 - m1 * m1;
      if (v < 0) v = 0;
      this.mean = m1; this.variance = v; this.value = Math.sqrt(v);
      const old = this.win.at(0);
      this.sum -= old; this.sumSq -= old * old;
      if ((this.count & 0xffff) === 0) {
        let s = 0, q = 0;
        for (let i = 1; i < n; i++) { const y = this.win.at(i); s += y; q += y * y; }
        this.sum = s; this.sumSq = q;
      }
    }
    return this.value;
  }
  reset(): void { this.value = this.variance = this.mean = NaN; this.sum = this.sumSq = 0; this.count = 0; this.win.clear(); }
}
