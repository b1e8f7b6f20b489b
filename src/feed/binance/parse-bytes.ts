// Binance fast path on the WebSocket frame's bytes (no UTF-8 decode, no JSON.parse): trade, aggTrade and
// bookTicker, raw or combined-stream wrapped. One validating pass over a flat object of single-letter keys
// records where each value lies; the fields are then read in place. Anything outside that strict subset
// (whitespace, escapes, non-ASCII, nested values, null, duplicate or long keys, numbers that are not plain
// decimals) returns false and the caller decodes the text and takes the JSON.parse path, so this path can
// only produce the ticks JSON.parse would. Every JSON scalar is checked against the JSON grammar so a frame
// JSON.parse would reject is never accepted here.
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { DOT, NINE, parseDecimalBytes, ZERO } from '../decimal-bytes.js';

export const QUOTE = 34,
  COMMA = 44,
  COLON = 58,
  BRACE_OPEN = 123,
  BRACE_CLOSE = 125;
const MINUS = 45;
const KIND_STRING = 1,
  KIND_NUMBER = 2,
  KIND_TRUE = 3,
  KIND_FALSE = 4;

// Per key letter (char code < 128): where its value starts/ends and its kind, valid when gen matches.
const valueStart = new Int32Array(128);
const valueEnd = new Int32Array(128);
const valueKind = new Uint8Array(128);
const keyGen = new Uint32Array(128);
let gen = 0;

export const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const WRAP_HEAD = ascii('{"stream":"');
export const WRAP_DATA = ascii(',"data":{');
const EV_TRADE = ascii('trade');
const EV_AGG = ascii('aggTrade');
const EV_BOOK = ascii('bookTicker');
const MARKET = ascii('MARKET');
const c = (ch: string) => ch.charCodeAt(0);
const K_e = c('e'),
  K_E = c('E'),
  K_s = c('s'),
  K_t = c('t'),
  K_a = c('a'),
  K_p = c('p'),
  K_q = c('q'),
  K_T = c('T'),
  K_m = c('m'),
  K_X = c('X'),
  K_u = c('u'),
  K_b = c('b'),
  K_B = c('B'),
  K_A = c('A');

export function has(b: Uint8Array, lit: Uint8Array, at: number): boolean {
  const n = lit.length;
  if (at + n > b.length) return false;
  for (let k = 0; k < n; k++) if (b[at + k] !== lit[k]) return false;
  return true;
}

/** Index just past a JSON number starting at i (strict grammar), or -1. */
function scanNumber(b: Uint8Array, i: number, n: number): number {
  let j = i;
  if (j < n && b[j] === MINUS) j++;
  if (j >= n) return -1;
  let d = b[j]!;
  if (d === ZERO) j++;
  else if (d > ZERO && d <= NINE) {
    j++;
    while (j < n && (d = b[j]!) >= ZERO && d <= NINE) j++;
  } else return -1;
  if (j < n && b[j] === DOT) {
    j++;
    if (j >= n || (d = b[j]!) < ZERO || d > NINE) return -1;
    while (j < n && (d = b[j]!) >= ZERO && d <= NINE) j++;
  }
  if (j < n && (b[j] === 101 || b[j] === 69)) {
    // e E
    j++;
    if (j < n && (b[j] === 43 || b[j] === MINUS)) j++;
    if (j >= n || (d = b[j]!) < ZERO || d > NINE) return -1;
    while (j < n && (d = b[j]!) >= ZERO && d <= NINE) j++;
  }
  return j;
}

/** Index of the closing quote of a plain ASCII string starting at i (after the opening quote), or -1. */
export function scanString(b: Uint8Array, i: number, n: number): number {
  for (let j = i; j < n; j++) {
    const d = b[j]!;
    if (d === QUOTE) return j;
    if (d < 32 || d === 92 || d > 126) return -1; // control, backslash, non-ASCII: JSON.parse decides
  }
  return -1;
}

/** Scans a flat object of single-letter keys from i (just after '{'); index just past '}', or -1. */
function scanObject(b: Uint8Array, i: number, n: number): number {
  if (++gen === 0xffffffff) {
    keyGen.fill(0);
    gen = 1;
  }
  if (i < n && b[i] === BRACE_CLOSE) return i + 1;
  for (;;) {
    if (i + 4 >= n || b[i] !== QUOTE || b[i + 2] !== QUOTE || b[i + 3] !== COLON) return -1;
    const key = b[i + 1]!;
    if (!((key >= 65 && key <= 90) || (key >= 97 && key <= 122)) || keyGen[key] === gen) return -1;
    keyGen[key] = gen;
    i += 4;
    const v = b[i]!;
    if (v === QUOTE) {
      const end = scanString(b, i + 1, n);
      if (end < 0) return -1;
      valueStart[key] = i + 1;
      valueEnd[key] = end;
      valueKind[key] = KIND_STRING;
      i = end + 1;
    } else if (v === MINUS || (v >= ZERO && v <= NINE)) {
      const end = scanNumber(b, i, n);
      if (end < 0) return -1;
      valueStart[key] = i;
      valueEnd[key] = end;
      valueKind[key] = KIND_NUMBER;
      i = end;
    } else if (v === 116 && i + 3 < n && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
      // true
      valueKind[key] = KIND_TRUE;
      i += 4;
    } else if (v === 102 && i + 4 < n && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) {
      // false
      valueKind[key] = KIND_FALSE;
      i += 5;
    } else return -1; // null, objects, arrays: not ours
    if (i >= n) return -1;
    const sep = b[i];
    if (sep === COMMA) {
      i++;
      continue;
    }
    if (sep === BRACE_CLOSE) return i + 1;
    return -1;
  }
}

