// Stochastic oscillator on bars: %K = 100·(close − LL_n)/(HH_n − LL_n), %D = SMA(dPeriod) of %K
// (technicalindicators' convention; TA-Lib's fast stochastic). %K = 0 when HH == LL, as TA-Lib.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { RollingMinMax } from './minmax.js';
import { SMA } from './sma.js';

export interface StochValue {
  k: number;
  d: number;
}

export class Stochastic extends Streaming {
  readonly value: StochValue = { k: NaN, d: NaN };
  private readonly hh: RollingMinMax;
  private readonly ll: RollingMinMax;
  private readonly dSma: SMA;
  constructor(
    readonly period = 14,
    readonly dPeriod = 3,
  ) {
    super();
    checkPeriod(period);
    checkPeriod(dPeriod, 'dPeriod');
    this.hh = new RollingMinMax(period);
    this.ll = new RollingMinMax(period);
    this.dSma = new SMA(dPeriod);
  }
  get ready(): boolean {
    return this.dSma.ready;
  }
  update(high: number, low: number, close: number): StochValue {
    finite(high, 'high');
    finite(low, 'low');
    finite(close, 'close');
    this.count++;
    this.hh.push(high);
    this.ll.push(low);
    if (this.count < this.period) return this.value;
    const hi = this.hh.max,
      lo = this.ll.min;
    const k = hi === lo ? 0 : (100 * (close - lo)) / (hi - lo);
    this.value.k = k;
    const d = this.dSma.update(k);
    if (this.dSma.ready) this.value.d = d;
    return this.value;
  }
  reset(): void {
    this.count = 0;
    this.hh.clear();
    this.ll.clear();
    this.dSma.reset();
    this.value.k = this.value.d = NaN;
  }
}
