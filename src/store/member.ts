// Hand-rolled writer of a tick's sorted-set member: byte for byte what msgpackr's pack() gives for the
// codec's map (codec.ts; a test checks equality on real ticks), without an intermediate object or a copy.
// The member holds the venue's identity of the tick and nothing that changes when the venue sends it again: a
// trade with an id is `k te id p q s` (no receive time), a quote with an update id `k id b bq a aq` (its time is
// the score, which a re-sent quote moves rather than adding a member). Ticks without a venue id keep their
// times (`k te tr id ...`) to stay distinct. Integers up to 32 bits take msgpack's compact forms (as msgpackr
// with useRecords false), anything else a float64.
import type { Tick } from '../model/tick.js';
import { writeMsgpackNumber as writeNumber } from '../model/msgpack-number.js';

/** Writes a one-letter or two-letter fixstr key. */
function key1(b: Uint8Array, pos: number, c0: number): number {
  b[pos] = 0xa1;
  b[pos + 1] = c0;
  return pos + 2;
}
function key2(b: Uint8Array, pos: number, c0: number, c1: number): number {
  b[pos] = 0xa2;
  b[pos + 1] = c0;
  b[pos + 2] = c1;
  return pos + 3;
}

const k = 0x6b,
  t = 0x74,
  q = 0x71,
  e = 0x65,
  r = 0x72,
  i = 0x69,
  d = 0x64,
  p = 0x70,
  s = 0x73,
  bb = 0x62,
  a = 0x61;

/** Most bytes a member can take (8-entry map of short keys and float64 values). */
export const MAX_MEMBER_BYTES = 96;

/** Writes the member of `tick` at pos (room for MAX_MEMBER_BYTES); returns the position after it. */
export function writeMember(b: Uint8Array, pos: number, tick: Tick): number {
  const trade = tick.kind === 'trade';
  const withId = tick.id >= 0;
  b[pos++] = withId ? 0x86 : trade ? 0x87 : 0x88;
  pos = key1(b, pos, k);
  b[pos++] = 0xa1;
  b[pos++] = trade ? t : q;
  if (!withId || trade) {
    pos = key2(b, pos, t, e);
    pos = writeNumber(b, pos, tick.tsExchNs);
  }
  if (!withId) {
    pos = key2(b, pos, t, r);
    pos = writeNumber(b, pos, tick.tsRecvNs);
  }
  pos = key2(b, pos, i, d);
  pos = writeNumber(b, pos, tick.id);
  if (trade) {
    pos = key1(b, pos, p);
    pos = writeNumber(b, pos, tick.price);
    pos = key1(b, pos, q);
    pos = writeNumber(b, pos, tick.size);
    pos = key1(b, pos, s);
    b[pos++] = tick.side === 'buy' ? 1 : tick.side === 'sell' ? 0xff : 0;
  } else {
    pos = key1(b, pos, bb);
    pos = writeNumber(b, pos, tick.bid);
    pos = key2(b, pos, bb, q);
    pos = writeNumber(b, pos, tick.bidSize);
    pos = key1(b, pos, a);
    pos = writeNumber(b, pos, tick.ask);
    pos = key2(b, pos, a, q);
    pos = writeNumber(b, pos, tick.askSize);
  }
  return pos;
}
