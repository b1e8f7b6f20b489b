// `christmas book VENUE:SYMBOL [--depth N] [--watch] [--json]`: the top of one L2 book as the daemon last wrote it
// to Redis (christmas:{VENUE:SYMBOL}:book), with its sync state; --watch prints it again whenever it changes.
import { parseInstrument } from '../../store/keys.js';
import { readBookTop } from '../../store/book-reader.js';
import { bookTopJson, type BookTop } from '../../model/book-top.js';
import { intOption, type Command } from '../command.js';
import { cliRedis } from './cli-redis.js';
import { MissingInputError, UsageError } from '../../model/errors.js';

function table(b: BookTop, depth: number): string {
  const rows = [
    `${b.venue}:${b.symbol} ${b.state} update ${b.updateId} at ${new Date(b.tsExchNs / 1e6).toISOString()}`,
  ];
  rows.push(`${'bid size'.padStart(16)} ${'bid'.padStart(14)} | ${'ask'.padEnd(14)} ${'ask size'.padEnd(16)}`);
  const n = Math.min(depth, Math.max(b.bids.length, b.asks.length));
  for (let k = 0; k < n; k++) {
    const bid = b.bids[k],
      ask = b.asks[k];
    rows.push(
      `${(bid ? String(bid[1]) : '').padStart(16)} ${(bid ? String(bid[0]) : '').padStart(14)} | ${(ask ? String(ask[0]) : '').padEnd(14)} ${(ask ? String(ask[1]) : '').padEnd(16)}`,
    );
  }
  return rows.join('\n') + '\n';
}

export const bookCommand: Command = {
  name: 'book',
  summary: 'show the top of one L2 order book from the Redis store (depth streams), with its sync state',
  usage: 'book <VENUE:SYMBOL> [--depth N] [--watch] [--json] [--redis URL]',
  options: {
    depth: { type: 'string', value: 'N', description: 'levels per side (default 10; the daemon stores books.depth)' },
    watch: { type: 'boolean', description: 'print again each time the book changes (Ctrl-C to stop)' },
    json: {
      type: 'boolean',
      description: 'JSON lines, the `replay --print books` shape plus "state" (default: a table)',
    },
    redis: { type: 'string', value: 'URL', description: 'Redis URL (default: redis.url / CHRISTMAS_REDIS_URL)' },
  },
  async run(v, pos) {
    const inst = pos[0] ? parseInstrument(pos[0]) : undefined;
    if (!inst) throw new UsageError('book needs VENUE:SYMBOL, e.g. binance:BTCUSDT');
    const depth = Math.floor(intOption(v.depth, 'depth', 1, 5000, 10));
    const { redis, unreachable } = cliRedis(v.redis as string | undefined);
    const read = () =>
      readBookTop(redis, inst.venue, inst.symbol).catch((err: unknown) => Promise.reject(unreachable(err)));
    const show = (b: BookTop) =>
      process.stdout.write(v.json ? bookTopJson(b, depth) + '\n' : table(b, depth) + (v.watch ? '\n' : ''));
    try {
      let b = await read();
      if (!v.watch) {
        if (!b)
          throw new MissingInputError(`no book stored for ${inst.venue}:${inst.symbol} (is its depth channel on?)`);
        show(b);
        return 0;
      }
      let stopped = false;
      const stop = () => (stopped = true);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let shown = '';
      while (!stopped) {
        const key = b ? `${b.updateId}:${b.state}` : '';
        if (b && key !== shown) {
          show(b);
          shown = key;
        }
        await new Promise((r) => setTimeout(r, 250));
        b = await read();
      }
      return 0;
    } finally {
      redis.disconnect();
    }
  },
};
