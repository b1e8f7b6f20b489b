// A 1 GB spool drains into a real PostgreSQL record by record: the process's resident memory stays far below the
// spool's size (the old drain read whole files and held them decoded), every row lands once, the files go.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgres, until } from '../helpers.js';
import { migrate } from '../../src/persist/migrate.js';
import { PersistWriter } from '../../src/persist/writer.js';
import { Spool } from '../../src/persist/spool.js';
import type { Row } from '../../src/persist/rows.js';

const RECORDS = 1024,
  ROWS_PER_RECORD = 100,
  REASON_BYTES = 10_000; // ~1 GB of spool

test('a 1 GB spool drains with bounded memory and every row lands once', async () => {
  const server = await startPostgres();
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => undefined); // a client the writer still holds is cut when the server stops
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-bigspool-'));
  try {
    const c = await pool.connect();
    try {
      await migrate(c, { chunkInterval: '1 day', compressAfter: '7 days', retention: '' }, 'postgres');
    } finally {
      c.release();
    }
    const spool = new Spool(dir, 4 * 2 ** 30);
    const filler = 'x'.repeat(REASON_BYTES);
    const ts = '2024-08-09T00:00:00.000000Z';
    for (let r = 0; r < RECORDS; r++) {
      const rows: Row[] = [];
      for (let i = 0; i < ROWS_PER_RECORD; i++) {
        const seq = r * ROWS_PER_RECORD + i + 1;
        rows.push([
          ts,
          'big',
          seq,
          `big-${seq}`,
          'binance',
          'BTCUSDT',
          'buy',
          'probe',
          61834.63,
          0.5,
          1000,
          filler + seq,
          '{}',
          '1723161600000000000',
          '1723161600000000000',
          '1723161600000000000',
        ]);
      }
      assert.is(spool.append({ table: 'signals', rows }), 'ok');
      if (r % 512 === 511) spool.rotate(); // two files of ~500 MB
    }
    spool.close();
    const bytes = spool.files().reduce((a, f) => a + statSync(f).size, 0);
    assert.ok(bytes > 1e9, `${bytes} bytes spooled`);
    global.gc?.();
    const rssStart = process.memoryUsage().rss;
    let rssMax = rssStart;
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
    }, 10);
    const w = new PersistWriter(pool, {
      batchRows: 2000,
      batchAgeMs: 20,
      useCopy: true,
      flavor: 'postgres',
      instance: 'big',
      spoolDir: dir,
      spoolMaxBytes: 4 * 2 ** 30,
      partitionDaysAhead: 0,
    });
    w.start();
    await until(() => w.spool.empty, 300_000, 'spool drained');
    clearInterval(sampler);
    await w.drain(5000);
    const grewMb = (rssMax - rssStart) / 2 ** 20;
    const n = await pool.query<{ n: string; d: string }>(
      "select count(*) n, count(distinct seq) d from signals where instance = 'big'",
    );
    assert.is(Number(n.rows[0]!.n), RECORDS * ROWS_PER_RECORD, 'every row landed');
    assert.is(Number(n.rows[0]!.d), RECORDS * ROWS_PER_RECORD, 'once');
    assert.equal(w.spool.files(), [], 'the files are gone');
    process.stdout.write(
      `  1 GB spool (${(bytes / 2 ** 20).toFixed(0)} MiB) drained; RSS grew ${grewMb.toFixed(0)} MiB at most\n`,
    );
    assert.ok(
      grewMb < 200,
      `resident memory grew ${grewMb.toFixed(0)} MiB while draining ${(bytes / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
