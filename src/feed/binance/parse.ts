// Binance spot and USD-M frames -> Ticks: trade, aggTrade, bookTicker, raw or combined-stream wrapped.
// A hand-written extractor handles the common trade frame; anything it does not recognise goes to JSON.parse.
// Spot bookTicker carries no event time: its tsExchNs is the receive time (documented precision loss).
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import { idOf, isObject, msToNs, nonNegative, parseJson, positive, str } from '../numbers.js';

/** Parses a JSON-object event (already unwrapped). */
export function parseBinanceEvent(venue: string, d: Record<string, unknown>, tsRecvNs: number, out: Tick[]): void {
  const e = d.e;
  if (e === 'trade' || e === 'aggTrade') {
    if (d.X !== undefined && d.X !== 'MARKET') return; // USD-M insurance-fund / ADL prints are not market trades
    const id = e === 'trade' ? idOf(d.t) : idOf(d.a);
    if (id < 0) throw new FrameError('bad-field', `field ${e === 'trade' ? 't' : 'a'}: expected a trade id`);
    if (typeof d.m !== 'boolean') throw new FrameError('bad-field', 'field m: expected a boolean');
    out.push(tradeTick(venue, str(d.s, 's'), msToNs(d.T ?? d.E, 'T'), tsRecvNs,
      positive(d.p, 'p'), nonNegative(d.q, 'q'), d.m ? 'sell' : 'buy', id));
    return;
  }
  if (e === 'bookTicker' || (e === undefined && d.u !== undefined && d.b !== undefined && d.a !== undefined)) {
    const id = idOf(d.u);
    const ts = d.E !== undefined ? msToNs(d.E, 'E') : tsRecvNs;
    out.push(quoteTick(venue, str(d.s, 's'), ts, tsRecvNs, positive(d.b, 'b'), nonNegative(d.B, 'B'),
      positive(d.a, 'a'), nonNegative(d.A, 'A'), id));
    return;
  }
  if (e === 'depthUpdate' || e === '24hrTicker' || e === 'kline' || e === 'markPriceUpdate') return; // not ours
  throw new FrameError('unknown-event', `unknown Binance event ${typeof e === 'string' ? e.slice(0, 32) : typeof e}`);
}

/** Reads a JSON string value starting at `i` (just after the opening quote); -1 if it has escapes. */
function readString(f: string, i: number): number {
  const end = f.indexOf('"', i);
  if (end < 0) return -1;
  for (let k = i; k < end; k++) { const c = f.charCodeAt(k); if (c === 92 || c < 32) return -1; } // escapes / control chars: JSON.parse decides
  return end;
}

