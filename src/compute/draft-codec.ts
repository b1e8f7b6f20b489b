// Binary layout of one draft record in the shard -> main draft ring, written and read in place in shared memory
// (no msgpack: decoding maps of indicators with msgpackr was a quarter of the main thread's busy time in pool
// mode). Little-endian: f64 at, tsExchNs, tsRecvNs, frameStartNs, price, strength, ttlMs, tsRecvRemNs; u8 side; u16
// indicator count; u8 book (0 not made from a book, 1 made from a book that was live then, 2 from one that was
// not: the shard holds the book, so the risk gate's book check is decided there); f64 spread (bps, of the symbol's
// last quote the shard had computed when the draft was made, so the gate checks the market the draft saw); strings symbol, venue, strategy, reason as u16 byte length + UTF-8; then per indicator its
// key as a string, a u8 tag (0 number, 1 undefined, 2 null) and, for a number, its f64.
// The reader keeps the last string seen in each field, so repeated symbols, names and keys cost a byte
// compare, not a new string.
import type { SignalDraft, SignalSide } from '../model/signal.js';
import { RingError } from '../model/errors.js';

/** One draft and the clocks of its tick; `at` = ring position after the tick (for crash recovery). */
export interface DraftRecord {
  d: SignalDraft;
  e: number;
  r: number;
  f: number;
  /** tsRecvRemNs of the tick (model/epoch-ns.ts). */
  rr: number;
  at: number;
  /** For a draft with `book: true`: its book was live when it was made (the shard's books, pool mode). */
  bl: boolean;
  /** The symbol's spread in bps when the draft was made (NaN before a quote). */
  sp: number;
}

const SIDES: readonly SignalSide[] = ['buy', 'sell', 'flat'];
const sideCode = (s: SignalSide): number => (s === 'buy' ? 0 : s === 'sell' ? 1 : 2);
const FIXED = 8 * 8 + 1 + 2 + 1 + 8;
const MAX_STRING_BYTES = 0xffff;

/** An upper bound of the record's encoded size (UTF-8 takes at most 3 bytes per UTF-16 unit). */
export function draftBound(rec: DraftRecord): number {
  const d = rec.d;
  let n = FIXED + 4 * 2 + 3 * (d.symbol.length + d.venue.length + d.strategy.length + d.reason.length);
  for (const k in d.indicators) n += 2 + 3 * k.length + 1 + 8;
  return n;
}

function writeString(buf: Buffer, pos: number, s: string): number {
  const len = s.length;
  let i = 0;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    buf[pos + 2 + i] = c;
  }
  const n = i === len ? len : buf.write(s, pos + 2, 'utf8');
  if (n > MAX_STRING_BYTES) throw new RingError(`draft string of ${n} bytes exceeds ${MAX_STRING_BYTES}`);
  buf.writeUInt16LE(n, pos);
  return pos + 2 + n;
}

/** Writes the record at `pos` (room for draftBound(rec) bytes is the caller's job); returns the end. */
export function encodeDraft(buf: Buffer, pos: number, rec: DraftRecord): number {
  const d = rec.d;
  buf.writeDoubleLE(rec.at, pos);
  buf.writeDoubleLE(rec.e, pos + 8);
  buf.writeDoubleLE(rec.r, pos + 16);
  buf.writeDoubleLE(rec.f, pos + 24);
  buf.writeDoubleLE(d.price, pos + 32);
  buf.writeDoubleLE(d.strength, pos + 40);
  buf.writeDoubleLE(d.ttlMs, pos + 48);
  buf.writeDoubleLE(rec.rr, pos + 56);
  buf[pos + 64] = sideCode(d.side);
  buf[pos + 67] = d.book === true ? (rec.bl ? 1 : 2) : 0;
  buf.writeDoubleLE(rec.sp, pos + 68);
  let p = pos + FIXED;
  p = writeString(buf, p, d.symbol);
  p = writeString(buf, p, d.venue);
  p = writeString(buf, p, d.strategy);
  p = writeString(buf, p, d.reason);
  let count = 0;
  for (const k in d.indicators) {
    p = writeString(buf, p, k);
    const v = d.indicators[k] as number | null | undefined;
    if (typeof v === 'number') {
      buf[p] = 0;
      buf.writeDoubleLE(v, p + 1);
      p += 9;
    } else {
      buf[p] = v === null ? 2 : 1;
      p += 1;
    }
    count++;
  }
  buf.writeUInt16LE(count, pos + 65); // counted while writing: one pass over the indicators
  return p;
}

/** Field slots of the reader's string cache: symbol, venue, strategy, reason, then indicator keys by position. */
const S_SYMBOL = 0,
  S_VENUE = 1,
  S_STRATEGY = 2,
  S_REASON = 3,
  S_KEYS = 4,
  CACHED_KEYS = 60;

export class DraftDecoder {
  private readonly lastString: string[] = new Array<string>(S_KEYS + CACHED_KEYS).fill('');
  private readonly lastBytes: Uint8Array[] = Array.from({ length: S_KEYS + CACHED_KEYS }, () => new Uint8Array(0));
  /** Where the last readString ended. */
  private end = 0;

  private readString(buf: Buffer, pos: number, slot: number): string {
    const n = buf.readUInt16LE(pos);
    const start = pos + 2;
    this.end = start + n;
    if (slot >= this.lastBytes.length) return buf.toString('utf8', start, start + n);
    const prev = this.lastBytes[slot]!;
    if (prev.length === n) {
      let i = 0;
      while (i < n && prev[i] === buf[start + i]) i++;
      if (i === n) return this.lastString[slot]!;
    }
    const s = buf.toString('utf8', start, start + n);
    this.lastString[slot] = s;
    this.lastBytes[slot] = new Uint8Array(buf.subarray(start, start + n)); // a private copy (buf is the shared ring)
    return s;
  }

  decode(buf: Buffer, pos: number): DraftRecord {
    const side = SIDES[buf[pos + 64]!];
    if (side === undefined) throw new RingError(`draft record: side code ${buf[pos + 64]}`);
    const count = buf.readUInt16LE(pos + 65);
    const symbol = this.readString(buf, pos + FIXED, S_SYMBOL);
    const venue = this.readString(buf, this.end, S_VENUE);
    const strategy = this.readString(buf, this.end, S_STRATEGY);
    const reason = this.readString(buf, this.end, S_REASON);
    const indicators: Record<string, number> = {};
    let p = this.end;
    for (let i = 0; i < count; i++) {
      const k = this.readString(buf, p, S_KEYS + i);
      p = this.end;
      const tag = buf[p]!;
      if (tag === 0) {
        indicators[k] = buf.readDoubleLE(p + 1);
        p += 9;
      } else {
        (indicators as Record<string, unknown>)[k] = tag === 2 ? null : undefined;
        p += 1;
      }
    }
    const d: SignalDraft = {
      symbol,
      venue,
      side,
      strategy,
      price: buf.readDoubleLE(pos + 32),
      strength: buf.readDoubleLE(pos + 40),
      ttlMs: buf.readDoubleLE(pos + 48),
      reason,
      indicators,
    };
    const book = buf[pos + 67]!;
    if (book !== 0) d.book = true;
    return {
      at: buf.readDoubleLE(pos),
      e: buf.readDoubleLE(pos + 8),
      r: buf.readDoubleLE(pos + 16),
      f: buf.readDoubleLE(pos + 24),
      rr: buf.readDoubleLE(pos + 56),
      bl: book === 1,
      sp: buf.readDoubleLE(pos + 68),
      d,
    };
  }
}
