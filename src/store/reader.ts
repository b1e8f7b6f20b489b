// Reads recent ticks back from Redis: latest N, a time range, the last quote. Any process can use it.
import type { Tick } from '../model/tick.js';
import type { RedisClient } from './connect.js';
import { decodeTick } from './codec.js';
import { lastKey, ticksKey } from './keys.js';

export interface LastQuote { bid: number; bidSize: number; ask: number; askSize: number; tsExchNs: number; tsRecvNs: number; updateId: number }

export class TickStoreReader {
  constructor(private readonly redis: RedisClient) {}

  /** The newest n ticks, oldest first. */
  async latest(venue: string, symbol: string, n: number): Promise<Tick[]> {
    if (n <= 0) return [];
    const members = await this.redis.zrangeBuffer(ticksKey(venue, symbol), String(-n), '-1');
    return members.map((m) => decodeTick(venue, symbol, m));
  }

  /** Ticks with exchange time in [fromMs, toMs], oldest first, at most `limit`. */
  async range(venue: string, symbol: string, fromMs: number, toMs = Infinity, limit = 100_000): Promise<Tick[]> {
    const max = Number.isFinite(toMs) ? String(toMs) : '+inf';
    const members = await this.redis.zrangebyscoreBuffer(ticksKey(venue, symbol), String(fromMs), max, 'LIMIT', 0, limit);
    return members.map((m) => decodeTick(venue, symbol, m));
  }

  async count(venue: string, symbol: string): Promise<number> {
    return this.redis.zcard(ticksKey(venue, symbol));
  }

  async lastQuote(venue: string, symbol: string): Promise<LastQuote | undefined> {
    const h = await this.redis.hgetall(lastKey(venue, symbol));
    if (!h || !h.bid) return undefined;
    return { bid: Number(h.bid), bidSize: Number(h.bidSize), ask: Number(h.ask), askSize: Number(h.askSize),
      tsExchNs: Number(h.tsExchNs), tsRecvNs: Number(h.tsRecvNs), updateId: Number(h.updateId) };
  }
}
