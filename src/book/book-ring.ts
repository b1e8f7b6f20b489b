// Book messages through a shard's tick ring (pool mode), so a symbol's book updates and ticks reach its shard in
// stream order. A book message takes one ring slot: its kind code (snapshot or delta), clocks, symbol index and
// frame start where a tick has them, and in the value fields its ids, checksum, stream epoch, level counts and
// where its levels start in the shard's level arena: a SharedArrayBuffer of price/size float64s written
// circularly by the producer. The consumer stores ARENA_READ (tick ring header) once it has read a message's
// levels; the producer writes only into floats the consumer is done with. Positions are wrapping int32 counts and
// the arena's length a power of two, so a position's index is `pos & mask`.
import { EVENT_KINDS, RING_OFFSET } from '../model/events.js';
import { H_ARENA_READ, slotOffset as slotAt } from '../model/tick-ring.js';
import { ensureLevels, type BookMessage } from './message.js';
import { RingError } from '../model/errors.js';

const {
  kind: O_KIND,
  tsExchNs: O_EXCH,
  tsRecvNs: O_RECV,
  tsRecvRemNs: O_RECV_REM,
  symbolIdx: O_SYMBOL,
  frameStartNs: O_FRAME,
  price: O_FIRST,
  size: O_LAST,
  side: O_PREV,
  id: O_CHECKSUM,
  bid: O_EPOCH,
  bidSize: O_BIDS,
  ask: O_ASKS,
  askSize: O_ARENA_AT,
} = RING_OFFSET;

/** Ring kind codes of book messages (the tick kinds use theirs from events.ts). */
const BOOK_SNAPSHOT = 16,
  BOOK_DELTA = 17;
for (const k of EVENT_KINDS)
  if (k.code === BOOK_SNAPSHOT || k.code === BOOK_DELTA) throw new RingError(`ring kind code ${k.code} is taken twice`);

/** Floats of a shard's level arena (8 MiB): room for ~500 full 1,000-level snapshots in flight. */
const ARENA_FLOATS = 1 << 20;

export function createArena(floats = ARENA_FLOATS): SharedArrayBuffer {
  if (floats & (floats - 1)) throw new RingError(`book arena of ${floats} floats: not a power of two`);
  return new SharedArrayBuffer(floats * 8);
}

/** True when the ring slot at idx holds a book message. */
export function isBookSlot(slots: Float64Array, idx: number, capacity: number): boolean {
  const k = slots[slotAt(idx, capacity) + O_KIND];
  return k === BOOK_SNAPSHOT || k === BOOK_DELTA;
}

/** Floats a message's levels take in the arena. */
export const arenaFloatsOf = (m: BookMessage): number => 2 * (m.bidCount + m.askCount);

/** The producer side of one shard's arena: where the next levels go. */
export class ArenaWriter {
  /** Wrapping int32 count of floats written. */
  pos = 0;
  private readonly arena: Float64Array;
  private readonly mask: number;
  constructor(
    /** The shared arena (createArena), handed to each task of the shard. */
    readonly buffer: SharedArrayBuffer,
    private readonly header: Int32Array,
  ) {
    this.arena = new Float64Array(buffer);
    this.mask = this.arena.length - 1;
  }

  /** Room for `floats` more (the consumer is done with what they overwrite). */
  fits(floats: number): boolean {
    return ((this.pos - Atomics.load(this.header, H_ARENA_READ)) | 0) + floats <= this.arena.length;
  }

  /** Larger than the whole arena: can never be written. */
  tooLarge(floats: number): boolean {
    return floats > this.arena.length;
  }

  /** A restarted consumer starts after everything written so far (the dead one's unread levels are dropped). */
  reset(): void {
    Atomics.store(this.header, H_ARENA_READ, this.pos);
  }

  /** Writes the message into ring slot idx and its levels into the arena (fits() was checked). */
  write(slots: Float64Array, idx: number, capacity: number, m: BookMessage, symbolIdx: number, frameStartNs: number) {
    const o = slotAt(idx, capacity);
    const a = this.arena,
      mask = this.mask;
    let p = this.pos;
    slots[o + O_KIND] = m.kind === 'snapshot' ? BOOK_SNAPSHOT : BOOK_DELTA;
    slots[o + O_EXCH] = m.tsExchNs;
    slots[o + O_RECV] = m.tsRecvNs;
    slots[o + O_RECV_REM] = m.tsRecvRemNs;
    slots[o + O_SYMBOL] = symbolIdx;
    slots[o + O_FRAME] = frameStartNs;
    slots[o + O_FIRST] = m.firstId;
    slots[o + O_LAST] = m.lastId;
    slots[o + O_PREV] = m.prevId;
    slots[o + O_CHECKSUM] = m.checksum;
    slots[o + O_EPOCH] = m.streamEpoch;
    slots[o + O_BIDS] = m.bidCount;
    slots[o + O_ASKS] = m.askCount;
    slots[o + O_ARENA_AT] = p;
    const bids = m.bids,
      asks = m.asks;
    for (let i = 0, n = 2 * m.bidCount; i < n; i++) a[(p + i) & mask] = bids[i]!;
    p = (p + 2 * m.bidCount) | 0;
    for (let i = 0, n = 2 * m.askCount; i < n; i++) a[(p + i) & mask] = asks[i]!;
    this.pos = (p + 2 * m.askCount) | 0;
  }
}

/**
 * Reads the book message of ring slot idx into `out` (a reused scratch message, its level arrays grown as
 * needed), marks its levels read, and returns the slot's symbol index; `out.venue`/`symbol` are left to the
 * caller. The frame start time is in `frameStartNs` of the slot (readFrameStart).
 */
export function readBookSlot(
  slots: Float64Array,
  idx: number,
  capacity: number,
  arena: Float64Array,
  header: Int32Array,
  out: BookMessage,
): number {
  const o = slotAt(idx, capacity);
  const mask = arena.length - 1;
  out.kind = slots[o + O_KIND] === BOOK_SNAPSHOT ? 'snapshot' : 'delta';
  out.tsExchNs = slots[o + O_EXCH]!;
  out.tsRecvNs = slots[o + O_RECV]!;
  out.tsRecvRemNs = slots[o + O_RECV_REM]!;
  out.firstId = slots[o + O_FIRST]!;
  out.lastId = slots[o + O_LAST]!;
  out.prevId = slots[o + O_PREV]!;
  out.checksum = slots[o + O_CHECKSUM]!;
  out.streamEpoch = slots[o + O_EPOCH]!;
  const nb = slots[o + O_BIDS]!,
    na = slots[o + O_ASKS]!;
  let p = slots[o + O_ARENA_AT]! | 0;
  const bids = ensureLevels(out, 'bids', nb);
  for (let i = 0, n = 2 * nb; i < n; i++) bids[i] = arena[(p + i) & mask]!;
  p = (p + 2 * nb) | 0;
  const asks = ensureLevels(out, 'asks', na);
  for (let i = 0, n = 2 * na; i < n; i++) asks[i] = arena[(p + i) & mask]!;
  p = (p + 2 * na) | 0;
  out.bidCount = nb;
  out.askCount = na;
  Atomics.store(header, H_ARENA_READ, p);
  return slots[o + O_SYMBOL]!;
}

/** The frame start time of ring slot idx (book or tick). */
export const readFrameStart = (slots: Float64Array, idx: number, capacity: number): number =>
  slots[slotAt(idx, capacity) + O_FRAME]!;
