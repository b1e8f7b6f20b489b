// `christmas ticks VENUE:SYMBOL`: read recent ticks back from Redis.
import { TickStoreReader } from '../../store/reader.js';
import { parseInstrument } from '../../store/keys.js';
import { tickToJson } from '../../model/tick.js';
import { intOption, type Command } from '../command.js';
import { cliRedis } from './cli-redis.js';
import { UsageError } from '../../model/errors.js';

export const ticksCommand: Command = {
  name: 'ticks',
  summary: 'read recent ticks of one instrument from the Redis tick store',
  usage: 'ticks <VENUE:SYMBOL> [--last N] [--since ISO] [--json] [--redis URL]',
  options: {
    last: { type: 'string', value: 'N', description: 'the newest N ticks (default 20)' },
    since: {
      type: 'string',
      value: 'ISO',
      description: 'ticks with exchange time at or after this time (e.g. 2024-08-09T00:00:00Z)',
    },
    json: { type: 'boolean', description: 'JSON lines (default: a table)' },
    redis: { type: 'string', value: 'URL', description: 'Redis URL (default: redis.url / CHRISTMAS_REDIS_URL)' },
  },
  async run(v, pos) {
    const inst = pos[0] ? parseInstrument(pos[0]) : undefined;
    if (!inst) throw new UsageError('ticks needs VENUE:SYMBOL, e.g. binance:BTCUSDT');
    const { redis, unreachable } = cliRedis(v.redis as string | undefined);
    try {
      const reader = new TickStoreReader(redis);
      let ticks;
      if (v.since !== undefined) {
        const ms = Date.parse(String(v.since));
        if (!Number.isFinite(ms)) throw new UsageError(`--since: got "${String(v.since)}", expected an ISO time`);
        ticks = await reader
          .range(inst.venue, inst.symbol, ms, Infinity, intOption(v.last, 'last', 1, 10_000_000, 100_000))
          .catch((e: unknown) => Promise.reject(unreachable(e)));
      } else
        ticks = await reader
          .latest(inst.venue, inst.symbol, intOption(v.last, 'last', 1, 10_000_000, 20))
          .catch((e: unknown) => Promise.reject(unreachable(e)));
      if (v.json) for (const t of ticks) process.stdout.write(JSON.stringify(tickToJson(t)) + '\n');
      else {
        process.stdout.write(`${ticks.length} ticks of ${inst.venue}:${inst.symbol}\n`);
        for (const t of ticks) {
          const time = new Date(t.tsExchNs / 1e6).toISOString();
          process.stdout.write(
            t.kind === 'trade'
              ? `${time} trade ${t.side.padEnd(7)} ${t.price} x ${t.size}  id ${t.id}\n`
              : `${time} quote ${t.bid} x ${t.bidSize} / ${t.ask} x ${t.askSize}  id ${t.id}\n`,
          );
        }
      }
      return 0;
    } finally {
      redis.disconnect();
    }
  },
};
