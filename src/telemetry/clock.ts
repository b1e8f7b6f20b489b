// Epoch-nanosecond receive clock from process.hrtime, anchored once to Date.now (monotonic between anchors).

const anchorEpochNs = Date.now() * 1e6;
const anchorHr = process.hrtime.bigint();

/** Current time in epoch ns as a float64 (µs-exact; ns digits are approximate above 2^53). */
export function nowNs(): number {
  return anchorEpochNs + Number(process.hrtime.bigint() - anchorHr);
}

/** Monotonic ns since process start, for durations. */
export function monoNs(): number {
  return Number(process.hrtime.bigint() - anchorHr);
}
