// Reads a book top back from the Redis hash `christmas:{VENUE:SYMBOL}:book` (store/writer.ts writes it).
import type { RedisClient } from './connect.js';
import { bookKey } from './keys.js';
import type { BookTop } from '../model/book-top.js';

function levels(v: string | undefined): Array<[number, number]> {
  if (!v) return [];
  const a = JSON.parse(v) as unknown;
  return Array.isArray(a) ? (a as Array<[number, number]>) : [];
}

/** The stored top of venue:symbol, or undefined when no book was written for it. */
export async function readBookTop(redis: RedisClient, venue: string, symbol: string): Promise<BookTop | undefined> {
  const h = await redis.hgetall(bookKey(venue, symbol));
  if (!h || h.updateId === undefined) return undefined;
  return {
    venue,
    symbol,
    state: h.state ?? 'unknown',
    updateId: Number(h.updateId),
    tsExchNs: Number(h.tsExchNs),
    tsRecvNs: Number(h.tsRecvNs),
    bids: levels(h.bids),
    asks: levels(h.asks),
  };
}
