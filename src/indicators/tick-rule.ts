// Tick-rule signed volume (Lee–Ready tick test): a trade above the previous price is a buy, below a sell,
// equal keeps the previous sign. `value` is the cumulative signed volume; `lastSign` the latest sign.
import { Streaming, finite, nonNegative } from './indicator.js';

export class TickRuleVolume extends Streaming {
  value = 0;
  lastSign = 0;
  private prev = NaN;
  get ready(): boolean {
    return this.count > 1;
  }
  update(price: number, size: number): number {
    finite(price, 'price');
    nonNegative(size, 'size');
    this.count++;
    if (!Number.isNaN(this.prev)) {
      if (price > this.prev) this.lastSign = 1;
      else if (price < this.prev) this.lastSign = -1;
      this.value += this.lastSign * size;
    }
    this.prev = price;
    return this.value;
  }
  reset(): void {
    this.value = 0;
    this.lastSign = 0;
    this.prev = NaN;
    this.count = 0;
  }
}
