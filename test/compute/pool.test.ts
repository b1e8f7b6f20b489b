// Pool compute: the same drafts as inline, in order, and a crashed shard recovers from its snapshot with
// nothing lost and nothing doubled.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shared, until } from '../helpers.js';
import { PoolCompute } from '../../src/compute/pool.js';
import { InlineCompute } from '../../src/compute/compute.js';
import { loadConfig } from '../../src/config/load.js';
import { adapterFor } from '../../src/feed/adapters.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { readRecording } from '../../src/feed/replay/readers.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import type { Tick } from '../../src/model/tick.js';

let ticks: Tick[] = [];
test.before(async () => {
  const p = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => ticks.push(t));
  for await (const r of readRecording(shared('messages/binance-spot-session-20240808.log.gz'))) if (r.type === 'frame') p.onFrame(r.text, r.recvNs);
  // a second symbol so shards differ
  ticks = ticks.flatMap((t, i) => (i % 3 === 0 ? [t, { ...t, symbol: 'ETHUSDT' }] : [t]));
});

const key = (d: { symbol: string; strategy: string; side: string; price: number; reason: string }) => `${d.symbol}|${d.strategy}|${d.side}|${d.price}|${d.reason}`;

async function runPool(crashAt?: number, spinUs = 0) {
  const cfg = loadConfig({ env: {} });
  const got: string[] = [];
  const pool = new PoolCompute(cfg.strategies, (d) => got.push(key(d)), silentLogger, 2, 1 << 14, 512, spinUs);
  await pool.start();
  for (let i = 0; i < ticks.length; i++) {
    pool.submit(ticks[i]!, 0);
    if (i === crashAt) pool.injectCrash(0), pool.injectCrash(1);
    if (i % 2000 === 0) await new Promise((r) => setImmediate(r));
  }
  await pool.flush(30_000);
  await until(() => true, 1, 'x');
  const { restarts, lateWakes } = pool.stats();
  await pool.stop();
  return { got, restarts, lateWakes };
}

for (const spinUs of [0, 200]) {
  test(`pool mode emits exactly the inline drafts (per symbol order kept), spinUs ${spinUs}`, async () => {
    const cfg = loadConfig({ env: {} });
    const inline: string[] = [];
    const c = new InlineCompute(cfg.strategies, (d) => inline.push(key(d)));
    for (const t of ticks) c.submit(t, 0);
    // spinUs > 0: the workers poll before sleeping and the main thread waits for each turn's drafts.
    const { got, lateWakes } = await runPool(undefined, spinUs);
    assert.ok(inline.length > 100);
    // Every write to a sleeping shard woke it (notify once per turn or per 16 ticks): none waited for the timeout.
    assert.is(lateWakes, 0, 'shard sleeps that ended by timeout with ticks waiting');
    const bySym = (xs: string[], s: string) => xs.filter((x) => x.startsWith(s + '|'));
    for (const s of ['BTCUSDT', 'ETHUSDT']) assert.equal(bySym(got, s), bySym(inline, s));
    assert.is(got.length, inline.length);
  });
}

test('a sleeping shard is woken by every turn that writes to it, not by its 50 ms wait timeout', async () => {
  const cfg = loadConfig({ env: {} });
  const pool = new PoolCompute(cfg.strategies, () => undefined, silentLogger, 2, 1 << 14, 512, 0);
  await pool.start();
  let i = 0;
  pool.submit(ticks[i++]!, 0); pool.submit(ticks[i++]!, 0);
  await pool.flush(30_000); // the shard tasks are running (they start after the pool does)
  for (let turn = 0; turn < 10; turn++) {
    for (let k = 0; k <= turn % 3; k++) pool.submit(ticks[i++]!, 0); // 1..3 ticks: fewer than a mid-turn wake needs
    await new Promise((r) => setTimeout(r, 60)); // longer than the wait's timeout: an unwoken shard would time out
  }
  await pool.flush(30_000);
  const { lateWakes } = pool.stats();
  await pool.stop();
  assert.is(lateWakes, 0, 'turns whose ticks waited for the 50 ms wait timeout');
});

test('a worker crash mid-stream: the shard restarts from its snapshot; no draft lost or doubled', async () => {
  const cfg = loadConfig({ env: {} });
  const inline: string[] = [];
  const c = new InlineCompute(cfg.strategies, (d) => inline.push(key(d)));
  for (const t of ticks) c.submit(t, 0);
  const { got, restarts } = await runPool(Math.floor(ticks.length / 2));
  assert.ok(restarts >= 1, `${restarts} restarts`);
  for (const s of ['BTCUSDT', 'ETHUSDT']) assert.equal(got.filter((x) => x.startsWith(s + '|')), inline.filter((x) => x.startsWith(s + '|')), s);
});

test.run();
