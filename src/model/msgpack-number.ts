// Writes a JS number as msgpack exactly as msgpackr's pack() does with useRecords false: unsigned and signed
// integers up to 32 bits in their compact forms, anything else (fractions, larger integers, NaN, ±Infinity)
// as a float64. Shared by the hand-written encoders of Redis members and signal frames; timestamps on the signal
// socket are exact integers (writeMsgpackTimestamp: uint64).

import { writeExactNsBE } from './epoch-ns.js';

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes a msgpack number at pos; returns the position after it. */
export function writeMsgpackNumber(b: Uint8Array, pos: number, v: number): number {
  if (v >>> 0 === v) {
    if (v < 0x80) b[pos++] = v;
    else if (v < 0x100) {
      b[pos++] = 0xcc;
      b[pos++] = v;
    } else if (v < 0x10000) {
      b[pos++] = 0xcd;
      b[pos++] = v >> 8;
      b[pos++] = v & 0xff;
    } else {
      b[pos++] = 0xce;
      b[pos++] = v >>> 24;
      b[pos++] = (v >> 16) & 0xff;
      b[pos++] = (v >> 8) & 0xff;
      b[pos++] = v & 0xff;
    }
    return pos;
  }
  if (v >> 0 === v) {
    if (v >= -0x20) b[pos++] = 0x100 + v;
    else if (v >= -0x80) {
      b[pos++] = 0xd0;
      b[pos++] = v + 0x100;
    } else if (v >= -0x8000) {
      b[pos++] = 0xd1;
      b[pos++] = (v >> 8) & 0xff;
      b[pos++] = v & 0xff;
    } else {
      b[pos++] = 0xd2;
      b[pos++] = (v >>> 24) & 0xff;
      b[pos++] = (v >> 16) & 0xff;
      b[pos++] = (v >> 8) & 0xff;
      b[pos++] = v & 0xff;
    }
    return pos;
  }
  b[pos++] = 0xcb;
  f64[0] = v;
  if (littleEndian) for (let k = 7; k >= 0; k--) b[pos++] = f64Bytes[k]!;
  else for (let k = 0; k < 8; k++) b[pos++] = f64Bytes[k]!;
  return pos;
}

const TWO32 = 4_294_967_296;

/**
 * An epoch-ns timestamp as a msgpack integer: uint64 (0xcf) holding the exact time (ns + remNs; with remNs NaN,
 * the nearest whole µs: epoch-ns.ts) for any integer-valued ns from 2^32 up; else as writeMsgpackNumber writes it.
 */
export function writeMsgpackTimestamp(b: Uint8Array, pos: number, ns: number, remNs: number): number {
  if (!(ns >= TWO32) || ns >= 2 ** 64 || Math.floor(ns) !== ns) return writeMsgpackNumber(b, pos, ns);
  b[pos] = 0xcf;
  writeExactNsBE(b, pos + 1, ns, remNs);
  return pos + 9;
}
