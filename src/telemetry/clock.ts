// Epoch-nanosecond clock of the process, anchored once and advanced by the monotonic performance.now()
// (hrtime-based with sub-µs digits, and ~35 ns cheaper per call than process.hrtime.bigint(), which allocates).
// The anchor is performance.timeOrigin (the epoch time of the monotonic clock's zero, with µs digits), not
// Date.now() (whole ms): two processes on one host agree to about a µs, not a ms. As a float64, an epoch ns
// value carries 256 ns steps; the signal socket writes it as an integer (uint64).

const anchorMs = performance.now();
const anchorEpochNs = Math.round((performance.timeOrigin + anchorMs) * 1e3) * 1e3;

/** Current time in epoch ns as a float64 (µs-exact; ns digits are approximate above 2^53). */
export function nowNs(): number {
  return anchorEpochNs + (performance.now() - anchorMs) * 1e6;
}
