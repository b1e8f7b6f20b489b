// Chaos: a hostile feed — disconnect storms, stalls, duplicates, reordering, corrupted and oversized frames —
// then the exchange clock jumping backwards. The daemon stays up, every accepted tick is persisted exactly
// once, and the drop counters account for the injected faults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { shared } from '../helpers.js';
import {
  startStack,
  startFeed,
  startDaemon,
  chaosConfig,
  ready,
  finishScenario,
  cleanup,
  redisCount,
  report,
  sleep,
} from './lib.js';

test('disconnect storm, stalls, duplicates, reordering, corrupt and oversized frames', async () => {
  const t0 = Date.now();
  const stack = await startStack();
  const feed = startFeed(stack, shared('messages/binance-spot-session-20240809.log.gz'), [
    '--rate',
    '4000',
    '--loop',
    '--disconnect-every',
    '2',
    '--stall-every',
    '5',
    '--stall-for',
    '1',
    '--duplicate-every',
    '50',
    '--reorder-every',
    '300',
    '--corrupt-every',
    '97',
    '--oversize-every',
    '7000',
  ]);
  await ready(feed, 'listening');
  const daemon = startDaemon(stack, chaosConfig(stack.dir));
  const sc = { stack, feed, daemon };
  try {
    await ready(daemon, 'christmas running');
    await sleep(12_000);
    const { fc, db, persisted } = await finishScenario(sc);
    const served = JSON.parse(
      feed
        .out()
        .split('\n')
        .reverse()
        .find((l) => l.includes('"stopped":true'))!,
    ) as Record<string, number>;
    const f = fc.feeds[0] as {
      reconnects: number;
      duplicates: number;
      malformed: Record<string, number>;
      malformedTotal: number;
    };
    const inRedis = await redisCount(stack.redis.url);
    const ok = persisted === fc.ticks && db.dupTrades + db.dupQuotes === 0 && inRedis === fc.ticks;
    report({
      scenario: 'feed-chaos',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: ok,
      ticksSent: served.sent,
      ticksAccepted: fc.ticks,
      persisted,
      duplicated: db.dupTrades + db.dupQuotes,
      lost: fc.ticks - persisted,
      inRedis,
      signalsEmitted: fc.signals,
      notes: `${served.disconnects} disconnects, ${served.stalls} stalls, ${served.duplicated} dup, ${served.reordered} reordered, ${served.corrupted} corrupt, ${served.oversized} oversized injected; daemon: ${f.reconnects} reconnects, ${f.duplicates} dup dropped, ${f.malformedTotal} malformed`,
    });
    assert.is(persisted, fc.ticks);
    assert.is(db.dupTrades + db.dupQuotes, 0);
    assert.is(inRedis, fc.ticks);
    assert.ok(
      f.reconnects >= served.disconnects,
      `${f.reconnects} reconnects for ${served.disconnects} injected disconnects`,
    );
    const corruptSeen = f.malformedTotal - (f.malformed.oversize ?? 0);
    assert.ok(
      corruptSeen >= served.corrupted * 0.9 && corruptSeen <= served.corrupted,
      `${corruptSeen} malformed for ${served.corrupted} corrupt frames (a disconnect can cut one off in flight)`,
    );
    assert.ok((f.malformed.oversize ?? 0) >= 1 || served.oversized === 0, 'oversized frames counted');
    assert.ok(f.duplicates >= served.duplicated, 'every duplicated frame dropped (plus the reconnect re-sends)');
  } finally {
    await cleanup(sc);
  }
});

test('the exchange clock jumps back an hour mid-stream: no crash, nothing lost', async () => {
  const t0 = Date.now();
  const stack = await startStack();
  const lines = gunzipSync(readFileSync(shared('messages/binance-spot-session-20240809.log.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 30_000);
  const jumped = lines.map((l, i) =>
    i < 15_000
      ? l
      : l
          .replace(/"E":(\d+)/, (_m, e) => `"E":${Number(e) - 3_600_000}`)
          .replace(/"T":(\d+)/, (_m, e) => `"T":${Number(e) - 3_600_000}`),
  );
  const file = path.join(stack.dir, 'clock-jump.log');
  writeFileSync(file, jumped.join('\n') + '\n');
  const feed = startFeed(stack, file, ['--rate', '10000']);
  await ready(feed, 'listening');
  const daemon = startDaemon(stack, chaosConfig(stack.dir));
  const sc = { stack, feed, daemon };
  try {
    await ready(daemon, 'christmas running');
    await sleep(5000);
    const { fc, db, persisted } = await finishScenario(sc);
    report({
      scenario: 'clock-jump',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: persisted === fc.ticks,
      ticksSent: 30_000,
      ticksAccepted: fc.ticks,
      persisted,
      duplicated: db.dupTrades + db.dupQuotes,
      lost: fc.ticks - persisted,
      signalsEmitted: fc.signals,
      notes: 'exchange time -1 h from the 15,000th frame on',
    });
    assert.is(persisted, fc.ticks);
    assert.ok(fc.ticks > 20_000);
  } finally {
    await cleanup(sc);
  }
});

test.run();
