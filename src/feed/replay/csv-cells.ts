// The cells of one CSV line, read in place from the chunk of text it sits in: no line or cell strings are made
// for the usual shapes. A number cell reads exactly as Number() reads it; the cells of the bundled recordings
// (digits with at most one point, at most 15 digits) are computed directly, the rest go through Number().

/** Cells past this many on a line are not told apart (the recorded CSVs have at most 8). */
const MAX_CELLS = 32;

/** 10^k, exact in float64 for k <= 22. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

export class CsvCells {
  private text = '';
  /** starts[k]: where cell k begins; starts[k + 1] - 1: where it ends (its comma, or the line's end). */
  private readonly starts = new Int32Array(MAX_CELLS + 1);
  /** Cells on the line (a line with no comma has one). */
  count = 0;

  /** Takes the line text[start, end): `end` excludes the line break (and a CR before it). */
  set(text: string, start: number, end: number): void {
    this.text = text;
    const starts = this.starts;
    starts[0] = start;
    let n = 1;
    let at = text.indexOf(',', start);
    while (at >= 0 && at < end && n < MAX_CELLS) {
      starts[n++] = at + 1;
      at = text.indexOf(',', at + 1);
    }
    starts[n] = end + 1;
    this.count = n;
  }

  /**
   * Cell k as a number, as Number() reads it, except that an empty or blank cell (or one past the line's end)
   * is NaN where Number() would say 0.
   */
  number(k: number): number {
    if (k < 0 || k >= this.count) return NaN;
    const s = this.text;
    const from = this.starts[k]!,
      to = this.starts[k + 1]! - 1;
    // digits [ '.' digits ]: the value is m / 10^fractionDigits, both exact below 10^15 digits, and a division of
    // exact operands rounds once, to the double nearest the decimal, which is what Number() returns.
    let m = 0,
      digits = 0,
      point = -1,
      i = from;
    for (; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
      } else if (c === 46 && point < 0) point = i;
      else break;
    }
    if (i === to && digits > 0 && digits <= 15) return point < 0 ? m : m / POW10[to - point - 1]!;
    const cell = s.slice(from, to);
    const n = Number(cell);
    return n === 0 && cell.trim() === '' ? NaN : n; // only a 0 can be a blank cell: the rest skip the trim
  }

  /** Whether cell k is exactly `word`. */
  is(k: number, word: string): boolean {
    if (k < 0 || k >= this.count) return false;
    const from = this.starts[k]!;
    return this.starts[k + 1]! - 1 - from === word.length && this.text.startsWith(word, from);
  }

  /** Cell k as a string ('' past the line's end). */
  string(k: number): string {
    return k < 0 || k >= this.count ? '' : this.text.slice(this.starts[k]!, this.starts[k + 1]! - 1);
  }
}
