// Bollinger Bands: middle = SMA(n), bands = middle ± k·σ (population σ), as TA-Lib (MAType SMA) and all
// reference libraries; also %b = (x − lower)/(upper − lower).
import { Streaming, checkPeriod } from './indicator.js';
import { RollingStdDev } from './stddev.js';

export interface BandsValue {
  lower: number;
  middle: number;
  upper: number;
  pb: number;
}

export class BollingerBands extends Streaming {
  readonly value: BandsValue = { lower: NaN, middle: NaN, upper: NaN, pb: NaN };
  private readonly sd: RollingStdDev;
  constructor(
    readonly period = 20,
    readonly k = 2,
  ) {
    super();
    checkPeriod(period);
    this.sd = new RollingStdDev(period);
  }
  get ready(): boolean {
    return this.sd.ready;
  }
  update(x: number): BandsValue {
    this.count++;
    const s = this.sd.update(x);
    if (this.sd.ready) {
      const v = this.value;
      v.middle = this.sd.mean;
      v.upper = v.middle + this.k * s;
      v.lower = v.middle - this.k * s;
      v.pb = v.upper === v.lower ? NaN : (x - v.lower) / (v.upper - v.lower);
    }
    return this.value;
  }
  reset(): void {
    this.count = 0;
    this.sd.reset();
    const v = this.value;
    v.lower = v.middle = v.upper = v.pb = NaN;
  }
}
