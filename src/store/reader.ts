// Reads recent ticks back from Redis: latest N, a time range, the last quote. Any process can use it.
import type { Tick } from '../model/tick.js';
import type { RedisClient } from './connect.js';
import { decodeTick } from './codec.js';
import { lastKey, ticksKey } from './keys.js';

export interface LastQuote {
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
  tsExchNs: number;
  tsRecvNs: number;
  updateId: number;
}

/** [member, score, member, score, ...] (WITHSCORES) to ticks: a quote's exchange time is its score. */
function decodeScored(venue: string, symbol: string, flat: Buffer[]): Tick[] {
  const out: Tick[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2)
    out.push(decodeTick(venue, symbol, flat[i]!, Number(flat[i + 1]!.toString())));
  return out;
}

export class TickStoreReader {
  constructor(private readonly redis: RedisClient) {}

  /** The newest n ticks, oldest first. */
  async latest(venue: string, symbol: string, n: number): Promise<Tick[]> {
    if (n <= 0) return [];
    return decodeScored(
      venue,
      symbol,
      await this.redis.zrangeBuffer(ticksKey(venue, symbol), String(-n), '-1', 'WITHSCORES'),
    );
  }

  /** Ticks with exchange time in [fromMs, toMs], oldest first, at most `limit`. */
  async range(venue: string, symbol: string, fromMs: number, toMs = Infinity, limit = 100_000): Promise<Tick[]> {
    const max = Number.isFinite(toMs) ? String(toMs) : '+inf';
    return decodeScored(
      venue,
      symbol,
      await this.redis.zrangebyscoreBuffer(
        ticksKey(venue, symbol),
        String(fromMs),
        max,
        'WITHSCORES',
        'LIMIT',
        0,
        limit,
      ),
    );
  }

  async count(venue: string, symbol: string): Promise<number> {
    return this.redis.zcard(ticksKey(venue, symbol));
  }

  async lastQuote(venue: string, symbol: string): Promise<LastQuote | undefined> {
    const h = await this.redis.hgetall(lastKey(venue, symbol));
    if (!h || !h.bid) return undefined;
    return {
      bid: Number(h.bid),
      bidSize: Number(h.bidSize),
      ask: Number(h.ask),
      askSize: Number(h.askSize),
      tsExchNs: Number(h.tsExchNs),
      tsRecvNs: Number(h.tsRecvNs),
      updateId: Number(h.updateId),
    };
  }
}
