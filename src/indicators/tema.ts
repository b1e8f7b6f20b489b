// Triple EMA: 3·E1 − 3·E2 + E3 with E2 = EMA(E1), E3 = EMA(E2), SMA-seeded (TA-Lib); first output at 3(n−1).
import { Streaming, checkPeriod } from './indicator.js';
import { EMA } from './ema.js';

export class TEMA extends Streaming {
  value = NaN;
  private readonly e1: EMA;
  private readonly e2: EMA;
  private readonly e3: EMA;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.e1 = new EMA(period);
    this.e2 = new EMA(period);
    this.e3 = new EMA(period);
  }
  get ready(): boolean {
    return this.e3.ready;
  }
  update(x: number): number {
    this.count++;
    const a = this.e1.update(x);
    if (!this.e1.ready) return NaN;
    const b = this.e2.update(a);
    if (!this.e2.ready) return NaN;
    const c = this.e3.update(b);
    if (this.e3.ready) this.value = 3 * a - 3 * b + c;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.count = 0;
    this.e1.reset();
    this.e2.reset();
    this.e3.reset();
  }
}
