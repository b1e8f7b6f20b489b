// The contract of one L2 order book, implemented natively (native/book.cc) and in TypeScript (ts-book.ts) with
// bit-identical results. Each side keeps its levels sorted worst to best, so the best level is the last one and
// updates near the top (the common case) move the fewest entries.

/** Side codes in every book call. */
export const BID = 0;
export const ASK = 1;
export type BookSide = typeof BID | typeof ASK;

export interface L2Book {
  /** Removes every level of both sides. */
  clear(): void;
  /**
   * Applies `count` (price, size) pairs from `levels` (flat: p0, s0, p1, s1, ...) to one side: size 0 deletes the
   * level, any other size replaces it. A pair with a price that is not finite and positive, or a size that is
   * not finite and non-negative, is skipped. Returns how many pairs were skipped.
   */
  apply(side: BookSide, levels: Float64Array, count: number): number;
  /** Keeps the best `keep` levels of one side, dropping the rest (venues whose book has a fixed depth). */
  truncate(side: BookSide, keep: number): void;
  /** Levels on one side. */
  levels(side: BookSide): number;
  /** Best price on a side; NaN when the side is empty. */
  bestPrice(side: BookSide): number;
  /** Size at the best price on a side; NaN when the side is empty. */
  bestSize(side: BookSide): number;
  /**
   * Writes the best `depth` levels of both sides, best first: out[0..2·depth) bid pairs, out[2·depth..4·depth) ask
   * pairs (price, size), NaN past a side's end. Returns bid levels written + 65536 × ask levels written.
   */
  top(out: Float64Array, depth: number): number;
  /**
   * Kraken's CRC32 over the top 10 asks (ascending) then bids (descending): each price and size printed with the
   * pair's decimals, the '.' removed and leading zeros stripped.
   */
  krakenChecksum(priceDecimals: number, sizeDecimals: number): number;
}

/** Unpacks top()'s return value. */
export function topCounts(packed: number): { bids: number; asks: number } {
  return { bids: packed & 0xffff, asks: packed >>> 16 };
}
