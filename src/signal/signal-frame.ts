// The `signal` frame, encoded by hand: 4-byte big-endian length + a msgpack map with the keys of DESIGN.md
// §5 in order (type seq id tsNs symbol venue side strategy price strength ttlMs reason indicators latency).
// One pass straight into a shared 64 KiB slab, returning a view of it: no per-signal allocation but the view,
// no copy (the replay ring copies what it keeps into its own arena; sockets hold views only until written).
// Any msgpack reader decodes it to the same map (tested against msgpackr).
import type { Signal } from '../model/signal.js';
import { writeMsgpackNumber as num, writeMsgpackTimestamp as ts } from '../model/msgpack-number.js';

const SLAB_BYTES = 1 << 16;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabPos = 0;

/** A UTF-8 string with the smallest header its byte length allows. Short ASCII strings are copied by a loop. */
function str(b: Buffer, pos: number, s: string): number {
  const len = s.length;
  if (len < 32) {
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[pos + 1 + i] = c;
    }
    if (i === len) {
      b[pos] = 0xa0 | len;
      return pos + 1 + len;
    }
    const n = b.write(s, pos + 1, 'utf8');
    if (n < 32) {
      b[pos] = 0xa0 | n;
      return pos + 1 + n;
    }
    b.copyWithin(pos + 2, pos + 1, pos + 1 + n);
    b[pos] = 0xd9;
    b[pos + 1] = n;
    return pos + 2 + n;
  }
  const n = b.write(s, pos + 5, 'utf8');
  if (n < 0x100) {
    b.copyWithin(pos + 2, pos + 5, pos + 5 + n);
    b[pos] = 0xd9;
    b[pos + 1] = n;
    return pos + 2 + n;
  }
  if (n < 0x10000) {
    b.copyWithin(pos + 3, pos + 5, pos + 5 + n);
    b[pos] = 0xda;
    b.writeUInt16BE(n, pos + 1);
    return pos + 3 + n;
  }
  b[pos] = 0xdb;
  b.writeUInt32BE(n, pos + 1);
  return pos + 5 + n;
}

function mapHeader(b: Buffer, pos: number, n: number): number {
  if (n < 16) {
    b[pos] = 0x80 | n;
    return pos + 1;
  }
  b[pos] = 0xde;
  b.writeUInt16BE(n, pos + 1);
  return pos + 3;
}

/** A key as its fixstr bytes, prepared once; written with a plain loop (Buffer#copy is a native call). */
const fixstr = (k: string) => Uint8Array.from([0xa0 | k.length, ...Buffer.from(k)]);
const K_ID = fixstr('id'),
  K_TS = fixstr('tsNs'),
  K_SYMBOL = fixstr('symbol'),
  K_VENUE = fixstr('venue'),
  K_SIDE = fixstr('side'),
  K_STRATEGY = fixstr('strategy'),
  K_PRICE = fixstr('price'),
  K_STRENGTH = fixstr('strength'),
  K_TTL = fixstr('ttlMs'),
  K_REASON = fixstr('reason'),
  K_INDICATORS = fixstr('indicators'),
  K_EXCH = fixstr('tsExchNs'),
  K_RECV = fixstr('tsRecvNs'),
  K_SIGNAL = fixstr('tsSignalNs');
/** The constant start of every signal map: 14 entries, type: "signal", then the "seq" key. */
const HEAD = Uint8Array.from([0x8e, ...fixstr('type'), ...fixstr('signal'), ...fixstr('seq')]);
/** "latency" key and its 3-entry map header. */
const LATENCY = Uint8Array.from([...fixstr('latency'), 0x83]);
function key(b: Buffer, pos: number, kb: Uint8Array): number {
  for (let i = 0; i < kb.length; i++) b[pos + i] = kb[i]!;
  return pos + kb.length;
}

export function encodeSignalFrame(s: Signal): Buffer {
  // Upper bound of the encoded size (UTF-8 is at most 3 bytes per UTF-16 unit); counts the indicators too.
  let need =
    256 + 3 * (s.id.length + s.symbol.length + s.venue.length + s.side.length + s.strategy.length + s.reason.length);
  let count = 0;
  for (const k in s.indicators) {
    need += 16 + 3 * k.length;
    count++;
  }
  let b: Buffer, start: number;
  if (need > SLAB_BYTES >> 2) {
    b = Buffer.allocUnsafeSlow(need);
    start = 0;
  } // a huge signal gets its own buffer
  else {
    // A fresh slab when this one is full; earlier views keep the old one alive until their sockets wrote them.
    if (slabPos + need > SLAB_BYTES) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      slabPos = 0;
    }
    b = slab;
    start = slabPos;
  }
  let pos = key(b, start + 4, HEAD);
  pos = num(b, pos, s.seq);
  pos = key(b, pos, K_ID);
  pos = str(b, pos, s.id);
  pos = key(b, pos, K_TS);
  pos = ts(b, pos, s.tsNs, s.latency.tsSignalRemNs);
  pos = key(b, pos, K_SYMBOL);
  pos = str(b, pos, s.symbol);
  pos = key(b, pos, K_VENUE);
  pos = str(b, pos, s.venue);
  pos = key(b, pos, K_SIDE);
  pos = str(b, pos, s.side);
  pos = key(b, pos, K_STRATEGY);
  pos = str(b, pos, s.strategy);
  pos = key(b, pos, K_PRICE);
  pos = num(b, pos, s.price);
  pos = key(b, pos, K_STRENGTH);
  pos = num(b, pos, s.strength);
  pos = key(b, pos, K_TTL);
  pos = num(b, pos, s.ttlMs);
  pos = key(b, pos, K_REASON);
  pos = str(b, pos, s.reason);
  pos = key(b, pos, K_INDICATORS);
  pos = mapHeader(b, pos, count);
  for (const k in s.indicators) {
    pos = str(b, pos, k);
    const v = s.indicators[k];
    if (typeof v === 'number') pos = num(b, pos, v);
    else b[pos++] = 0xc0; // nil for a value a strategy left unset
  }
  pos = key(b, pos, LATENCY);
  pos = key(b, pos, K_EXCH);
  pos = ts(b, pos, s.latency.tsExchNs, NaN);
  pos = key(b, pos, K_RECV);
  pos = ts(b, pos, s.latency.tsRecvNs, s.latency.tsRecvRemNs);
  pos = key(b, pos, K_SIGNAL);
  pos = ts(b, pos, s.latency.tsSignalNs, s.latency.tsSignalRemNs);
  b.writeUInt32BE(pos - start - 4, start);
  if (b === slab) slabPos = (pos + 7) & ~7;
  return b.subarray(start, pos);
}
