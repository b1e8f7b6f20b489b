// Books in the stores, on real servers started here: a replay of the 2021 session with Redis and PostgreSQL
// named leaves each symbol's top in christmas:{VENUE:SYMBOL}:book (what `christmas book` prints, state live),
// book_snapshots rows whose last one per symbol is the final book, and (books.deltas) one book_deltas row per
// applied message; a symbol without a book is exit 66.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { playBinance, recordsOf } from './reference.js';
import { cliPath, shared, startPostgres, startRedis } from '../helpers.js';
import { bookTopOf } from '../../src/book/tops.js';
import type { BookTop } from '../../src/model/book-top.js';

const session = shared('messages/binance-spot-session-2021-04-05.cryptofeed.log');
const cli = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'warn', ...env },
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });

async function finalTops(depth: number): Promise<Map<string, BookTop>> {
  const { books } = playBinance(await recordsOf(session));
  const out = new Map<string, BookTop>();
  const scratch = new Float64Array(4 * depth);
  for (const b of books.all()) out.set(b.symbol, bookTopOf(b, depth, scratch));
  return out;
}

test('replay with Redis and PostgreSQL, inline and pool: christmas book prints the final tops; book_snapshots ends on them', async () => {
  const redis = await startRedis();
  const db = await startPostgres();
  const spool = mkdtempSync(path.join(tmpdir(), 'christmas-bookstore-'));
  const env = { CHRISTMAS_REDIS_URL: redis.url, CHRISTMAS_DATABASE_URL: db.url, CHRISTMAS_SPOOL_DIR: spool };
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  const redisClient = new Redis(redis.url);
  try {
    for (const mode of ['inline', 'pool']) {
      await redisClient.flushall();
      await pool.query('truncate book_snapshots, book_deltas').catch(() => undefined); // absent before the first run
      const r = cli(
        [
          'replay',
          session,
          '--no-socket',
          '--set',
          'books.snapshotIntervalMs=200',
          '--set',
          'books.deltas=true',
          '--set',
          `compute.mode=${mode}`,
        ],
        env,
      );
      assert.is(r.status, 0, r.stderr);
      const expected = await finalTops(10);
      for (const [symbol, want] of expected) {
        const b = cli(['book', `binance:${symbol}`, '--json'], env);
        assert.is(b.status, 0, b.stderr);
        const got = JSON.parse(b.stdout) as BookTop & { type: string };
        assert.is(got.type, 'book');
        assert.is(got.state, 'live');
        assert.is(got.updateId, want.updateId);
        assert.equal(got.bids, want.bids, `${symbol} bids`);
        assert.equal(got.asks, want.asks, `${symbol} asks`);
      }
      const t = cli(['book', 'binance:ZILUSDT', '--depth', '3'], env);
      assert.is(t.status, 0, t.stderr);
      assert.match(t.stdout, /^binance:ZILUSDT live update \d+ at 2021-04-05T/);
      assert.is(t.stdout.trim().split('\n').length, 2 + 3, 'a title, a header and 3 levels');
      const none = cli(['book', 'binance:NOSUCH'], env);
      assert.is(none.status, 66);
      assert.match(none.stderr, /no book stored for binance:NOSUCH/);
      assert.not.match(none.stderr, / {4}at /);

      const rows = await pool.query(
        `select distinct on (symbol) symbol, update_id, bids, asks, ts_exch_ns from book_snapshots order by symbol, ts desc, update_id desc`,
      );
      assert.is(rows.rowCount, 10);
      for (const row of rows.rows as Array<{
        symbol: string;
        update_id: string;
        bids: unknown;
        asks: unknown;
        ts_exch_ns: string;
      }>) {
        const want = expected.get(row.symbol)!;
        assert.is(Number(row.update_id), want.updateId, `${mode} ${row.symbol}: last snapshot is the final book`);
        assert.equal(row.bids, want.bids);
        assert.equal(row.asks, want.asks);
        assert.is(BigInt(row.ts_exch_ns), BigInt(Math.round(want.tsExchNs / 1e3)) * 1000n);
      }
      const n = await pool.query('select count(*)::int as n from book_snapshots');
      assert.ok(n.rows[0].n >= 10, `${n.rows[0].n} snapshot rows`);
      // books.deltas: every applied message, as sent (the 10 REST snapshots and every applied diff)
      const applied = new Map<string, number>();
      playBinance(await recordsOf(session), {
        onUpdate: (b) => applied.set(b.symbol, (applied.get(b.symbol) ?? 0) + 1),
      });
      const deltas = await pool.query(
        `select symbol, count(*)::int as n, count(*) filter (where kind = 'snapshot')::int as snaps from book_deltas group by symbol`,
      );
      assert.is(deltas.rowCount, 10);
      for (const row of deltas.rows as Array<{ symbol: string; n: number; snaps: number }>) {
        assert.is(row.n, applied.get(row.symbol), `${mode} ${row.symbol}: one row per applied message`);
        assert.is(row.snaps, 1);
      }
      const first = await pool.query(
        `select first_id, last_id, bids from book_deltas where symbol = 'ZILUSDT' and kind = 'delta' order by last_id limit 1`,
      );
      assert.ok(
        Number(first.rows[0].first_id) <= 499822896 && Number(first.rows[0].last_id) >= 499822896,
        'the first diff after lastUpdateId 499822895',
      );
      assert.ok(Array.isArray(first.rows[0].bids));
    }
  } finally {
    redisClient.disconnect();
    await pool.end();
    await redis.stop();
    await db.stop();
    rmSync(spool, { recursive: true, force: true });
  }
});

test.run();
