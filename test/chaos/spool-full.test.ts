// Chaos: the spool on a 2 MiB tmpfs while PostgreSQL is stopped under a live feed. The spool fills
// (ENOSPC), rows wait in memory up to spool.maxMemoryRows and the oldest past it are dropped and counted. Redis,
// up the whole time, holds every tick; PostgreSQL holds every tick but exactly the dropped count; the io thread
// never restarts; readiness names the database while it drops; no torn spool record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { shared } from '../helpers.js';
import { readSpoolFile } from '../../src/persist/spool.js';
import {
  startStack,
  startFeed,
  startDaemon,
  chaosConfig,
  ready,
  metrics,
  finishScenario,
  cleanup,
  report,
  sleep,
  until,
  stopProc,
  redisCount,
  type Proc,
  type Stack,
} from './lib.js';

function mountTmpfs(dir: string, size: string): void {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(
      `this test needs a small tmpfs for the spool (mount -t tmpfs, as root): ${(err as Error).message.split('\n')[0]}`,
      { cause: err },
    );
  }
}

test('spool disk full while PostgreSQL is down: Redis keeps every tick, PostgreSQL all but the counted drops', async () => {
  const t0 = Date.now();
  let stack: Stack | undefined, feed: Proc | undefined, daemon: Proc | undefined;
  const tiny = () => path.join(stack!.dir, 'tiny-spool');
  try {
    stack = await startStack();
    mountTmpfs(tiny(), '2m');
    stack.env.CHRISTMAS_SPOOL_DIR = tiny();
    feed = startFeed(stack, shared('messages/binance-spot-session-20240809.log.gz'), ['--rate', '5000', '--loop']);
    await ready(feed, 'listening');
    daemon = startDaemon(stack, chaosConfig(stack.dir, { spool: { maxMemoryRows: 20_000 } }));
    await ready(daemon, 'christmas running');
    await sleep(1500);
    await stack.pg.shutdown(); // a clean stop: an in-flight batch is rolled back, never committed unacknowledged
    const port = stack.metricsPort;
    await until(
      async () =>
        ((await metrics(port))['christmas_persist_dropped_rows_total{table="ticks",reason="spool-error"}'] ?? 0) > 0 ||
        Object.entries(await metrics(port)).some(
          ([k, v]) => k.startsWith('christmas_persist_dropped_rows_total') && v > 0,
        ),
      40_000,
      'rows dropped past the memory bound',
    );
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    const body = await health.text();
    assert.is(health.status, 503, body);
    assert.match(body, /spool refusing batches/);
    await stack.pg.restart();
    await stopProc(feed);
    await until(
      async () => {
        const x = await metrics(port);
        return x['christmas_persist_spool_bytes'] === 0 && x['christmas_persist_lag_rows'] === 0;
      },
      60_000,
      'spool and memory drained',
    );
    const m = await metrics(port);
    const restarts = m['christmas_io_thread_restarts_total'] ?? 0;
    const s = { stack, feed, daemon };
    const inRedis = await redisCount(stack.redis.url);
    const { fc, db, persisted } = await finishScenario(s);
    const droppedOf = (t: string) => fc.persist?.[t]?.droppedRows ?? 0;
    const dropped = droppedOf('ticks') + droppedOf('quotes'); // (bars_1s and signals rows are counted apart)
    const tornFiles = readdirSync(tiny())
      .filter((f) => f.startsWith('spool-'))
      .filter((f) => readSpoolFile(path.join(tiny(), f)).corrupt.length > 0);
    const ok =
      restarts === 0 &&
      fc.store!.stored === fc.ticks &&
      persisted + dropped === fc.ticks &&
      db.dupTrades + db.dupQuotes === 0 &&
      dropped > 0;
    report({
      scenario: 'spool-full',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: ok,
      ticksAccepted: fc.ticks,
      persisted,
      duplicated: db.dupTrades + db.dupQuotes,
      lost: fc.ticks - persisted,
      inRedis,
      redisDropped: fc.store!.dropped,
      notes: `spool on a 2 MiB tmpfs, PostgreSQL stopped ~1.5 s in until rows were dropped; spool.maxMemoryRows 20000; ${dropped} rows dropped and counted (= lost); ${restarts} io-thread restarts`,
    });
    assert.is(restarts, 0, 'the io thread never restarted');
    assert.is(fc.store!.stored, fc.ticks, 'Redis took every tick');
    assert.is(fc.store!.dropped, 0, 'Redis dropped nothing');
    assert.ok(dropped > 0, 'the scenario reached the memory bound');
    assert.is(persisted + dropped, fc.ticks, 'PostgreSQL holds every tick but exactly the counted drops');
    assert.is(db.dupTrades + db.dupQuotes, 0, 'none twice');
    assert.equal(tornFiles, [], 'no torn spool record');
  } finally {
    if (stack && feed && daemon) await cleanup({ stack, feed, daemon });
    else if (stack) await stack.stop();
    if (stack)
      try {
        execFileSync('umount', [tiny()], { stdio: 'pipe' });
      } catch {
        /* not mounted */
      }
  }
});

test.run();
