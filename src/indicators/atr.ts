// Average True Range (TA-Lib / technicalindicators): TR from the 2nd bar (needs the previous close);
// first ATR at bar index n = mean of TR[1..n]; then Wilder: (prev·(n−1) + TR)/n (as wilder.ts computes it).
import { Streaming, checkPeriod, finite } from './indicator.js';
import { WilderSmoothing } from './wilder.js';

export class ATR extends Streaming {
  value = NaN;
  trueRange = NaN;
  private prevClose = NaN;
  private readonly rma: WilderSmoothing;
  constructor(readonly period = 14) {
    super();
    checkPeriod(period);
    this.rma = new WilderSmoothing(period);
  }
  get ready(): boolean {
    return this.rma.ready;
  }
  update(high: number, low: number, close: number): number {
    finite(high, 'high');
    finite(low, 'low');
    finite(close, 'close');
    this.count++;
    const rma = this.rma,
      n = this.period;
    if (rma.count >= n) {
      // steady state: WilderSmoothing's 'average' arithmetic, inlined
      const pc = this.prevClose;
      const tr = (this.trueRange = Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc)));
      rma.count++;
      this.value = rma.value = rma.value * rma.keep + tr * rma.take;
      this.prevClose = close;
      return this.value;
    }
    if (this.count > 1) {
      const pc = this.prevClose;
      this.trueRange = Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
      const v = this.rma.update(this.trueRange);
      if (this.rma.ready) this.value = v;
    }
    this.prevClose = close;
    return this.value;
  }
  reset(): void {
    this.value = this.trueRange = this.prevClose = NaN;
    this.count = 0;
    this.rma.reset();
  }
}
