// Chaos: Redis killed (kill -9), restarted, then paused (SIGSTOP) under a live feed. The daemon keeps
// computing and persisting; afterwards Redis holds every accepted tick exactly once (AOF fsync always) or
// counts it as dropped, and PostgreSQL holds every accepted tick exactly once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shared } from '../helpers.js';
import { startScenario, finishScenario, cleanup, redisCount, metrics, report, sleep, until, stopProc } from './lib.js';

test('redis kill -9, restart and pause under load', async () => {
  const t0 = Date.now();
  const sc = await startScenario(shared('messages/binance-spot-session-20240809.log.gz'), ['--rate', '5000', '--loop']);
  const { stack } = sc;
  try {
    await sleep(2000);
    await stack.redis.kill();
    await sleep(2000);
    const during = await metrics(stack.metricsPort);
    assert.ok((during['christmas_store_backlog_ticks'] ?? 0) > 0, 'ticks queue while Redis is down');
    await stack.redis.restart();
    await sleep(2000);
    stack.redis.pause();
    await sleep(2000);
    stack.redis.resume();
    await sleep(2000);
    await stopProc(sc.feed); // no new ticks: the backlog must empty
    await until(
      async () => (await metrics(stack.metricsPort))['christmas_store_backlog_ticks'] === 0,
      20_000,
      'Redis backlog drained',
    );
    const { fc, db, persisted } = await finishScenario(sc);
    const inRedis = await redisCount(stack.redis.url);
    const ok =
      persisted === fc.ticks &&
      db.dupTrades === 0 &&
      db.dupQuotes === 0 &&
      inRedis === fc.ticks - (fc.store?.dropped ?? 0);
    report({
      scenario: 'redis-outage',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: ok,
      ticksAccepted: fc.ticks,
      persisted,
      duplicated: db.dupTrades + db.dupQuotes,
      lost: fc.ticks - persisted,
      inRedis,
      redisDropped: fc.store?.dropped,
      signalsEmitted: fc.signals,
      notes: 'kill -9 at 2 s, restart at 4 s, SIGSTOP 6-8 s; 5k frames/s',
    });
    assert.is(persisted, fc.ticks, 'every accepted tick in PostgreSQL');
    assert.is(db.dupTrades + db.dupQuotes, 0);
    assert.is(inRedis, fc.ticks - (fc.store?.dropped ?? 0), 'Redis holds every accepted tick not counted as dropped');
    assert.ok(fc.ticks > 20_000);
  } finally {
    await cleanup(sc);
  }
});

test.run();
