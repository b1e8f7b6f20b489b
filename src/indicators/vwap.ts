// VWAP from trades, exact Σp·q/Σq (not the bar typical-price approximation the bar libraries use).
// SessionVWAP is anchored (reset at a session boundary, e.g. UTC midnight or on demand);
// RollingVWAP covers the trades of the last `windowMs` of exchange time (irregular spacing is fine).
import { Streaming, finite, nonNegative } from './indicator.js';
import { TimeWindow } from './window.js';
import { InputError } from '../model/errors.js';

export class SessionVWAP extends Streaming {
  value = NaN;
  private pq = 0;
  private q = 0;
  private sessionStartMs = NaN;
  /** sessionMs: length of a session anchored at the epoch (86 400 000 = UTC day); 0 = never resets. */
  constructor(readonly sessionMs = 0) { super(); }
  get ready(): boolean { return this.q > 0; }
  update(price: number, size: number, timeMs = 0): number {
    finite(price, 'VWAP price'); nonNegative(size, 'VWAP size');
    if (this.sessionMs > 0) {
      const start = timeMs - (timeMs % this.sessionMs);
      if (start !== this.sessionStartMs) { this.pq = 0; this.q = 0; this.sessionStartMs = start; }
    }
    this.count++;
    this.pq += price * size; this.q += size;
    if (this.q > 0) this.value = this.pq / this.q;
    return this.value;
  }
  /** Bar input: typical price (H+L+C)/3 weighted by volume (what technicalindicators/trading-signals compute). */
  updateBar(high: number, low: number, close: number, volume: number): number {
    return this.update((high + low + close) / 3, volume);
  }
  reset(): void { this.value = NaN; this.pq = 0; this.q = 0; this.count = 0; this.sessionStartMs = NaN; }
}

export class RollingVWAP extends Streaming {
  value = NaN;
  volume = 0;
  private pq = 0;
  private readonly win = new TimeWindow();
  private lastMs = -Infinity;
  constructor(readonly windowMs: number) {
    super();
    if (!(windowMs > 0)) throw new InputError(`windowMs must be > 0, got ${windowMs}`);
  }
  get ready(): boolean { return this.volume > 0; }
  update(price: number, size: number, timeMs: number): number {
    finite(price, 'VWAP price'); nonNegative(size, 'VWAP size'); finite(timeMs, 'VWAP time');
    this.count++;
    if (timeMs < this.lastMs) timeMs = this.lastMs; // exchange clock stepped back: keep the window monotonic
    this.lastMs = timeMs;
    this.win.push(timeMs, price * size, size);
    this.pq += price * size; this.volume += size;
    const cutoff = timeMs - this.windowMs;
    while (this.win.size > 0 && this.win.oldestTime() <= cutoff) { this.pq -= this.win.oldestA(); this.volume -= this.win.oldestB(); this.win.shift(); }
    if (this.win.size === 0 || this.volume <= 0) { this.pq = 0; this.volume = 0; this.value = NaN; }
    else this.value = this.pq / this.volume;
    return this.value;
  }
  reset(): void { this.value = NaN; this.volume = 0; this.pq = 0; this.count = 0; this.win.clear(); this.lastMs = -Infinity; }
}
