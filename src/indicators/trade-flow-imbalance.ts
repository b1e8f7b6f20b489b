// Trade-flow imbalance over the last `windowMs`: (buy volume − sell volume) / total volume, in [−1, 1],
// by aggressor side; trades of unknown side count in the total only.
import { Streaming, finite, nonNegative } from './indicator.js';
import { TimeWindow } from './window.js';
import { InputError } from '../model/errors.js';
import type { Side } from '../model/tick.js';

export class TradeFlowImbalance extends Streaming {
  value = NaN;
  buyVolume = 0;
  sellVolume = 0;
  totalVolume = 0;
  private readonly win = new TimeWindow();
  constructor(readonly windowMs: number) {
    super();
    if (!(windowMs > 0)) throw new InputError(`windowMs must be > 0, got ${windowMs}`);
  }
  get ready(): boolean {
    return this.totalVolume > 0;
  }
  update(size: number, side: Side, timeMs: number): number {
    nonNegative(size, 'size');
    finite(timeMs, 'time');
    this.count++;
    const signed = side === 'buy' ? 1 : side === 'sell' ? -1 : 0;
    this.win.push(timeMs, size, signed);
    this.totalVolume += size;
    if (signed > 0) this.buyVolume += size;
    else if (signed < 0) this.sellVolume += size;
    const cutoff = timeMs - this.windowMs;
    while (this.win.size > 0 && this.win.oldestTime() <= cutoff) {
      const s = this.win.oldestA(),
        g = this.win.oldestB();
      this.totalVolume -= s;
      if (g > 0) this.buyVolume -= s;
      else if (g < 0) this.sellVolume -= s;
      this.win.shift();
    }
    if (this.win.size === 0) {
      this.totalVolume = this.buyVolume = this.sellVolume = 0;
    }
    this.value = this.totalVolume > 0 ? (this.buyVolume - this.sellVolume) / this.totalVolume : NaN;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.buyVolume = this.sellVolume = this.totalVolume = 0;
    this.count = 0;
    this.win.clear();
  }
}
