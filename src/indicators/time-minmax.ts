// Highest and lowest value over a time window, amortised O(1) per update (monotonic deques).
import { TimeWindow } from './window.js';

export class TimeMinMax {
  private readonly maxQ = new TimeWindow(256);
  private readonly minQ = new TimeWindow(256);
  constructor(readonly windowMs: number) {}
  /** Drops values at or before nowMs − windowMs. */
  evict(nowMs: number): void {
    const cutoff = nowMs - this.windowMs;
    while (this.maxQ.size > 0 && this.maxQ.oldestTime() <= cutoff) this.maxQ.shift();
    while (this.minQ.size > 0 && this.minQ.oldestTime() <= cutoff) this.minQ.shift();
  }
  push(timeMs: number, v: number): void {
    while (this.maxQ.size > 0 && this.maxQ.newestA() <= v) this.maxQ.popNewest();
    this.maxQ.push(timeMs, v, 0);
    while (this.minQ.size > 0 && this.minQ.newestA() >= v) this.minQ.popNewest();
    this.minQ.push(timeMs, v, 0);
  }
  get max(): number {
    return this.maxQ.size ? this.maxQ.oldestA() : NaN;
  }
  get min(): number {
    return this.minQ.size ? this.minQ.oldestA() : NaN;
  }
  get empty(): boolean {
    return this.maxQ.size === 0;
  }
  clear(): void {
    this.maxQ.clear();
    this.minQ.clear();
  }
  snapshot(): { max: ReturnType<TimeWindow['snapshot']>; min: ReturnType<TimeWindow['snapshot']> } {
    return { max: this.maxQ.snapshot(), min: this.minQ.snapshot() };
  }
  restore(s: ReturnType<TimeMinMax['snapshot']>): void {
    this.maxQ.restore(s.max);
    this.minQ.restore(s.min);
  }
}
