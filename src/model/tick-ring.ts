// SharedArrayBuffer tick ring between the main thread (single producer) and one shard worker (single
// consumer). Header (Int32): WRITE count, READ count, CONTROL (0 run, 1 stop, 2 crash-test), SLEEPING (1 while
// the worker waits: the producer only pays for Atomics.notify then), LAUNCHES (shard tasks that have started
// running on this ring, so start-up can wait for the first). Slots are
// SLOT float64s: kind, tsExchNs, tsRecvNs, price, size, side, id, bid, bidSize, ask, askSize, symbolIdx, frameStartNs.
// Counts are monotonically increasing int32 (wrap-safe arithmetic via `| 0` differences).
import { quoteTick, tradeTick, type Tick } from '../model/tick.js';

export const H_WRITE = 0,
  H_READ = 1,
  H_CONTROL = 2,
  H_SLEEPING = 3,
  H_LAUNCHES = 4;
const HEADER_INTS = 5;
const SLOT = 13;
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

export function writeSlot(
  slots: Float64Array,
  idx: number,
  capacity: number,
  t: Tick,
  symbolIdx: number,
  frameStartNs: number,
): void {
  const o = (((idx % capacity) + capacity) % capacity) * SLOT;
  slots[o] = t.kind === 'trade' ? 0 : 1;
  slots[o + 1] = t.tsExchNs;
  slots[o + 2] = t.tsRecvNs;
  slots[o + 3] = t.price;
  slots[o + 4] = t.size;
  slots[o + 5] = t.side === 'buy' ? 1 : t.side === 'sell' ? -1 : 0;
  slots[o + 6] = t.id;
  slots[o + 7] = t.bid;
  slots[o + 8] = t.bidSize;
  slots[o + 9] = t.ask;
  slots[o + 10] = t.askSize;
  slots[o + 11] = symbolIdx;
  slots[o + 12] = frameStartNs;
}

export function readSlot(
  slots: Float64Array,
  idx: number,
  capacity: number,
  names: Array<{ venue: string; symbol: string }>,
): { tick: Tick; frameStartNs: number; symbolIdx: number } | undefined {
  const o = (((idx % capacity) + capacity) % capacity) * SLOT;
  const symbolIdx = slots[o + 11]!;
  const n = names[symbolIdx];
  if (!n) return undefined;
  const side = slots[o + 5] === 1 ? 'buy' : slots[o + 5] === -1 ? 'sell' : 'unknown';
  const tick =
    slots[o] === 0
      ? tradeTick(n.venue, n.symbol, slots[o + 1]!, slots[o + 2]!, slots[o + 3]!, slots[o + 4]!, side, slots[o + 6]!)
      : quoteTick(
          n.venue,
          n.symbol,
          slots[o + 1]!,
          slots[o + 2]!,
          slots[o + 7]!,
          slots[o + 8]!,
          slots[o + 9]!,
          slots[o + 10]!,
          slots[o + 6]!,
        );
  return { tick, frameStartNs: slots[o + 12]!, symbolIdx };
}
