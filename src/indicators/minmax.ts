// Rolling max and min over the last n values in amortised O(1) (monotonic deques over a fixed ring).

export class RollingMinMax {
  private readonly vals: Float64Array;
  private readonly maxQ: Int32Array;
  private readonly minQ: Int32Array; // indices (sequence numbers mod cap)
  private maxHead = 0;
  private maxLen = 0;
  private minHead = 0;
  private minLen = 0;
  private seq = 0;
  constructor(readonly period: number) {
    this.vals = new Float64Array(period + 1);
    this.maxQ = new Int32Array(period + 1);
    this.minQ = new Int32Array(period + 1);
  }
  push(x: number): void {
    const cap = this.vals.length;
    const s = this.seq++;
    this.vals[s % cap] = x;
    const oldest = s - this.period + 1;
    while (this.maxLen > 0 && this.vals[this.maxQ[(this.maxHead + this.maxLen - 1) % cap]! % cap]! <= x) this.maxLen--;
    this.maxQ[(this.maxHead + this.maxLen) % cap] = s;
    this.maxLen++;
    while (this.maxQ[this.maxHead]! < oldest) {
      this.maxHead = (this.maxHead + 1) % cap;
      this.maxLen--;
    }
    while (this.minLen > 0 && this.vals[this.minQ[(this.minHead + this.minLen - 1) % cap]! % cap]! >= x) this.minLen--;
    this.minQ[(this.minHead + this.minLen) % cap] = s;
    this.minLen++;
    while (this.minQ[this.minHead]! < oldest) {
      this.minHead = (this.minHead + 1) % cap;
      this.minLen--;
    }
  }
  get max(): number {
    return this.vals[this.maxQ[this.maxHead]! % this.vals.length]!;
  }
  get min(): number {
    return this.vals[this.minQ[this.minHead]! % this.vals.length]!;
  }
  clear(): void {
    this.seq = 0;
    this.maxHead = this.maxLen = this.minHead = this.minLen = 0;
  }
}
