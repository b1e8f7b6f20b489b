// Binance depthUpdate frames on their bytes (no UTF-8 decode, no JSON.parse), raw or combined-stream wrapped:
// {"e":"depthUpdate","E":..,"T":..,"s":"..","U":..,"u":..,"pu":..,"b":[["p","q"],..],"a":[..]} with keys in
// any order. Levels are read straight into the book message's typed arrays with parseDecimalBytes (the double
// Number() gives). Anything outside that strict subset (whitespace, other keys, escapes, a level that is not two
// plain decimals) returns false and the JSON.parse path (parse-depth.ts) decides, so this path can only produce
// the book messages that path would.
import { emptyMessage, ensureLevels, type BookInput, type BookMessage } from '../../book/message.js';
import {
  ascii,
  BRACE_CLOSE,
  BRACE_OPEN,
  COLON,
  COMMA,
  has,
  QUOTE,
  scanString,
  symbolAt,
  WRAP_DATA,
  WRAP_HEAD,
} from './parse-bytes.js';
import { NINE, parseDecimalBytes, ZERO } from '../decimal-bytes.js';

const BRACKET_OPEN = 91,
  BRACKET_CLOSE = 93;
const EV_DEPTH = ascii('"e":"depthUpdate",');

const scratch = emptyMessage();
/** Index just past the last value read by uintAt / levelsAt. */
let pos = 0;

/** A plain unsigned integer below 2^53 at b[i..] (pos set past it), or -1. */
function uintAt(b: Uint8Array, i: number, n: number): number {
  let v = 0,
    j = i;
  for (; j < n && j - i <= 16; j++) {
    const d = b[j]!;
    if (d < ZERO || d > NINE) break;
    v = v * 10 + (d - ZERO);
  }
  if (j === i || j - i > 16 || (b[i] === ZERO && j - i > 1) || v > 9007199254740991) return -1;
  pos = j;
  return v;
}

/** [["p","q"],...] at b[i..] into m's side (pos set past it): the level count, or -1. */
function levelsAt(b: Uint8Array, i: number, n: number, m: BookMessage, side: 'bids' | 'asks'): number {
  if (b[i] !== BRACKET_OPEN) return -1;
  i++;
  if (b[i] === BRACKET_CLOSE) {
    pos = i + 1;
    return 0;
  }
  let count = 0;
  let out = m[side];
  for (;;) {
    if (b[i] !== BRACKET_OPEN || b[i + 1] !== QUOTE) return -1;
    const pEnd = scanString(b, i + 2, n);
    if (pEnd < 0 || b[pEnd + 1] !== COMMA || b[pEnd + 2] !== QUOTE) return -1;
    const qEnd = scanString(b, pEnd + 3, n);
    if (qEnd < 0 || b[qEnd + 1] !== BRACKET_CLOSE) return -1;
    const price = parseDecimalBytes(b, i + 2, pEnd),
      size = parseDecimalBytes(b, pEnd + 3, qEnd);
    if (price !== price || size !== size) return -1;
    if (out.length < 2 * (count + 1)) out = ensureLevels(m, side, count + 1);
    out[2 * count] = price;
    out[2 * count + 1] = size;
    count++;
    i = qEnd + 2;
    const sep = b[i];
    if (sep === COMMA) i++;
    else if (sep === BRACKET_CLOSE) {
      pos = i + 1;
      return count;
    } else return -1;
  }
}

/**
 * True when b[0, n) is a Binance depthUpdate frame: handed to `books` when given (parsed in the strict subset,
 * else false), ignored when not. False, doing nothing, for any other frame.
 */
export function fastBinanceDepthBytes(
  venue: string,
  b: Uint8Array,
  tsRecvNs: number,
  books: BookInput | undefined,
  n = b.length,
): boolean {
  if (n < 2 || b[0] !== BRACE_OPEN) return false;
  let i = 1,
    wrapped = false;
  if (has(b, WRAP_HEAD, 0)) {
    const nameEnd = scanString(b, WRAP_HEAD.length, n);
    if (nameEnd < 0 || !has(b, WRAP_DATA, nameEnd + 1)) return false;
    i = nameEnd + 1 + WRAP_DATA.length;
    wrapped = true;
  }
  if (!has(b, EV_DEPTH, i)) return false;
  if (books === undefined) return true; // a depth frame nobody keeps a book for
  i += EV_DEPTH.length;
  const m = scratch;
  let first = -1,
    last = -1,
    prev = -1,
    eventMs = -1,
    txMs = -1,
    symbol: string | undefined,
    bids = -1,
    asks = -1,
    seen = 0;
  for (;;) {
    if (b[i] !== QUOTE) return false;
    const k1 = b[i + 1]!;
    let key = k1,
      at = i + 4;
    if (b[i + 2] !== QUOTE) {
      if (b[i + 3] !== QUOTE) return false;
      key = k1 * 256 + b[i + 2]!; // two-letter keys (pu)
      at = i + 5;
    }
    if (b[at - 1] !== COLON) return false;
    let bit: number;
    switch (key) {
      case 69: // E
        bit = 1;
        eventMs = uintAt(b, at, n);
        if (eventMs < 0) return false;
        break;
      case 84: // T
        bit = 2;
        txMs = uintAt(b, at, n);
        if (txMs < 0) return false;
        break;
      case 85: // U
        bit = 4;
        first = uintAt(b, at, n);
        if (first < 0) return false;
        break;
      case 117: // u
        bit = 8;
        last = uintAt(b, at, n);
        if (last < 0) return false;
        break;
      case 112 * 256 + 117: // pu
        bit = 16;
        prev = uintAt(b, at, n);
        if (prev < 0) return false;
        break;
      case 115: {
        // s
        bit = 32;
        if (b[at] !== QUOTE) return false;
        const end = scanString(b, at + 1, n);
        if (end < 0) return false;
        symbol = symbolAt(b, at + 1, end);
        if (symbol === undefined) return false;
        pos = end + 1;
        break;
      }
      case 98: // b
        bit = 64;
        bids = levelsAt(b, at, n, m, 'bids');
        if (bids < 0) return false;
        break;
      case 97: // a
        bit = 128;
        asks = levelsAt(b, at, n, m, 'asks');
        if (asks < 0) return false;
        break;
      default:
        return false;
    }
    if (seen & bit) return false; // a repeated key: JSON.parse keeps the last, leave it to that path
    seen |= bit;
    i = pos;
    if (b[i] === COMMA) {
      i++;
      continue;
    }
    if (b[i] !== BRACE_CLOSE) return false;
    i++;
    break;
  }
  if (wrapped && b[i++] !== BRACE_CLOSE) return false;
  if (i !== n) return false;
  if (seen & 2 && txMs <= 0) return false;
  const timeMs = txMs > 0 ? txMs : eventMs;
  if (first < 0 || last < first || timeMs <= 0 || symbol === undefined || bids < 0 || asks < 0) return false;
  m.venue = venue;
  m.symbol = symbol;
  m.kind = 'delta';
  m.firstId = first;
  m.lastId = last;
  m.prevId = prev;
  m.tsExchNs = timeMs * 1e6;
  m.tsRecvNs = tsRecvNs;
  m.bidCount = bids;
  m.askCount = asks;
  m.checksum = -1;
  books.onBookMessage(m);
  return true;
}
