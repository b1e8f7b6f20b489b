// Fixed-size ring of the last n values (count windows) and a growable time-stamped ring (time windows).

export class CountWindow {
  readonly buf: Float64Array;
  /** Where the next value goes; once full, also the oldest value. */
  head = 0;
  size = 0;
  constructor(readonly capacity: number) {
    this.buf = new Float64Array(capacity);
  }
  /** Pushes x; returns the value that fell out (NaN while filling). No modulo: a compare and reset. */
  push(x: number): number {
    const out = this.size === this.capacity ? this.buf[this.head]! : NaN;
    this.buf[this.head] = x;
    if (++this.head === this.capacity) this.head = 0;
    if (this.size < this.capacity) this.size++;
    return out;
  }
  /** The state pushing values[0..n) one by one into an empty window would leave (a batch warm-up). */
  loadFrom(values: Float64Array): void {
    const n = values.length,
      cap = this.capacity;
    for (let i = n > cap ? n - cap : 0; i < n; i++) this.buf[i % cap] = values[i]!;
    this.head = n % cap;
    this.size = n < cap ? n : cap;
  }
  /** i = 0 is the oldest value in the window. */
  at(i: number): number {
    let j = this.head - this.size + i;
    if (j < 0) j += this.capacity;
    else if (j >= this.capacity) j -= this.capacity;
    return this.buf[j]!;
  }
  get full(): boolean {
    return this.size === this.capacity;
  }
  clear(): void {
    this.head = 0;
    this.size = 0;
  }
}

/**
 * A deque of (timeMs, a, b) triples; old entries are evicted by the caller through `evictBefore`.
 * Grows by doubling when full (amortised; no allocation in steady state).
 */
export class TimeWindow {
  t: Float64Array;
  a: Float64Array;
  b: Float64Array;
  head = 0; // index of the oldest
  size = 0;
  constructor(initial = 1024) {
    this.t = new Float64Array(initial);
    this.a = new Float64Array(initial);
    this.b = new Float64Array(initial);
  }
  private grow(): void {
    const cap = this.t.length * 2;
    const t = new Float64Array(cap),
      a = new Float64Array(cap),
      b = new Float64Array(cap);
    for (let i = 0; i < this.size; i++) {
      const j = (this.head + i) % this.t.length;
      t[i] = this.t[j]!;
      a[i] = this.a[j]!;
      b[i] = this.b[j]!;
    }
    this.t = t;
    this.a = a;
    this.b = b;
    this.head = 0;
  }
  push(timeMs: number, a: number, b: number): void {
    if (this.size === this.t.length) this.grow();
    const j = (this.head + this.size) % this.t.length;
    this.t[j] = timeMs;
    this.a[j] = a;
    this.b[j] = b;
    this.size++;
  }
  oldestTime(): number {
    return this.t[this.head]!;
  }
  oldestA(): number {
    return this.a[this.head]!;
  }
  oldestB(): number {
    return this.b[this.head]!;
  }
  shift(): void {
    this.head = (this.head + 1) % this.t.length;
    this.size--;
  }
  /** Time of entry i, i = 0 the oldest. */
  timeAt(i: number): number {
    return this.t[(this.head + i) % this.t.length]!;
  }
  /** b of entry i, i = 0 the oldest. */
  bAt(i: number): number {
    return this.b[(this.head + i) % this.t.length]!;
  }
  newestA(): number {
    return this.a[(this.head + this.size - 1) % this.t.length]!;
  }
  popNewest(): void {
    this.size--;
  }
  clear(): void {
    this.head = 0;
    this.size = 0;
  }
  /** The entries oldest first (from entry `from`), as plain arrays (snapshots for crash recovery and re-warming). */
  snapshot(from = 0): { t: number[]; a: number[]; b: number[] } {
    const t: number[] = [],
      a: number[] = [],
      b: number[] = [];
    for (let i = Math.max(0, from); i < this.size; i++) {
      const j = (this.head + i) % this.t.length;
      t.push(this.t[j]!);
      a.push(this.a[j]!);
      b.push(this.b[j]!);
    }
    return { t, a, b };
  }
  restore(s: { t: number[]; a: number[]; b: number[] }): void {
    this.clear();
    for (let i = 0; i < s.t.length; i++) this.push(s.t[i]!, s.a[i]!, s.b[i]!);
  }
}
