// Double EMA: 2·EMA(x) − EMA(EMA(x)), both SMA-seeded (TA-Lib); first output at index 2(n−1).
import { Streaming, checkPeriod } from './indicator.js';
import { EMA } from './ema.js';

export class DEMA extends Streaming {
  value = NaN;
  private readonly e1: EMA;
  private readonly e2: EMA;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.e1 = new EMA(period);
    this.e2 = new EMA(period);
  }
  get ready(): boolean {
    return this.e2.ready;
  }
  update(x: number): number {
    this.count++;
    const a = this.e1.update(x);
    if (!this.e1.ready) return NaN;
    const b = this.e2.update(a);
    if (this.e2.ready) this.value = 2 * a - b;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.count = 0;
    this.e1.reset();
    this.e2.reset();
  }
}
