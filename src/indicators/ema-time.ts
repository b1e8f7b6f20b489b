// Time-decayed EMA for irregularly spaced ticks: the exponential average over time of the price path held at
// each trade's price until the next trade (Eckner's "last-point" EMA), with half-life h in ms. On a trade at time
// t after one at t0: value = w·value + (1 − w)·price(t0), w = 2^(−(t − t0)/h); then the path takes the new price.
// A burst of trades in the same millisecond moves it by nothing until time passes, unlike a per-tick EMA,
// which weighs 100 trades in 1 ms like 100 s of trading. Seeded with the first price; exchange time only.
import { Streaming, finite } from './indicator.js';
import { InputError } from '../model/errors.js';

export class TimeDecayEMA extends Streaming {
  value = NaN;
  private lastPrice = NaN;
  private lastMs = NaN;
  private readonly perMs: number;
  constructor(readonly halfLifeMs: number) {
    super();
    if (!(halfLifeMs > 0) || !Number.isFinite(halfLifeMs))
      throw new InputError(`halfLifeMs must be > 0, got ${halfLifeMs}`);
    this.perMs = -Math.LN2 / halfLifeMs;
  }
  get ready(): boolean {
    return this.count > 0;
  }
  update(price: number, timeMs: number): number {
    finite(price, 'EMA price');
    finite(timeMs, 'EMA time');
    this.count++;
    if (this.count === 1) {
      this.value = price;
    } else if (timeMs > this.lastMs) {
      const w = Math.exp((timeMs - this.lastMs) * this.perMs);
      this.value = w * this.value + (1 - w) * this.lastPrice;
    }
    if (!(timeMs < this.lastMs)) this.lastMs = timeMs; // a clock step back holds the window, as the VWAP does
    this.lastPrice = price;
    return this.value;
  }
  reset(): void {
    this.value = this.lastPrice = this.lastMs = NaN;
    this.count = 0;
  }
}
