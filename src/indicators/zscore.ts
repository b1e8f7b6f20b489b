// z-score of the latest value against the rolling mean and population σ of the last n values (RollingStdDev's
// exact statistics); 0 when the window's σ is 0 (all values equal).
import { Streaming, checkPeriod } from './indicator.js';
import { RollingStdDev } from './stddev.js';

export class ZScore extends Streaming {
  value = NaN;
  private readonly sd: RollingStdDev;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.sd = new RollingStdDev(period);
  }
  get ready(): boolean {
    return this.sd.ready;
  }
  update(x: number): number {
    this.count++;
    this.sd.update(x);
    if (this.sd.ready) this.value = this.sd.zOf(x);
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.count = 0;
    this.sd.reset();
  }
}
