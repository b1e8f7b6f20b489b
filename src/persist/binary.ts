// PostgreSQL binary COPY encoding for the high-volume tables (ticks, quotes): numbers go in as their
// IEEE/int64 bytes, so a batch costs no number-to-text formatting at all. Layout per the COPY BINARY format:
// 11-byte signature, int32 flags, int32 extension length; per row int16 field count and, per field,
// int32 length + bytes; int16 -1 trailer. timestamptz = int64 µs since 2000-01-01.
import { sideCode, type Tick } from '../model/tick.js';
import { EncodeError } from '../model/errors.js';
import { writeExactNsBE } from '../model/epoch-ns.js';
import { EVENT_SCHEMAS } from '../model/events.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const PG_EPOCH_US = 946_684_800_000_000;
const TWO32 = 4_294_967_296;

class Writer {
  buf: Buffer;
  off = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(next, 0, 0, this.off);
    this.buf = next;
  }
  i16(v: number): void {
    this.buf.writeInt16BE(v, this.off);
    this.off += 2;
  }
  i32(v: number): void {
    this.buf.writeInt32BE(v, this.off);
    this.off += 4;
  }
  /** int64 from a non-negative safe integer. */
  i64(v: number): void {
    const hi = Math.floor(v / TWO32);
    this.buf.writeUInt32BE(hi >>> 0, this.off);
    this.buf.writeUInt32BE(v - hi * TWO32, this.off + 4);
    this.off += 8;
  }
  /** int64 = the exact epoch ns time ns + remNs, or with remNs NaN the nearest whole µs (model/epoch-ns.ts). */
  i64Exact(ns: number, remNs: number): void {
    writeExactNsBE(this.buf, this.off, ns, remNs);
    this.off += 8;
  }

  f64(v: number): void {
    this.buf.writeDoubleBE(v, this.off);
    this.off += 8;
  }
  bytes(b: Buffer): void {
    b.copy(this.buf, this.off);
    this.off += b.length;
  }
}

const textCache = new Map<string, Buffer>();
function text(s: string): Buffer {
  let b = textCache.get(s);
  if (!b) {
    b = Buffer.from(s, 'utf8');
    if (textCache.size < 10_000) textCache.set(s, b);
  }
  return b;
}

/** One COPY BINARY payload for trades (table ticks) or quotes (table quotes). Ids must be >= -1 (int8). */
export function encodeTicksBinary(ticks: readonly Tick[], kind: 'trade' | 'quote'): Buffer {
  const w = new Writer(19 + ticks.length * 160 + 2);
  w.bytes(SIGNATURE);
  w.i32(0);
  w.i32(0);
  const fields = EVENT_SCHEMAS[kind].fields.length;
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i]!;
    const venue = text(t.venue),
      symbol = text(t.symbol);
    w.ensure(2 + fields * 4 + 8 * 9 + venue.length + symbol.length);
    w.i16(fields);
    const exchUs = Math.round(t.tsExchNs / 1e3);
    w.i32(8);
    w.i64(exchUs - PG_EPOCH_US);
    w.i32(venue.length);
    w.bytes(venue);
    w.i32(symbol.length);
    w.bytes(symbol);
    w.i32(8);
    if (t.id >= 0 && Number.isSafeInteger(t.id)) w.i64(t.id);
    else if (t.id === -1) {
      w.buf.writeInt32BE(-1, w.off);
      w.buf.writeInt32BE(-1, w.off + 4);
      w.off += 8;
    } else throw new EncodeError(`id ${t.id} is not an int8 the binary encoder can write exactly`); // the row-by-row path decides
    if (kind === 'trade') {
      w.i32(8);
      w.f64(t.price);
      w.i32(8);
      w.f64(t.size);
      w.i32(2);
      w.i16(sideCode(t.side));
    } else {
      w.i32(8);
      w.f64(t.bid);
      w.i32(8);
      w.f64(t.bidSize);
      w.i32(8);
      w.f64(t.ask);
      w.i32(8);
      w.f64(t.askSize);
    }
    w.i32(8);
    w.i64Exact(t.tsExchNs, NaN); // the nearest whole µs: exchUs * 1000
    w.i32(8);
    w.i64Exact(t.tsRecvNs, t.tsRecvRemNs);
  }
  w.ensure(2);
  w.i16(-1);
  return w.buf.subarray(0, w.off);
}
