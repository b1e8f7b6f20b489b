// Tracks receive-minus-exchange time per venue over the last N ticks; the median is computed on read.

export class ClockOffset {
  private readonly samples: Float64Array;
  /** Sorted copy for the median: a typed-array sort (numeric, native), no array or comparator per read. */
  private readonly sorted: Float64Array;
  private n = 0;
  private next = 0;
  constructor(size = 511) {
    this.samples = new Float64Array(size);
    this.sorted = new Float64Array(size);
  }

  /** O(1), no allocation. */
  add(tsRecvNs: number, tsExchNs: number): void {
    this.samples[this.next] = tsRecvNs - tsExchNs;
    this.next = (this.next + 1) % this.samples.length;
    if (this.n < this.samples.length) this.n++;
  }

  /** Rolling median of (receive - exchange) in ns; NaN before the first sample. */
  medianNs(): number {
    if (this.n === 0) return NaN;
    const s = this.sorted.subarray(0, this.n);
    s.set(this.samples.subarray(0, this.n));
    s.sort();
    const mid = this.n >> 1;
    return this.n % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  }
}
