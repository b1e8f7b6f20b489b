// Exact rational arithmetic for reference values: venue decimal strings as BigInt at a fixed scale, and a
// BigInt ratio rounded to the nearest double. Independent of the code under test (no float sums anywhere).

/** "61834.63" at scale 8 -> 6183463000000n; throws on anything but a plain non-negative decimal. */
export function scaled(s: string, scale: number): bigint {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = (m[2] ?? '').padEnd(scale, '0');
  if (frac.length > scale) throw new Error(`${s} has more than ${scale} decimals`);
  return BigInt(m[1]! + frac);
}

const bitLength = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);

/** num / den as the nearest double (within one ulp), for any magnitude. */
export function ratio(num: bigint, den: bigint): number {
  if (den === 0n) throw new Error('ratio: zero denominator');
  if (num === 0n) return 0;
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num,
    d = den < 0n ? -den : den;
  const shift = 64 - (bitLength(n) - bitLength(d)); // quotient of ~64 significant bits
  const q = shift >= 0 ? (n << BigInt(shift)) / d : n / (d << BigInt(-shift));
  const v = Number(q) * 2 ** -shift;
  return neg ? -v : v;
}

/** sqrt(num / den) as a double (relative error ~1e-16). */
export function sqrtRatio(num: bigint, den: bigint): number {
  return Math.sqrt(ratio(num, den));
}

export interface Trades {
  price: string[];
  size: string[];
  timeMs: number[];
}

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { shared } from '../helpers.js';

/** The real trade sets of shared data with their decimal strings: Binance BTCUSDT spot and Lean SPY. */
export function realTrades(which: 'btcusdt' | 'spy'): Trades {
  const t: Trades = { price: [], size: [], timeMs: [] };
  if (which === 'btcusdt') {
    const text = readFileSync(shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'), 'utf8');
    for (const line of text.trim().split('\n').slice(1)) {
      const c = line.split(',');
      t.price.push(c[1]!);
      t.size.push(c[2]!);
      t.timeMs.push(Number(c[3]));
    }
  } else {
    const text = gunzipSync(readFileSync(shared('ticks/lean-SPY-trade-ticks-20131008.csv.gz'))).toString('utf8');
    for (const line of text.trim().split('\n').slice(1)) {
      const c = line.split(',');
      if (c[5] === '1') continue;
      t.price.push(c[1]!);
      t.size.push(c[2]!);
      t.timeMs.push(Number(c[0]));
    }
  }
  return t;
}
