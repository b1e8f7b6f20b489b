// Hand-rolled writer of a tick's sorted-set member: byte for byte what msgpackr's pack() gives for the
// codec's map (codec.ts; a test checks equality on real ticks), without an intermediate object or a copy.
// Keys in order: trade k te tr id p q s; quote k te tr id b bq a aq. Integers up to 32 bits take msgpack's
// compact forms (as msgpackr with useRecords false), anything else a float64.
import type { Tick } from '../model/tick.js';

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes a msgpack number at pos; returns the position after it. */
function writeNumber(b: Uint8Array, pos: number, v: number): number {
  if (v >>> 0 === v) {
    if (v < 0x80) b[pos++] = v;
    else if (v < 0x100) { b[pos++] = 0xcc; b[pos++] = v; }
    else if (v < 0x10000) { b[pos++] = 0xcd; b[pos++] = v >> 8; b[pos++] = v & 0xff; }
    else { b[pos++] = 0xce; b[pos++] = v >>> 24; b[pos++] = (v >> 16) & 0xff; b[pos++] = (v >> 8) & 0xff; b[pos++] = v & 0xff; }
    return pos;
  }
  if (v >> 0 === v) {
    if (v >= -0x20) b[pos++] = 0x100 + v;
    else if (v >= -0x80) { b[pos++] = 0xd0; b[pos++] = v + 0x100; }
    else if (v >= -0x8000) { b[pos++] = 0xd1; b[pos++] = (v >> 8) & 0xff; b[pos++] = v & 0xff; }
    else { b[pos++] = 0xd2; b[pos++] = (v >>> 24) & 0xff; b[pos++] = (v >> 16) & 0xff; b[pos++] = (v >> 8) & 0xff; b[pos++] = v & 0xff; }
    return pos;
  }
  b[pos++] = 0xcb;
  f64[0] = v;
  if (littleEndian) for (let k = 7; k >= 0; k--) b[pos++] = f64Bytes[k]!;
  else for (let k = 0; k < 8; k++) b[pos++] = f64Bytes[k]!;
  return pos;
}

/** Writes a one-letter or two-letter fixstr key. */
function key1(b: Uint8Array, pos: number, c0: number): number { b[pos] = 0xa1; b[pos + 1] = c0; return pos + 2; }
function key2(b: Uint8Array, pos: number, c0: number, c1: number): number { b[pos] = 0xa2; b[pos + 1] = c0; b[pos + 2] = c1; return pos + 3; }

const k = 0x6b, t = 0x74, q = 0x71, e = 0x65, r = 0x72, i = 0x69, d = 0x64, p = 0x70, s = 0x73, bb = 0x62, a = 0x61;

/** Most bytes a member can take (8-entry map of short keys and float64 values). */
export const MAX_MEMBER_BYTES = 96;

/** Writes the member of `tick` at pos (room for MAX_MEMBER_BYTES); returns the position after it. */
export function writeMember(b: Uint8Array, pos: number, tick: Tick): number {
  const trade = tick.kind === 'trade';
  b[pos++] = trade ? 0x87 : 0x88;
  pos = key1(b, pos, k); b[pos++] = 0xa1; b[pos++] = trade ? t : q;
  pos = key2(b, pos, t, e); pos = writeNumber(b, pos, tick.tsExchNs);
  pos = key2(b, pos, t, r); pos = writeNumber(b, pos, tick.tsRecvNs);
  pos = key2(b, pos, i, d); pos = writeNumber(b, pos, tick.id);
  if (trade) {
    pos = key1(b, pos, p); pos = writeNumber(b, pos, tick.price);
    pos = key1(b, pos, q); pos = writeNumber(b, pos, tick.size);
    pos = key1(b, pos, s); b[pos++] = tick.side === 'buy' ? 1 : tick.side === 'sell' ? 0xff : 0;
  } else {
    pos = key1(b, pos, bb); pos = writeNumber(b, pos, tick.bid);
    pos = key2(b, pos, bb, q); pos = writeNumber(b, pos, tick.bidSize);
    pos = key1(b, pos, a); pos = writeNumber(b, pos, tick.ask);
    pos = key2(b, pos, a, q); pos = writeNumber(b, pos, tick.askSize);
  }
  return pos;
}