/** Reads an unsigned integer at `i`; returns [value, end] via the scratch array or -1. */
const intScratch = [0, 0];
function readUint(f: string, i: number): boolean {
  let v = 0, k = i;
  for (; k < f.length; k++) {
    const c = f.charCodeAt(k);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  if (k === i || k - i > 16) return false;
  if (f.charCodeAt(i) === 48 && k - i > 1) return false; // JSON forbids leading zeros
  intScratch[0] = v; intScratch[1] = k;
  return true;
}

/**
 * Fast path for the exact frame shapes Binance sends for `trade` (spot, with or without the legacy b/a
 * fields, and USD-M): fields in Binance's order. Returns false (caller falls back to JSON.parse) on any
 * surprise, so it can only ever produce the ticks JSON.parse would.
 */
export function fastBinanceTrade(venue: string, f: string, tsRecvNs: number, out: Tick[]): boolean {
  // Exactly `{"stream":"<name>","data":{"e":"trade","E":` (name without quotes or escapes) or `{"e":"trade","E":`.
  let i: number;
  let wrapped = false;
  if (f.startsWith('{"stream":"')) {
    const nameEnd = readString(f, 11);
    if (nameEnd < 0 || !f.startsWith('","data":{"e":"trade","E":', nameEnd)) return false;
    i = nameEnd + 26;
    wrapped = true;
  } else if (f.startsWith('{"e":"trade","E":')) i = 17;
  else return false;
  // The only keys we accept, in order; "X" (USD-M) must be MARKET.
  if (!readUint(f, i)) return false;
  const eventMs = intScratch[0]!; i = intScratch[1]!;
  let tradeMs = -1;
  if (f.startsWith(',"T":', i)) { if (!readUint(f, i + 5)) return false; tradeMs = intScratch[0]!; i = intScratch[1]!; }
  if (!f.startsWith(',"s":"', i)) return false;
  const sEnd = readString(f, i + 6); if (sEnd < 0 || sEnd - (i + 6) > 32 || sEnd === i + 6) return false;
  const symbol = f.slice(i + 6, sEnd); i = sEnd + 1;
  if (!f.startsWith(',"t":', i) || !readUint(f, i + 5)) return false;
  const id = intScratch[0]!; i = intScratch[1]!;
  if (!f.startsWith(',"p":"', i)) return false;
  const pEnd = readString(f, i + 6); if (pEnd < 0) return false;
  const pStr = f.slice(i + 6, pEnd); i = pEnd + 1;
  if (!f.startsWith(',"q":"', i)) return false;
  const qEnd = readString(f, i + 6); if (qEnd < 0) return false;
  const qStr = f.slice(i + 6, qEnd); i = qEnd + 1;
  if (f.startsWith(',"X":"MARKET"', i)) i += 13;
  else if (f.startsWith(',"X":', i)) return false;
  if (f.startsWith(',"b":', i)) { if (!readUint(f, i + 5)) return false; i = intScratch[1]!; if (!f.startsWith(',"a":', i) || !readUint(f, i + 5)) return false; i = intScratch[1]!; }
  if (tradeMs < 0) { if (!f.startsWith(',"T":', i) || !readUint(f, i + 5)) return false; tradeMs = intScratch[0]!; i = intScratch[1]!; }
  let maker: boolean;
  if (f.startsWith(',"m":true', i)) { maker = true; i += 9; } else if (f.startsWith(',"m":false', i)) { maker = false; i += 10; } else return false;
  if (f.startsWith(',"M":true', i)) i += 9; else if (f.startsWith(',"M":false', i)) i += 10;
  // Closing: '}' (raw) or '}}' (combined stream); nothing else may follow.
  if (f.length - i !== (wrapped ? 2 : 1) || f.charCodeAt(i) !== 125 || (wrapped && f.charCodeAt(i + 1) !== 125)) return false;
  if (pStr.length === 0 || pStr.length > 30 || qStr.length === 0 || qStr.length > 30) return false;
  const price = Number(pStr), size = Number(qStr);
  if (!(price > 0) || !(size >= 0) || price === Infinity || size === Infinity) return false;
  if (eventMs <= 0 || tradeMs <= 0) return false;
  out.push(tradeTick(venue, symbol, tradeMs * 1e6, tsRecvNs, price, size, maker ? 'sell' : 'buy', id));
  return true;
}

export function makeBinanceParser(venue: string, fastPath = true) {
  return (frame: string, tsRecvNs: number, out: Tick[]): void => {
    if (fastPath && fastBinanceTrade(venue, frame, tsRecvNs, out)) return;
    const msg = parseJson(frame);
    if (!isObject(msg)) throw new FrameError('bad-shape', 'Binance frame is not a JSON object');
    if ('result' in msg && 'id' in msg) return; // subscribe ack
    if ('lastUpdateId' in msg) return; // REST depth snapshot interleaved in recordings (book sync), not a tick
    if ('code' in msg && 'msg' in msg) throw new FrameError('venue-error', `Binance error ${String(msg.code)}: ${String(msg.msg).slice(0, 80)}`);
    const data = 'stream' in msg && 'data' in msg ? msg.data : msg;
    if (!isObject(data)) throw new FrameError('bad-shape', 'Binance combined-stream data is not an object');
    parseBinanceEvent(venue, data, tsRecvNs, out);
  };
}
