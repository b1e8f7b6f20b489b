// Chaos: PostgreSQL killed (kill -9) and restarted, paused (SIGSTOP), and "disk full" (a trigger raising
// SQLSTATE 53100) under a live feed. Batches go to the disk spool and drain in order; afterwards every
// accepted tick is in PostgreSQL exactly once and the spool is empty.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { shared } from '../helpers.js';
import { startScenario, finishScenario, cleanup, metrics, report, sleep, until, stopProc } from './lib.js';

async function sql(url: string, q: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

test('postgres kill -9, restart, pause and disk-full under load', async () => {
  const t0 = Date.now();
  const sc = await startScenario(shared('messages/binance-spot-session-20240809.log.gz'), ['--rate', '5000', '--loop']);
  const { stack } = sc;
  try {
    await sleep(2000);
    await stack.pg.kill();
    await sleep(2500);
    const m = await metrics(stack.metricsPort);
    assert.ok((m['christmas_persist_spool_bytes'] ?? 0) > 0, 'spooling while the database is down');
    await stack.pg.restart();
    await sleep(2000);
    stack.pg.pause();
    await sleep(2000);
    stack.pg.resume();
    await sleep(1500);
    await sql(
      stack.pg.url,
      `create or replace function chaos_disk_full() returns trigger language plpgsql as $$ begin raise exception 'simulated disk full' using errcode = 'disk_full'; end $$`,
    );
    await sql(
      stack.pg.url,
      'create trigger chaos_disk_full before insert on ticks for each row execute function chaos_disk_full()',
    );
    await sleep(2000);
    await sql(stack.pg.url, 'drop trigger chaos_disk_full on ticks');
    await sleep(1000);
    await stopProc(sc.feed); // no new rows: the spool and the buffers must empty
    await until(
      async () => {
        const x = await metrics(stack.metricsPort);
        return x['christmas_persist_spool_bytes'] === 0 && x['christmas_persist_lag_rows'] === 0;
      },
      30_000,
      'spool drained',
    ).catch((e: Error) => {
      throw new Error(
        `${e.message}\n${sc.daemon
          .out()
          .split('\n')
          .filter((l) => !l.includes('"level":30,'))
          .slice(-12)
          .map((l) => l.slice(0, 300))
          .join('\n')}`,
      );
    });
    const { fc, db, persisted } = await finishScenario(sc);
    const spoolDir = path.join(stack.dir, 'spool');
    const leftFiles = existsSync(spoolDir) ? readdirSync(spoolDir).filter((f) => f.startsWith('spool-')) : [];
    const spooled = Object.values(fc.persist ?? {}).reduce((a, v) => a + v.spooledRows, 0);
    const dead = Object.values(fc.persist ?? {}).reduce((a, v) => a + v.deadLetters, 0);
    const ok = persisted === fc.ticks && db.dupTrades + db.dupQuotes === 0 && leftFiles.length === 0 && dead === 0;
    report({
      scenario: 'postgres-outage',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: ok,
      ticksAccepted: fc.ticks,
      persisted,
      duplicated: db.dupTrades + db.dupQuotes,
      lost: fc.ticks - persisted,
      signalsEmitted: fc.signals,
      notes: `kill -9 at 2 s, restart 4.5 s, SIGSTOP 6.5-8.5 s, disk_full trigger 10-12 s; ${spooled} rows went through the spool`,
    });
    assert.is(persisted, fc.ticks, 'every accepted tick in PostgreSQL');
    assert.is(db.dupTrades + db.dupQuotes, 0, 'none twice');
    assert.is(dead, 0, 'an outage is never a dead letter');
    assert.ok(spooled > 0, 'the spool carried the outage');
    assert.equal(leftFiles, [], 'spool empty');
  } finally {
    await cleanup(sc);
  }
});

test.run();
