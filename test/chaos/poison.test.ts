// Chaos: poison frames among real ones, served by serve-replay to the real daemon with Redis and PostgreSQL:
// trades with huge ids, exchange times of 1e16 ms and year 10000, NaN prices, and a quote with a huge update id.
// Every real trade ends up in Redis and PostgreSQL once; no poison does; the daemon never restarts its io thread.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { shared } from '../helpers.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { adapterFor } from '../../src/feed/adapters.js';
import { decodeTick } from '../../src/store/codec.js';
import {
  startStack,
  startFeed,
  startDaemon,
  chaosConfig,
  ready,
  metrics,
  finishScenario,
  report,
  sleep,
  until,
  stopProc,
  type Proc,
  type Stack,
} from './lib.js';

test('poison frames among real ones: every real trade stored once in Redis and PostgreSQL, no poison', async () => {
  const t0 = Date.now();
  const lines = gunzipSync(readFileSync(shared('messages/binance-spot-session-20240809.log.gz')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 12_000);
  const real = new Set<number>();
  const p = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => {
    if (t.kind === 'trade') real.add(t.id);
  });
  for (const l of lines) {
    const sp = l.indexOf(' ');
    p.onFrame(l.slice(sp + 1), Number(l.slice(0, sp)));
  }
  const firstTrade = lines.find((l) => l.includes('@trade'))!;
  const [recv, text] = [firstTrade.slice(0, firstTrade.indexOf(' ')), firstTrade.slice(firstTrade.indexOf(' ') + 1)];
  const base = JSON.parse(text) as { data: Record<string, unknown> };
  const poisonIds: number[] = [];
  const poison = (edit: (d: Record<string, unknown>) => void) => {
    const o = structuredClone(base);
    edit(o.data);
    if (typeof o.data.t === 'number') poisonIds.push(o.data.t);
    return `${recv} ${JSON.stringify(o)}`;
  };
  const quote = lines.find((l) => l.includes('@bookTicker'))!;
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(l);
    if (i % 2000 === 1000) {
      out.push(
        poison((d) => {
          d.t = 9007199254740990;
        }),
        poison((d) => {
          d.T = 1e16;
          d.t = 9007199254740000 + i;
        }),
        poison((d) => {
          d.T = 253402300800000;
          d.t = 9007199254741000 + i;
        }),
        poison((d) => {
          d.p = 'NaN';
          d.t = 9007199254742000 + i;
        }),
        quote.replace(/"u":\d+/, '"u":9007199254740990'),
      );
    }
  });
  let stack: Stack | undefined, feed: Proc | undefined, daemon: Proc | undefined;
  try {
    stack = await startStack();
    const file = path.join(stack.dir, 'poisoned.log');
    writeFileSync(file, out.join('\n') + '\n');
    feed = startFeed(stack, file, ['--rate', '4000']);
    await ready(feed, 'listening');
    daemon = startDaemon(stack, chaosConfig(stack.dir));
    await ready(daemon, 'christmas running');
    const port = stack.metricsPort;
    const framesIn = async () =>
      Object.entries(await metrics(port))
        .filter(([k]) => k.startsWith('christmas_feed_frames_total'))
        .reduce((a, [, v]) => a + v, 0);
    // The venue sends only the subscribed channels (no depth frames): wait until the frame count settles.
    let last = -1;
    await until(
      async () => {
        await sleep(500);
        const n = await framesIn();
        const settled = n > 10_000 && n === last;
        last = n;
        return settled;
      },
      60_000,
      'the feed to finish',
    );
    await sleep(1500);
    const restarts = (await metrics(port))['christmas_io_thread_restarts_total'] ?? 0;
    const r = new Redis(stack.redis.url);
    const members = await r.zrangeBuffer('christmas:{binance:BTCUSDT}:ticks', '0', '-1');
    r.disconnect();
    const redisTrades = members
      .map((m) => decodeTick('binance', 'BTCUSDT', m))
      .filter((t) => t.kind === 'trade')
      .map((t) => t.id);
    const { fc, db } = await finishScenario({ stack, feed, daemon });
    const c = new pg.Client({ connectionString: stack.pg.url });
    await c.connect();
    const pgIds = new Set(
      (await c.query<{ id: string }>('select trade_id as id from ticks')).rows.map((x) => Number(x.id)),
    );
    await c.end();
    const missingPg = [...real].filter((id) => !pgIds.has(id)).length,
      missingRedis = [...real].filter((id) => !redisTrades.includes(id)).length;
    const poisonStored = poisonIds.filter((id) => pgIds.has(id) || redisTrades.includes(id)).length;
    const drops = fc.feeds.reduce((a, f) => a + Number((f as { malformedTotal?: number }).malformedTotal ?? 0), 0);
    const ok = missingPg === 0 && missingRedis === 0 && poisonStored === 0 && db.dupTrades === 0 && restarts === 0;
    report({
      scenario: 'poison',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: ok,
      ticksSent: out.length,
      ticksAccepted: fc.ticks,
      persisted: pgIds.size,
      duplicated: db.dupTrades,
      lost: missingPg,
      inRedis: redisTrades.length,
      notes: `${real.size} real trades among ${poisonIds.length} poison trades and ${Math.floor(lines.length / 2000)} poison quotes; ${drops} frames/ticks dropped by reason; ${restarts} io-thread restarts`,
    });
    assert.is(missingRedis, 0, 'every real trade in Redis');
    assert.is(missingPg, 0, 'every real trade in PostgreSQL');
    assert.is(poisonStored, 0, 'no poison stored');
    assert.is(db.dupTrades, 0, 'none twice');
    assert.is(new Set(redisTrades).size, redisTrades.length, 'none twice in Redis');
    assert.is(restarts, 0);
  } finally {
    if (feed) await stopProc(feed);
    if (daemon) await stopProc(daemon);
    if (stack) await stack.stop();
  }
});

test.run();
