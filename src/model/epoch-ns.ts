// Exact epoch nanoseconds without BigInt on the hot path. An epoch ns value (~1.8e18) needs 61 bits, and a
// float64 holds it to the nearest multiple of 256. Process-clock times (receive, signal) are therefore carried
// as that float64 plus an integer remainder (exact = ns + remNs; telemetry/clock.ts makes both). A time with no
// remainder known (NaN: exchange times, recorded receive times) is at most µs-precise at its source, so it is
// written as the nearest whole µs. The functions below turn either into exact 32-bit words or decimal digits.

const TWO32 = 4_294_967_296;
const words = new Float64Array(2);

/** The remainder that makes ns + remainder the nearest whole µs (an exact integer, |remainder| <= 628). */
export function nearestUsRemNs(ns: number): number {
  const us = Math.round(ns / 1e3);
  const uh = Math.floor(us / TWO32),
    ul = us - uh * TWO32;
  const low = ul * 1000; // < 2^42: exact
  const carry = Math.floor(low / TWO32);
  const hi = uh * 1000 + carry,
    lo = low - carry * TWO32;
  const nh = Math.floor(ns / TWO32),
    nl = ns - nh * TWO32;
  return (hi - nh) * TWO32 + (lo - nl);
}

/**
 * Fills words[0] (high) and words[1] (low) with the 32-bit halves of the exact integer time: ns + remNs, or
 * the nearest whole µs when remNs is NaN. ns must be integer-valued and in [0, 2^64).
 */
function fillWords(ns: number, remNs: number): void {
  const rem = remNs === remNs ? remNs : nearestUsRemNs(ns);
  let hi = Math.floor(ns / TWO32),
    lo = ns - hi * TWO32 + rem;
  if (lo < 0) {
    lo += TWO32;
    hi--;
  } else if (lo >= TWO32) {
    lo -= TWO32;
    hi++;
  }
  words[0] = hi;
  words[1] = lo;
}

/** Writes the exact time as 8 big-endian bytes (uint64) at pos. */
export function writeExactNsBE(b: Uint8Array, pos: number, ns: number, remNs: number): void {
  fillWords(ns, remNs);
  const hi = words[0]!,
    lo = words[1]!;
  b[pos] = hi >>> 24;
  b[pos + 1] = (hi >>> 16) & 0xff;
  b[pos + 2] = (hi >>> 8) & 0xff;
  b[pos + 3] = hi & 0xff;
  b[pos + 4] = lo >>> 24;
  b[pos + 5] = (lo >>> 16) & 0xff;
  b[pos + 6] = (lo >>> 8) & 0xff;
  b[pos + 7] = lo & 0xff;
}

/** The exact time as decimal digits (for text rows and JSON lines; allocates, so off the hot path). */
export function exactNsText(ns: number, remNs: number): string {
  if (!(ns >= TWO32) || ns >= 2 ** 64 || Math.floor(ns) !== ns) return String(Math.round(ns));
  fillWords(ns, remNs);
  return ((BigInt(words[0]!) << 32n) | BigInt(words[1]!)).toString();
}
