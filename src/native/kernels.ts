// The contract both the N-API module and the TypeScript fallback implement (same names, same results).

export interface Kernels {
  /** EMA with TA-Lib seeding: SMA of the first `period` values; NaN before index period-1. */
  emaBatch(values: Float64Array, period: number, out: Float64Array): void;
  /** Simple moving average; NaN before index period-1. */
  smaBatch(values: Float64Array, period: number, out: Float64Array): void;
  /** Wilder RSI; NaN before index `period`. */
  rsiBatch(values: Float64Array, period: number, out: Float64Array): void;
  /** Rolling population mean and standard deviation; NaN before index window-1. */
  rollingMeanStd(values: Float64Array, window: number, meanOut: Float64Array, stdOut: Float64Array): void;
  /** Advances `state.length` EMAs over rows of `len` values each (row s drives state[s]); NaN state seeds from the first value. */
  emaMultiUpdate(values: Float64Array, len: number, alpha: number, state: Float64Array): void;
  /** Sends one sd_notify datagram to a NOTIFY_SOCKET path ("@name" = abstract); true when sent. */
  sdNotify(socketPath: string, message: string): boolean;
  /** Does nothing: measures the call overhead. */
  noop(): void;
}
