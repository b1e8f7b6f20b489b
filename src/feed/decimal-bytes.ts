// Plain decimals read from bytes (a frame's or a recording's) without decoding them: the double Number() gives,
// or NaN for any other shape, which the caller then reads its own way. Shared by the Binance byte parsers and the
// replay's CSV cells.

export const DOT = 46,
  ZERO = 48,
  NINE = 57;

/** 10^k, exact in float64 for k <= 22. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * Parses the plain decimal b[start, end) ("61685.99000000") without allocating: exactly the double Number()
 * gives, or NaN (signs, exponents, leading zeros, too many digits) to leave it to the caller's slow path. Exact
 * because the digits form an integer below 2^53 and one IEEE division of two exactly representable numbers (the
 * integer and a power of ten up to 1e22) is correctly rounded. One pass over the digits; only when they do not
 * fit (more than ~15 digits, or more than 22 after the point) are trailing zeros set aside (trimmedDecimal).
 */
export function parseDecimalBytes(b: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 30) return NaN;
  let mant = 0,
    dot = -1;
  for (let k = start; k < end; k++) {
    const d = b[k]!;
    if (d >= ZERO && d <= NINE) mant = mant * 10 + (d - ZERO);
    else if (d === DOT && dot < 0 && k !== start && k !== end - 1) dot = k;
    else return NaN;
  }
  if (b[start] === ZERO && dot !== start + 1 && end - start > 1) return NaN; // leading zero ("01")
  const scale = dot < 0 ? 0 : end - dot - 1;
  // mant is exact below 2^53: past it, it only grows, so a rounded sum still shows as too large.
  if (mant > 9007199254740991 || scale > 22) return trimmedDecimal(b, start, end);
  return scale === 0 ? mant : mant / POW10[scale]!;
}

/** parseDecimalBytes for digits that do not fit as they are: trailing zeros after the point never enter them. */
function trimmedDecimal(b: Uint8Array, start: number, end: number): number {
  let mant = 0,
    scale = 0,
    dot = -1,
    zeros = 0;
  for (let k = start; k < end; k++) {
    const d = b[k]!;
    if (d === DOT) {
      for (; zeros > 0; zeros--) mant *= 10; // zeros of the integer part are significant
      dot = k;
      continue;
    }
    if (d === ZERO) {
      zeros++;
      continue;
    } // defer zeros: trailing ones after the dot never enter the mantissa
    for (; zeros > 0; zeros--) {
      mant *= 10;
      if (dot >= 0) scale++;
    }
    mant = mant * 10 + (d - ZERO);
    if (dot >= 0) scale++;
  }
  if (dot < 0) for (; zeros > 0; zeros--) mant *= 10;
  if (mant > 9007199254740991 || scale > 22) return NaN;
  return scale === 0 ? mant : mant / POW10[scale]!;
}
