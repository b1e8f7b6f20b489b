// The cells of one CSV line, read in place from the bytes of the chunk it sits in: no line, cell or decoded text
// is made for the usual shapes. A number cell reads exactly as Number() reads the cell's UTF-8 text: plain
// decimals (the bundled recordings' cells) from the bytes (parseDecimalBytes), the rest through Number() on the
// decoded cell.
import { parseDecimalBytes } from '../decimal-bytes.js';

/** Cells past this many on a line are not told apart (the recorded CSVs have at most 8). */
const MAX_CELLS = 32;

const COMMA = 44,
  LF = 10,
  CR = 13;

export class CsvCells {
  private bytes: Buffer = Buffer.alloc(0);
  /** starts[k]: where cell k begins; starts[k + 1] - 1: where it ends (its comma, or the line's end). */
  private readonly starts = new Int32Array(MAX_CELLS + 1);
  /** Cells on the line (a line with no comma has one). */
  count = 0;
  /** Where the line's text ends: its line break, or the CR before it, or the chunk's end. */
  end = 0;

  /**
   * Takes the line that starts at bytes[start]: its cells run to the next line feed (a CR before it is not part
   * of the line) or the chunk's end. Returns the line feed's index (bytes.length when the chunk ends first).
   */
  setLine(bytes: Buffer, start: number): number {
    this.bytes = bytes;
    const starts = this.starts,
      len = bytes.length;
    starts[0] = start;
    let n = 1,
      i = start;
    for (; i < len; i++) {
      const c = bytes[i]!;
      if (c === LF) break;
      if (c === COMMA && n < MAX_CELLS) starts[n++] = i + 1;
    }
    const end = i > start && bytes[i - 1] === CR ? i - 1 : i;
    starts[n] = end + 1;
    this.count = n;
    this.end = end;
    return i;
  }

  /**
   * Cell k as a number, as Number() reads it, except that an empty or blank cell (or one past the line's end)
   * is NaN where Number() would say 0.
   */
  number(k: number): number {
    if (k < 0 || k >= this.count) return NaN;
    const b = this.bytes;
    const from = this.starts[k]!,
      to = this.starts[k + 1]! - 1;
    const v = parseDecimalBytes(b, from, to);
    if (v === v) return v;
    const cell = b.toString('utf8', from, to);
    const n = Number(cell);
    return n === 0 && cell.trim() === '' ? NaN : n; // only a 0 can be a blank cell: the rest skip the trim
  }

  /** Whether cell k is exactly `word` (ASCII). */
  is(k: number, word: string): boolean {
    if (k < 0 || k >= this.count) return false;
    const from = this.starts[k]!,
      n = word.length;
    if (this.starts[k + 1]! - 1 - from !== n) return false;
    const b = this.bytes;
    for (let j = 0; j < n; j++) if (b[from + j] !== word.charCodeAt(j)) return false;
    return true;
  }
}