const present = (key: number) => keyGen[key] === gen;
const isString = (key: number) => keyGen[key] === gen && valueKind[key] === KIND_STRING;
function stringIs(b: Uint8Array, key: number, lit: Uint8Array): boolean {
  return isString(key) && valueEnd[key]! - valueStart[key]! === lit.length && has(b, lit, valueStart[key]!);
}

/** A key's value as a plain unsigned integer below 2^53 (ids, epoch ms), or -1. */
function uintOf(b: Uint8Array, key: number): number {
  if (!present(key) || valueKind[key] !== KIND_NUMBER) return -1;
  const s = valueStart[key]!,
    e = valueEnd[key]!;
  if (e - s > 16) return -1;
  let v = 0;
  for (let k = s; k < e; k++) {
    const d = b[k]!;
    if (d < ZERO || d > NINE) return -1;
    v = v * 10 + (d - ZERO);
  }
  return v <= 9007199254740991 ? v : -1;
}

const decimalOf = (b: Uint8Array, key: number) =>
  isString(key) ? parseDecimalBytes(b, valueStart[key]!, valueEnd[key]!) : NaN;

/** Recently seen symbols, so a symbol string is allocated once, not per frame. */
const SYMBOL_CACHE_SIZE = 64;
const symbolCache: string[] = [];
let symbolNext = 0;
function symbolOf(b: Uint8Array, key: number): string | undefined {
  return isString(key) ? symbolAt(b, valueStart[key]!, valueEnd[key]!) : undefined;
}

/** The symbol in b[s, e), from the cache of recent symbols when it is there. */
export function symbolAt(b: Uint8Array, s: number, e: number): string | undefined {
  const len = e - s;
  if (len === 0 || len > 64) return undefined;
  outer: for (let k = 0; k < symbolCache.length; k++) {
    const cand = symbolCache[k]!;
    if (cand.length !== len) continue;
    for (let j = 0; j < len; j++) if (cand.charCodeAt(j) !== b[s + j]) continue outer;
    return cand;
  }
  let sym = '';
  for (let j = 0; j < len; j++) sym += String.fromCharCode(b[s + j]!);
  symbolCache[symbolNext] = sym;
  symbolNext = (symbolNext + 1) % SYMBOL_CACHE_SIZE;
  return sym;
}

/**
 * Parses one Binance frame from its bytes b[0, n), appending its tick to `out`. Returns false, appending nothing,
 * when the frame is anything but a well-formed trade/aggTrade/bookTicker in the strict subset above.
 */
export function fastBinanceBytes(venue: string, b: Uint8Array, tsRecvNs: number, out: Tick[], n = b.length): boolean {
  if (n < 2 || b[0] !== BRACE_OPEN) return false;
  if (has(b, WRAP_HEAD, 0)) {
    const nameEnd = scanString(b, WRAP_HEAD.length, n);
    if (nameEnd < 0 || !has(b, WRAP_DATA, nameEnd + 1)) return false;
    const end = scanObject(b, nameEnd + 1 + WRAP_DATA.length, n);
    if (end !== n - 1 || b[end] !== BRACE_CLOSE) return false;
  } else if (scanObject(b, 1, n) !== n) return false;

  if (stringIs(b, K_e, EV_TRADE) || stringIs(b, K_e, EV_AGG)) {
    if (present(K_X) && !stringIs(b, K_X, MARKET)) return false;
    const id = uintOf(b, valueEnd[K_e]! - valueStart[K_e]! === EV_TRADE.length ? K_t : K_a);
    const timeMs = present(K_T) ? uintOf(b, K_T) : uintOf(b, K_E);
    const maker = present(K_m) ? valueKind[K_m] : 0;
    if (id < 0 || timeMs <= 0 || (maker !== KIND_TRUE && maker !== KIND_FALSE)) return false;
    const price = decimalOf(b, K_p),
      size = decimalOf(b, K_q);
    if (!(price > 0) || !(size >= 0)) return false;
    const symbol = symbolOf(b, K_s);
    if (symbol === undefined) return false;
    out.push(tradeTick(venue, symbol, timeMs * 1e6, tsRecvNs, price, size, maker === KIND_TRUE ? 'sell' : 'buy', id));
    return true;
  }
  if (stringIs(b, K_e, EV_BOOK) || (!present(K_e) && present(K_u) && present(K_b) && present(K_a))) {
    const id = uintOf(b, K_u);
    let tsExchNs = tsRecvNs;
    if (present(K_E)) {
      const ms = uintOf(b, K_E);
      if (ms <= 0) return false;
      tsExchNs = ms * 1e6;
    }
    const bid = decimalOf(b, K_b),
      bidSize = decimalOf(b, K_B),
      ask = decimalOf(b, K_a),
      askSize = decimalOf(b, K_A);
    if (id < 0 || !(bid > 0) || !(bidSize >= 0) || !(ask > 0) || !(askSize >= 0)) return false;
    const symbol = symbolOf(b, K_s);
    if (symbol === undefined) return false;
    out.push(quoteTick(venue, symbol, tsExchNs, tsRecvNs, bid, bidSize, ask, askSize, id));
    return true;
  }
  return false;
}
