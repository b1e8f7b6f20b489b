// Builds bars from trades: time bars (any ms), tick-count bars and volume bars, with OHLCV, VWAP and
// trade count. Time bars close when a trade of a later bucket arrives (or on `flushUntil` for quiet
// periods, which emits bars with the previous close and zero volume, matching the shared-data 1 s bars).
// Volume and Σp·q are compensated sums, so a bar's volume and VWAP are the exact figures rounded once.
import type { Bar } from '../model/bar.js';
import { InputError } from '../model/errors.js';
import { CompensatedSum } from './compensated.js';

export type BarSpec =
  { type: 'time'; ms: number } | { type: 'ticks'; count: number } | { type: 'volume'; volume: number };

export function parseBarSpec(s: string): BarSpec {
  const m = /^(\d+)(ms|s|m|h)$/.exec(s);
  if (m)
    return {
      type: 'time',
      ms: Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'],
    };
  const t = /^ticks:(\d+)$/.exec(s);
  if (t && Number(t[1]) > 0) return { type: 'ticks', count: Number(t[1]) };
  const v = /^volume:([0-9.]+)$/.exec(s);
  if (v && Number(v[1]) > 0) return { type: 'volume', volume: Number(v[1]) };
  throw new InputError(`bar spec "${s}": expected <N>ms|s|m|h, ticks:N or volume:V`);
}

export class BarBuilder {
  private cur: Bar | undefined;
  private readonly pq = new CompensatedSum();
  private readonly vol = new CompensatedSum();
  private lastClose = NaN;
  constructor(
    readonly venue: string,
    readonly symbol: string,
    readonly spec: BarSpec,
    readonly fillGaps = true,
  ) {}

  /** Adds a trade; returns the bars it completed (usually none or one; several when time buckets were skipped). */
  update(price: number, size: number, timeMs: number, out: Bar[] = []): Bar[] {
    const spec = this.spec;
    if (spec.type === 'time') {
      const bucket = timeMs - (timeMs % spec.ms);
      if (this.cur && bucket > this.cur.tsOpenMs) this.flushUntil(bucket, out);
      if (!this.cur) this.open(bucket, price);
      this.add(price, size);
      return out;
    }
    if (!this.cur) this.open(timeMs, price);
    this.add(price, size);
    this.cur!.tsCloseMs = timeMs;
    const done = spec.type === 'ticks' ? this.cur!.trades >= spec.count : this.cur!.volume >= spec.volume;
    if (done) {
      out.push(this.finish());
    }
    return out;
  }

  /** Closes the current time bar and every empty bucket before `bucketMs` (quiet seconds). */
  flushUntil(bucketMs: number, out: Bar[] = []): Bar[] {
    if (this.spec.type !== 'time' || !this.cur) return out;
    const step = this.spec.ms;
    const next = this.cur.tsOpenMs + step;
    out.push(this.finish());
    if (this.fillGaps)
      for (let t = next; t < bucketMs; t += step) {
        this.open(t, this.lastClose);
        out.push(this.finish());
      }
    return out;
  }

  private open(tsMs: number, price: number): void {
    const end = this.spec.type === 'time' ? tsMs + this.spec.ms : tsMs;
    this.cur = {
      venue: this.venue,
      symbol: this.symbol,
      tsOpenMs: tsMs,
      tsCloseMs: end,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 0,
      vwap: NaN,
      trades: 0,
    };
    this.pq.clear();
    this.vol.clear();
  }

  private add(price: number, size: number): void {
    const b = this.cur!;
    if (price > b.high) b.high = price;
    if (price < b.low) b.low = price;
    this.vol.add(size);
    this.pq.add(price * size);
    b.close = price;
    b.volume = this.vol.value;
    b.trades++;
  }

  private finish(): Bar {
    const b = this.cur!;
    b.vwap = b.volume > 0 ? (b.low === b.high ? b.close : this.pq.value / b.volume) : b.close;
    this.lastClose = b.close;
    this.cur = undefined;
    return b;
  }

  /** Closes the bar being built (end of input), whatever its kind. */
  flush(out: Bar[] = []): Bar[] {
    if (this.cur) out.push(this.finish());
    return out;
  }

  /** The bar being built, if any. */
  get partial(): Bar | undefined {
    return this.cur;
  }
}
