// Compensated (TwoSum) running sum: `hi + lo` carries the exact sum of the terms to ~2^-106 relative, so a
// window that adds a term and later subtracts the same term returns to where it was (no residue drift).
// The same operations, in the same order, are in native/kernels.cc (bit-identical results).

export class CompensatedSum {
  hi = 0;
  lo = 0;
  add(x: number): void {
    const s = this.hi + x;
    const b = s - this.hi;
    this.lo += this.hi - (s - b) + (x - b);
    this.hi = s;
  }
  get value(): number {
    return this.hi + this.lo;
  }
  clear(): void {
    this.hi = 0;
    this.lo = 0;
  }
}
