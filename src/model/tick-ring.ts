// SharedArrayBuffer tick ring between the main thread (single producer) and one shard worker (single
// consumer). Header (Int32): WRITE count, READ count, CONTROL (0 run, 1 stop, 2 crash-test), SLEEPING (1 while
// the worker waits: the producer only pays for Atomics.notify then), LAUNCHES (shard tasks that have started
// running on this ring, so start-up can wait for the first), ARENA_READ (floats of the book-level arena the
// worker is done with, book/book-ring.ts). A slot is RING_SLOT_FLOATS float64s laid out by events.ts
// (RING_OFFSET: kind code, the union of every kind's fields, symbol index, frame start time); a book message's
// slot (book-ring.ts) reuses the value fields for its ids and its levels' place in the arena.
// Counts are monotonically increasing int32 (wrap-safe arithmetic via `| 0` differences).
import { quoteTick, tradeTick, type Tick } from './tick.js';
import { EVENT_SCHEMAS, RING_OFFSET, RING_SLOT_FLOATS } from './events.js';

const {
  kind: O_KIND,
  tsExchNs: O_EXCH,
  tsRecvNs: O_RECV,
  tsRecvRemNs: O_RECV_REM,
  price: O_PRICE,
  size: O_SIZE,
  side: O_SIDE,
  id: O_ID,
  bid: O_BID,
  bidSize: O_BID_SIZE,
  ask: O_ASK,
  askSize: O_ASK_SIZE,
  symbolIdx: O_SYMBOL,
  frameStartNs: O_FRAME,
} = RING_OFFSET;
const TRADE = EVENT_SCHEMAS.trade.code,
  QUOTE = EVENT_SCHEMAS.quote.code;

export const H_WRITE = 0,
  H_READ = 1,
  H_CONTROL = 2,
  H_SLEEPING = 3,
  H_LAUNCHES = 4,
  H_ARENA_READ = 5;
const HEADER_INTS = 6;
const SLOT = RING_SLOT_FLOATS;
/** Ticks written in one turn before a sleeping consumer is woken without waiting for the turn's end (the
 * producer's wake policy: the turn's first tick at once, then every WAKE_EVERY, and once at the turn's end). */
export const WAKE_EVERY = 16;

export interface RingBuffers {
  header: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  capacity: number;
}

export function createRing(capacity: number): RingBuffers {
  return {
    header: new SharedArrayBuffer(HEADER_INTS * 4),
    slots: new SharedArrayBuffer(capacity * SLOT * 8),
    capacity,
  };
}

/** Where ring position idx's slot starts in the slots array (positions are wrapping int32 counts). */
export const slotOffset = (idx: number, capacity: number): number => (((idx % capacity) + capacity) % capacity) * SLOT;

export function writeSlot(
  slots: Float64Array,
  idx: number,
  capacity: number,
  t: Tick,
  symbolIdx: number,
  frameStartNs: number,
): void {
  const o = slotOffset(idx, capacity);
  slots[o + O_KIND] = t.kind === 'trade' ? TRADE : QUOTE;
  slots[o + O_EXCH] = t.tsExchNs;
  slots[o + O_RECV] = t.tsRecvNs;
  slots[o + O_RECV_REM] = t.tsRecvRemNs;
  slots[o + O_PRICE] = t.price;
  slots[o + O_SIZE] = t.size;
  slots[o + O_SIDE] = t.side === 'buy' ? 1 : t.side === 'sell' ? -1 : 0;
  slots[o + O_ID] = t.id;
  slots[o + O_BID] = t.bid;
  slots[o + O_BID_SIZE] = t.bidSize;
  slots[o + O_ASK] = t.ask;
  slots[o + O_ASK_SIZE] = t.askSize;
  slots[o + O_SYMBOL] = symbolIdx;
  slots[o + O_FRAME] = frameStartNs;
}

export function readSlot(
  slots: Float64Array,
  idx: number,
  capacity: number,
  names: Array<{ venue: string; symbol: string }>,
): { tick: Tick; frameStartNs: number; symbolIdx: number } | undefined {
  const o = slotOffset(idx, capacity);
  const symbolIdx = slots[o + O_SYMBOL]!;
  const n = names[symbolIdx];
  if (!n) return undefined;
  const sideCode = slots[o + O_SIDE];
  const side = sideCode === 1 ? 'buy' : sideCode === -1 ? 'sell' : 'unknown';
  const exch = slots[o + O_EXCH]!,
    recv = slots[o + O_RECV]!,
    id = slots[o + O_ID]!;
  const tick =
    slots[o + O_KIND] === TRADE
      ? tradeTick(n.venue, n.symbol, exch, recv, slots[o + O_PRICE]!, slots[o + O_SIZE]!, side, id)
      : quoteTick(
          n.venue,
          n.symbol,
          exch,
          recv,
          slots[o + O_BID]!,
          slots[o + O_BID_SIZE]!,
          slots[o + O_ASK]!,
          slots[o + O_ASK_SIZE]!,
          id,
        );
  tick.tsRecvRemNs = slots[o + O_RECV_REM]!;
  return { tick, frameStartNs: slots[o + O_FRAME]!, symbolIdx };
}
