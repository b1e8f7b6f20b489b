// Epoch-nanosecond clock of the process, anchored once and advanced by the monotonic performance.now() (libuv's
// hrtime, CLOCK_MONOTONIC; ~35 ns cheaper per call than process.hrtime.bigint(), which allocates).
// The anchor comes from the native module (CLOCK_REALTIME minus CLOCK_MONOTONIC, read at ns precision) paired
// with performance.now() through process.hrtime.bigint() (the same monotonic clock); without the native module it
// is performance.timeOrigin (µs digits). Two processes on one host agree to well under a µs.
// An epoch ns value needs 61 bits; as a float64 it is the nearest multiple of 256. nowNs() gives that float64
// for arithmetic (latencies, stage timing: the hot path's many reads). The times that are sent or stored
// (receive, signal) are read with exactNowNs(), which also leaves the exact remainder for lastExactRemNs():
// exact time = that value + the remainder, an integer, written as such by the writers in model/epoch-ns.ts.
import { nativeModule } from '../native/index.js';

interface Anchor {
  perfMs: number;
  epochNs: number;
  remNs: number;
}

/** performance.now() paired with the monotonic ns it stands for: the tightest of 16 back-to-back reads. */
function pairPerfWithMonotonic(): { perfMs: number; monoNs: bigint } {
  let best = { gap: Infinity, perfMs: 0, monoNs: 0n };
  for (let i = 0; i < 16; i++) {
    const p0 = performance.now();
    const m = process.hrtime.bigint();
    const p1 = performance.now();
    if (p1 - p0 < best.gap) best = { gap: p1 - p0, perfMs: (p0 + p1) / 2, monoNs: m };
  }
  return best;
}

function anchor(): Anchor {
  let perfMs: number, exact: bigint;
  const mod = nativeModule().mod;
  if (mod) {
    const offset = mod.clockOffsetNs();
    const pair = pairPerfWithMonotonic();
    perfMs = pair.perfMs;
    exact = pair.monoNs + offset;
  } else {
    perfMs = performance.now();
    exact = BigInt(Math.round((performance.timeOrigin + perfMs) * 1e3)) * 1000n;
  }
  const epochNs = Number(exact);
  return { perfMs, epochNs, remNs: Number(exact - BigInt(epochNs)) };
}

const { perfMs: anchorPerfMs, epochNs: anchorNs, remNs: anchorRemNs } = anchor();
let lastRemNs = 0;

/** Current time in epoch ns as a float64 (256 ns steps), for arithmetic. */
export function nowNs(): number {
  return anchorNs + (performance.now() - anchorPerfMs) * 1e6;
}

/** Current time in epoch ns as a float64, its exact remainder left for lastExactRemNs(). */
export function exactNowNs(): number {
  const elapsedNs = Math.round((performance.now() - anchorPerfMs) * 1e6); // exact below 2^53 ns (104 days)
  const ns = anchorNs + elapsedNs;
  lastRemNs = anchorRemNs + (elapsedNs - (ns - anchorNs)); // ns - anchorNs is exact (Sterbenz)
  return ns;
}

/** Exact epoch ns of the last exactNowNs() call on this thread = its value + this integer (|remainder| <= 256). */
export function lastExactRemNs(): number {
  return lastRemNs;
}
