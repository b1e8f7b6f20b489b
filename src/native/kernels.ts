// The contract both the N-API module and the TypeScript fallback implement (same names, same results).
// Each kernel may also write the streaming indicator's state after the last value into `state`, so a warm-up
// over a history window continues live exactly where streaming the same values would have.

export interface Kernels {
  /** EMA with TA-Lib seeding: SMA of the first `period` values; NaN before index period-1. state: [seed sum]. */
  emaBatch(values: Float64Array, period: number, out: Float64Array, state?: Float64Array): void;
  /** Wilder RSI; NaN before index `period`. state: [last value, gain, loss]. */
  rsiBatch(values: Float64Array, period: number, out: Float64Array, state?: Float64Array): void;
  /**
   * Rolling population mean and standard deviation; NaN before index window-1. state (10 values): anchor, the
   * compensated sums s1 hi/lo and s2 hi/lo, last value, run of equal values, updates since the anchor moved,
   * mean − anchor and variance of the last full window.
   */
  rollingMeanStd(
    values: Float64Array,
    window: number,
    meanOut: Float64Array,
    stdOut: Float64Array,
    state?: Float64Array,
  ): void;
}

/** Values `state` must hold per kernel. */
export const STATE_LENGTH = { emaBatch: 1, rsiBatch: 3, rollingMeanStd: 10 } as const;
