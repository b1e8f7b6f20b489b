// PostgreSQL write paths into a real server started here: COPY vs unnest, with and without the unique key,
// batch sizes 500/5000/20000; and the daemon's writer (unique key in place) against a bare COPY of the same
// rows in the same run. Budget: writer >= 0.9x bare COPY with the key, <= 1 µs main-thread CPU per tick.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { startPostgres } from '../../src/daemon/embedded/postgres.js';
import { migrate } from '../../src/persist/migrate.js';
import { partitionSql } from '../../src/persist/schema.js';
import { PersistWriter } from '../../src/persist/writer.js';
import { copyText, tickRow, unnestInsert, COLUMNS, type Row } from '../../src/persist/rows.js';
import { encodeTicksBinary } from '../../src/persist/binary.js';
import { tradeTick, type Tick } from '../../src/model/tick.js';
import type { BenchResult, SuiteOptions } from '../lib.js';

function makeTicks(n: number, offset: number): Tick[] {
  const base = Date.parse('2024-08-09T00:00:00Z') * 1e6;
  return Array.from({ length: n }, (_, i) =>
    tradeTick(
      'binance',
      'BTCUSDT',
      base + (offset + i) * 1e6,
      base + (offset + i) * 1e6 + 5e5,
      60000 + (i % 50) * 0.01,
      0.001 * (1 + (i % 9)),
      i % 2 ? 'buy' : 'sell',
      offset + i,
    ),
  );
}

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const server = await startPostgres();
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on('error', () => undefined); // idle clients see the server stop at the end
  const results: BenchResult[] = [];
  try {
    const c = await pool.connect();
    await migrate(c, { chunkInterval: '1 day', compressAfter: '7 days', retention: '' });
    for (const t of ['ticks', 'quotes', 'signals', 'bars_1s'])
      await c.query(partitionSql(t, Date.parse('2024-08-09T00:00:00Z')));
    await c.query(`create table bench_nokey (like ticks including defaults)`);
    await c.query(
      `create table bench_key (like ticks including defaults, constraint bench_key_uniq unique (venue, symbol, trade_id, ts))`,
    );
    c.release();
    const total = o.quick ? 40_000 : 200_000;
    let offset = 0;
    const copy = async (table: string, rows: Row[]) => {
      const cl = await pool.connect();
      try {
        await pipeline(
          Readable.from([copyText(rows)]),
          cl.query(copyStreams.from(`copy ${table} (${COLUMNS.ticks.join(', ')}) from stdin`)),
        );
      } finally {
        cl.release();
      }
    };
    const unnest = async (table: string, rows: Row[]) => {
      const q = unnestInsert('ticks', rows, false);
      await pool.query(q.text.replace('insert into ticks', `insert into ${table}`), q.values);
    };
    for (const batch of o.quick ? [5000] : [500, 5000, 20000]) {
      for (const [method, fn] of [
        ['COPY', copy],
        ['unnest', unnest],
      ] as const) {
        for (const table of ['bench_nokey', 'bench_key']) {
          const rows = makeTicks(total, offset).map(tickRow);
          offset += total;
          const t0 = performance.now();
          for (let i = 0; i < rows.length; i += batch) await fn(table, rows.slice(i, i + batch));
          const s = (performance.now() - t0) / 1000;
          results.push({
            suite: 'persist',
            name: `${method}, batch ${batch}, ${table === 'bench_key' ? 'with' : 'without'} unique key`,
            unit: 'rows/s',
            p50: total / s,
            better: 'higher',
          });
        }
      }
    }
    // The daemon's writer vs a bare COPY of the same rows into the same (partitioned, keyed) table.
    const ticks = makeTicks(total, offset);
    offset += total;
    const bare = makeTicks(total, offset).map(tickRow);
    offset += total;
    let t0 = performance.now();
    for (let i = 0; i < bare.length; i += 5000) await copy('ticks', bare.slice(i, i + 5000));
    const bareRate = total / ((performance.now() - t0) / 1000);
    const w = new PersistWriter(pool, {
      batchRows: 5000,
      batchAgeMs: 50,
      useCopy: true,
      flavor: 'postgres',
      instance: 'bench',
      spoolDir: mkdtempSync(path.join(tmpdir(), 'bench-spool-')),
      spoolMaxBytes: 1 << 30,
      partitionDaysAhead: 1,
    });
    w.start();
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    let addCpu = 0;
    for (let i = 0; i < ticks.length; i += 5000) {
      const a = process.cpuUsage();
      for (let j = i; j < Math.min(ticks.length, i + 5000); j++) w.addTick(ticks[j]!);
      const d = process.cpuUsage(a);
      addCpu += d.user + d.system;
      await new Promise((r) => setImmediate(r));
    }
    await w.drain(120_000);
    const writerRate = total / ((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    // The same against a bare binary COPY (what the writer itself sends for ticks).
    const bareBin = makeTicks(total, offset);
    offset += total;
    t0 = performance.now();
    for (let i = 0; i < bareBin.length; i += 5000) {
      const cl = await pool.connect();
      try {
        await pipeline(
          Readable.from([encodeTicksBinary(bareBin.slice(i, i + 5000), 'trade')]),
          cl.query(copyStreams.from(`copy ticks (${COLUMNS.ticks.join(', ')}) from stdin with (format binary)`)),
        );
      } finally {
        cl.release();
      }
    }
    const bareBinRate = total / ((performance.now() - t0) / 1000);
    results.push({
      suite: 'persist',
      name: 'bare COPY into ticks (key in place), batch 5000',
      unit: 'rows/s',
      p50: bareRate,
      better: 'higher',
    });
    results.push({
      suite: 'persist',
      name: 'bare binary COPY into ticks (key in place), batch 5000',
      unit: 'rows/s',
      p50: bareBinRate,
      better: 'higher',
    });
    results.push({
      suite: 'persist',
      name: 'daemon writer into ticks (key in place)',
      unit: 'rows/s',
      p50: writerRate,
      better: 'higher',
    });
    results.push({
      suite: 'persist',
      name: 'writer / bare COPY',
      unit: 'ratio',
      p50: writerRate / bareRate,
      better: 'higher',
      note: 'budget >= 0.9',
    });
    results.push({
      suite: 'persist',
      name: 'writer / bare binary COPY',
      unit: 'ratio',
      p50: writerRate / bareBinRate,
      better: 'higher',
    });
    results.push({
      suite: 'persist',
      name: 'main-thread CPU per tick: addTick (hot path)',
      unit: 'µs/tick',
      p50: addCpu / total,
      better: 'lower',
      note: 'budget <= 1 µs',
    });
    results.push({
      suite: 'persist',
      name: 'main-thread CPU per tick: all writer work incl. COPY encode and pg client',
      unit: 'µs/tick',
      p50: (cpu.user + cpu.system) / total,
      better: 'lower',
    });
    return results;
  } finally {
    await pool.end();
    await server.stop();
  }
}
