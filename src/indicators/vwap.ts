// VWAP from trades, exact Σp·q/Σq (not the bar typical-price approximation the bar libraries use), with the sums
// kept compensated. SessionVWAP is anchored (reset at a session boundary: UTC midnight by default in specs, or on
// demand); RollingVWAP covers the trades of the last `windowMs` of exchange time (irregular spacing is fine).
// A window or session with no volume has no VWAP (NaN, printed as null); one whose prices are all equal gives
// exactly that price.
import { Streaming, finite, nonNegative } from './indicator.js';
import { TimeWindow } from './window.js';
import { CompensatedSum } from './compensated.js';
import { InputError } from '../model/errors.js';

export const UTC_DAY_MS = 86_400_000;

export class SessionVWAP extends Streaming {
  value = NaN;
  // Compensated sums (hi + lo) of p·q and q: the TwoSum of compensated.ts written out.
  private pqh = 0;
  private pql = 0;
  private qh = 0;
  private ql = 0;
  private withVolume = 0;
  private sessionStartMs = NaN;
  private sessionEndMs = NaN;
  /** sessionMs: length of a session anchored at the epoch (86 400 000 = UTC day); 0 = never resets. */
  constructor(readonly sessionMs = 0) {
    super();
  }
  get ready(): boolean {
    return this.withVolume > 0;
  }
  update(price: number, size: number, timeMs = 0): number {
    finite(price, 'VWAP price');
    nonNegative(size, 'VWAP size');
    // The boundary test is two compares; the modulo runs once per session.
    if (this.sessionMs > 0 && !(timeMs >= this.sessionStartMs && timeMs < this.sessionEndMs)) {
      const start = timeMs - (timeMs % this.sessionMs);
      this.pqh = this.pql = this.qh = this.ql = 0;
      this.withVolume = 0;
      this.value = NaN;
      this.sessionStartMs = start;
      this.sessionEndMs = start + this.sessionMs;
    }
    this.count++;
    if (size > 0) {
      const first = this.withVolume === 0;
      this.withVolume++;
      const pq = price * size;
      let s = this.pqh + pq,
        b = s - this.pqh;
      this.pql += this.pqh - (s - b) + (pq - b);
      this.pqh = s;
      s = this.qh + size;
      b = s - this.qh;
      this.ql += this.qh - (s - b) + (size - b);
      this.qh = s;
      this.value = first || price === this.value ? price : (this.pqh + this.pql) / (this.qh + this.ql);
    }
    return this.value;
  }
  /** Bar input: typical price (H+L+C)/3 weighted by volume (what technicalindicators/trading-signals compute). */
  updateBar(high: number, low: number, close: number, volume: number): number {
    return this.update((high + low + close) / 3, volume);
  }
  reset(): void {
    this.value = NaN;
    this.pqh = this.pql = this.qh = this.ql = 0;
    this.withVolume = 0;
    this.count = 0;
    this.sessionStartMs = this.sessionEndMs = NaN;
  }
}

export class RollingVWAP extends Streaming {
  value = NaN;
  volume = 0;
  private readonly pq = new CompensatedSum();
  private readonly q = new CompensatedSum();
  /** Entries in the window with size > 0, and the push number at which the price last changed. */
  private withVolume = 0;
  private pushed = 0;
  private changedAt = 0;
  private lastPrice = NaN;
  private readonly win = new TimeWindow();
  private lastMs = -Infinity;
  constructor(readonly windowMs: number) {
    super();
    if (!(windowMs > 0)) throw new InputError(`windowMs must be > 0, got ${windowMs}`);
  }
  get ready(): boolean {
    return this.withVolume > 0;
  }
  update(price: number, size: number, timeMs: number): number {
    finite(price, 'VWAP price');
    nonNegative(size, 'VWAP size');
    finite(timeMs, 'VWAP time');
    this.count++;
    if (timeMs < this.lastMs) timeMs = this.lastMs; // exchange clock stepped back: keep the window monotonic
    this.lastMs = timeMs;
    const cutoff = timeMs - this.windowMs;
    const w = this.win;
    while (w.size > 0 && w.oldestTime() <= cutoff) {
      const b = w.oldestB();
      this.pq.add(-w.oldestA());
      this.q.add(-b);
      if (b > 0) this.withVolume--;
      w.shift();
    }
    if (size > 0) {
      if (price !== this.lastPrice || this.withVolume === 0) this.changedAt = this.pushed;
      this.lastPrice = price;
      const pq = price * size;
      w.push(timeMs, pq, size);
      this.pushed++;
      this.pq.add(pq);
      this.q.add(size);
      this.withVolume++;
    }
    if (this.withVolume === 0) {
      this.pq.clear();
      this.q.clear();
      this.volume = 0;
      this.value = NaN;
    } else {
      this.volume = this.q.value;
      // Every entry since the last price change is still in the window: all prices equal, the VWAP is the price.
      this.value = this.changedAt <= this.pushed - w.size ? this.lastPrice : this.pq.value / this.volume;
    }
    return this.value;
  }
  reset(): void {
    this.value = this.lastPrice = NaN;
    this.volume = 0;
    this.pq.clear();
    this.q.clear();
    this.withVolume = this.pushed = this.changedAt = 0;
    this.count = 0;
    this.win.clear();
    this.lastMs = -Infinity;
  }
}
