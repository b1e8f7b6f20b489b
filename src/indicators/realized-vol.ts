// Realized volatility over a time window: sqrt(Σ r²) of log returns between consecutive prices whose
// later price falls inside the last `windowMs` (not annualised; multiply by sqrt(periods) yourself).
import { Streaming, finite } from './indicator.js';
import { TimeWindow } from './window.js';
import { InputError } from '../model/errors.js';

export class RealizedVolatility extends Streaming {
  value = NaN;
  private sumSq = 0;
  private prev = NaN;
  private readonly win = new TimeWindow();
  constructor(readonly windowMs: number) {
    super();
    if (!(windowMs > 0)) throw new InputError(`windowMs must be > 0, got ${windowMs}`);
  }
  get ready(): boolean {
    return this.win.size > 0;
  }
  update(price: number, timeMs: number): number {
    finite(price, 'price');
    finite(timeMs, 'time');
    if (!(price > 0)) throw new InputError(`price must be > 0 for log returns, got ${price}`);
    this.count++;
    if (!Number.isNaN(this.prev)) {
      const r = Math.log(price / this.prev);
      this.win.push(timeMs, r * r, 0);
      this.sumSq += r * r;
    }
    this.prev = price;
    const cutoff = timeMs - this.windowMs;
    while (this.win.size > 0 && this.win.oldestTime() <= cutoff) {
      this.sumSq -= this.win.oldestA();
      this.win.shift();
    }
    if (this.win.size === 0) this.sumSq = 0;
    this.value = this.win.size > 0 ? Math.sqrt(Math.max(0, this.sumSq)) : NaN;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.sumSq = 0;
    this.prev = NaN;
    this.count = 0;
    this.win.clear();
  }
}
