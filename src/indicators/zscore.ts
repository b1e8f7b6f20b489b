// z-score of the latest value against the rolling mean and population σ of the last n values.
import { Streaming, checkPeriod } from './indicator.js';
import { RollingStdDev } from './stddev.js';

export class ZScore extends Streaming {
  value = NaN;
  private readonly sd: RollingStdDev;
  constructor(readonly period: number) { super(); checkPeriod(period); this.sd = new RollingStdDev(period); }
  get ready(): boolean { return this.sd.ready; }
  update(x: number): number {
    this.count++;
    const s = this.sd.update(x);
    if (this.sd.ready) this.value = s > 0 ? (x - this.sd.mean) / s : 0;
    return this.value;
  }
  reset(): void { this.value = NaN; this.count = 0; this.sd.reset(); }
}
