// Book features for strategies, read from a live book's top levels (the `top()` layout: `depth` bid pairs, then
// `depth` ask pairs, best first, NaN past a side's end): multi-level imbalance weighted by level distance,
// depth-weighted microprice, resting size within X bps of the mid, spread in ticks, and order-flow imbalance
// from best-level changes (Cont, Kukanov & Stoikov 2014). Each is plain arithmetic on the levels it names,
// checked in test/book/features.test.ts against exact rational arithmetic on the real 2021 books.
import { CompensatedSum } from '../indicators/compensated.js';

/**
 * (Σ w_k·bidSize_k − Σ w_k·askSize_k) / (Σ w_k·bidSize_k + Σ w_k·askSize_k) over the best `levels` per side,
 * w_k = decay^k (k = 0 at the best level): in [−1, 1], > 0 when bids outweigh asks. NaN for an empty book.
 */
export function depthImbalance(top: Float64Array, depth: number, levels: number, decay = 1): number {
  let bid = 0,
    ask = 0,
    w = 1;
  const n = Math.min(levels, depth);
  for (let k = 0; k < n; k++) {
    const b = top[2 * k + 1]!,
      a = top[2 * depth + 2 * k + 1]!;
    if (b === b) bid += w * b;
    if (a === a) ask += w * a;
    w *= decay;
  }
  const total = bid + ask;
  return total > 0 ? (bid - ask) / total : NaN;
}

/**
 * Depth-weighted microprice over the best `levels` per side: (VWAP_bid·Q_ask + VWAP_ask·Q_bid) / (Q_bid + Q_ask),
 * Q a side's resting size and VWAP its size-weighted price. One level gives the classic microprice. NaN when a
 * side is empty.
 */
export function depthMicroprice(top: Float64Array, depth: number, levels: number): number {
  let qb = 0,
    pqb = 0,
    qa = 0,
    pqa = 0;
  const n = Math.min(levels, depth);
  for (let k = 0; k < n; k++) {
    const bp = top[2 * k]!,
      bs = top[2 * k + 1]!,
      ap = top[2 * depth + 2 * k]!,
      as = top[2 * depth + 2 * k + 1]!;
    if (bs === bs) {
      qb += bs;
      pqb += bp * bs;
    }
    if (as === as) {
      qa += as;
      pqa += ap * as;
    }
  }
  if (!(qb > 0) || !(qa > 0)) return NaN;
  return ((pqb / qb) * qa + (pqa / qa) * qb) / (qb + qa);
}

/** Resting size on one side (0 bids, 1 asks) at prices within `bps` basis points of the mid. NaN without a mid. */
export function depthWithinBps(top: Float64Array, depth: number, side: 0 | 1, bps: number): number {
  const bid = top[0]!,
    ask = top[2 * depth]!;
  if (!(bid === bid && ask === ask)) return NaN;
  const mid = (bid + ask) / 2;
  const limit = (mid * bps) / 1e4;
  let sum = 0;
  const base = side * 2 * depth;
  for (let k = 0; k < depth; k++) {
    const p = top[base + 2 * k]!;
    if (p !== p || Math.abs(p - mid) > limit) break;
    sum += top[base + 2 * k + 1]!;
  }
  return sum;
}

/** The spread in whole ticks of `tickSize` (rounded: prices are multiples of the tick). NaN without both sides. */
export function spreadTicks(top: Float64Array, depth: number, tickSize: number): number {
  const bid = top[0]!,
    ask = top[2 * depth]!;
  return bid === bid && ask === ask ? Math.round((ask - bid) / tickSize) : NaN;
}

/**
 * Order-flow imbalance (Cont, Kukanov & Stoikov): per book update, the best-bid contribution
 * e_b = [P_b ≥ P_b'] q_b − [P_b ≤ P_b'] q_b' minus the best-ask one e_a = [P_a ≤ P_a'] q_a − [P_a ≥ P_a'] q_a'
 * (primes: the previous update), summed over the updates of the last `windowMs` of exchange time.
 */
export class OrderFlowImbalance {
  private bidPx = NaN;
  private bidSz = 0;
  private askPx = NaN;
  private askSz = 0;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private head = 0;
  private count = 0;
  /** The window's sum, compensated: a term added and later removed leaves no residue. */
  private readonly sum = new CompensatedSum();

  constructor(
    private readonly windowMs: number,
    capacity = 4096,
  ) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** One update's best levels at exchange time `ms`; returns the window's sum after it. */
  update(bidPx: number, bidSz: number, askPx: number, askSz: number, ms: number): number {
    let e = 0;
    if (this.bidPx === this.bidPx) {
      if (bidPx >= this.bidPx) e += bidSz;
      if (bidPx <= this.bidPx) e -= this.bidSz;
      if (askPx <= this.askPx) e -= askSz;
      if (askPx >= this.askPx) e += this.askSz;
    }
    this.bidPx = bidPx;
    this.bidSz = bidSz;
    this.askPx = askPx;
    this.askSz = askSz;
    const cap = this.times.length;
    while (this.count > 0 && (ms - this.times[this.head]! >= this.windowMs || this.count === cap)) {
      this.sum.add(-this.values[this.head]!);
      this.head = (this.head + 1) % cap;
      this.count--;
    }
    const at = (this.head + this.count) % cap;
    this.times[at] = ms;
    this.values[at] = e;
    this.count++;
    if (this.count === 1) this.sum.clear(); // an emptied window starts from exactly zero
    this.sum.add(e);
    return this.sum.value;
  }

  reset(): void {
    this.bidPx = NaN;
    this.count = 0;
    this.sum.clear();
  }
}
