// The TypeScript L2 book (the fallback of native/book.cc, line for line the same steps): per side a sorted array
// of keys (bid: price, ask: −price, so both sides ascend and the best level is the last) with the sizes beside.
// Updates binary-search the key and shift the worse-or-better tail with copyWithin; the arrays double when full.
import { ASK, BID, type BookSide, type L2Book } from './book.js';
import { crc32Ascii } from './crc32.js';

class Side {
  keys: Float64Array;
  sizes: Float64Array;
  n = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** First index whose key is >= key. */
  private lowerBound(key: number): number {
    let lo = 0,
      hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(key: number, size: number): void {
    const n = this.n;
    const i = n > 0 && key > this.keys[n - 1]! ? n : this.lowerBound(key);
    if (i < n && this.keys[i] === key) {
      if (size === 0) {
        this.keys.copyWithin(i, i + 1, n);
        this.sizes.copyWithin(i, i + 1, n);
        this.n = n - 1;
      } else this.sizes[i] = size;
      return;
    }
    if (size === 0) return;
    if (n === this.keys.length) this.grow();
    this.keys.copyWithin(i + 1, i, n);
    this.sizes.copyWithin(i + 1, i, n);
    this.keys[i] = key;
    this.sizes[i] = size;
    this.n = n + 1;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const sizes = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    sizes.set(this.sizes);
    this.keys = keys;
    this.sizes = sizes;
  }
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A price or size as Kraken's checksum prints it: fixed decimals, no '.', no leading zeros. That is the integer
 * round(v·10^decimals) in decimal, taken directly while it is exact (below 2^53); toFixed past that.
 */
function checksumDigits(v: number, decimals: number): string {
  if (decimals <= 22) {
    const x = v * POW10[decimals]!;
    if (x >= 0 && x < 9007199254740992) return String(Math.round(x));
  }
  const s = v.toFixed(decimals).replace('.', '');
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return s.slice(i);
}

export class TsBook implements L2Book {
  private readonly sides: [Side, Side];
  constructor(capacity = 64) {
    this.sides = [new Side(capacity), new Side(capacity)];
  }

  clear(): void {
    this.sides[0].n = 0;
    this.sides[1].n = 0;
  }

  apply(side: BookSide, levels: Float64Array, count: number): number {
    const s = this.sides[side];
    let skipped = 0;
    for (let i = 0; i < count; i++) {
      const price = levels[2 * i]!,
        size = levels[2 * i + 1]!;
      if (!(price > 0 && price < Infinity) || !(size >= 0 && size < Infinity)) {
        skipped++;
        continue;
      }
      s.set(side === BID ? price : -price, size);
    }
    return skipped;
  }

  truncate(side: BookSide, keep: number): void {
    const s = this.sides[side];
    const k = Math.max(0, Math.floor(keep));
    if (s.n <= k) return;
    const drop = s.n - k;
    s.keys.copyWithin(0, drop, s.n);
    s.sizes.copyWithin(0, drop, s.n);
    s.n = k;
  }

  levels(side: BookSide): number {
    return this.sides[side].n;
  }

  bestPrice(side: BookSide): number {
    const s = this.sides[side];
    if (s.n === 0) return NaN;
    const k = s.keys[s.n - 1]!;
    return side === BID ? k : -k;
  }

  bestSize(side: BookSide): number {
    const s = this.sides[side];
    return s.n === 0 ? NaN : s.sizes[s.n - 1]!;
  }

  top(out: Float64Array, depth: number): number {
    let packed = 0;
    for (let sd = 0; sd < 2; sd++) {
      const s = this.sides[sd]!;
      const base = sd * 2 * depth;
      const sign = sd === BID ? 1 : -1;
      const m = Math.min(depth, s.n);
      for (let k = 0; k < depth; k++) {
        if (k < m) {
          out[base + 2 * k] = sign * s.keys[s.n - 1 - k]!;
          out[base + 2 * k + 1] = s.sizes[s.n - 1 - k]!;
        } else {
          out[base + 2 * k] = NaN;
          out[base + 2 * k + 1] = NaN;
        }
      }
      packed += sd === BID ? m : m * 65536;
    }
    return packed;
  }

  krakenChecksum(priceDecimals: number, sizeDecimals: number): number {
    let text = '';
    for (const sd of [ASK, BID] as const) {
      const s = this.sides[sd];
      const sign = sd === BID ? 1 : -1;
      const m = Math.min(10, s.n);
      for (let k = 0; k < m; k++) {
        text += checksumDigits(sign * s.keys[s.n - 1 - k]!, priceDecimals);
        text += checksumDigits(s.sizes[s.n - 1 - k]!, sizeDecimals);
      }
    }
    return crc32Ascii(text);
  }
}
