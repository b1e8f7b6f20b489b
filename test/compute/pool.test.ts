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
import { readdirSync } from 'node:fs';
import { setThreadRealtime, threadPolicy } from '../../src/compute/thread-priority.js';
import { H_LAUNCHES } from '../../src/model/tick-ring.js';
import { pino } from 'pino';

let ticks: Tick[] = [];
test.before(async () => {
  const p = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => ticks.push(t));
  for await (const r of readRecording(shared('messages/binance-spot-session-20240808.log.gz')))
    if (r.type === 'frame') p.onFrame(r.text, r.recvNs);
  // a second symbol so shards differ
  ticks = ticks.flatMap((t, i) => (i % 3 === 0 ? [t, { ...t, symbol: 'ETHUSDT' }] : [t]));
});

const key = (d: { symbol: string; strategy: string; side: string; price: number; reason: string }) =>
  `${d.symbol}|${d.strategy}|${d.side}|${d.price}|${d.reason}`;

async function runPool(crashAt?: number, spinUs = 0) {
  const cfg = loadConfig({ env: {} });
  const got: string[] = [];
  const pool = new PoolCompute(cfg.strategies, (d) => got.push(key(d)), silentLogger, 2, 1 << 14, 512, spinUs);
  await pool.start();
  for (let i = 0; i < ticks.length; i++) {
    pool.submit(ticks[i]!, 0);
    if (i === crashAt) {
      pool.injectCrash(0);
      pool.injectCrash(1);
    }
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
  pool.submit(ticks[i++]!, 0);
  pool.submit(ticks[i++]!, 0);
  await pool.flush(30_000);
  for (let turn = 0; turn < 10; turn++) {
    // The turn's first tick wakes the shard at once; then, within the same turn, the shard has time to compute
    // it and sleep again before 1..2 more ticks come (fewer than a mid-turn wake needs): those are the end of
    // the turn's to wake.
    pool.submit(ticks[i++]!, 0);
    const until = performance.now() + 5;
    while (performance.now() < until) {
      /* the same turn */
    }
    for (let k = 0; k <= turn % 2; k++) pool.submit(ticks[i++]!, 0);
    await new Promise((r) => setTimeout(r, 60)); // longer than the wait's timeout: an unwoken shard would time out
  }
  await pool.flush(30_000);
  const { lateWakes } = pool.stats();
  await pool.stop();
  assert.is(lateWakes, 0, 'turns whose ticks waited for the 50 ms wait timeout');
});

test('start() resolves once every shard task runs (feeds connect after it: no first ticks wait for a thread to start)', async () => {
  const cfg = loadConfig({ env: {} });
  const pool = new PoolCompute(cfg.strategies, () => undefined, silentLogger, 3, 1 << 12, 512, 0);
  await pool.start();
  const launches = pool['shards'].map((s) => Atomics.load(s.header, H_LAUNCHES));
  await pool.stop();
  assert.equal(launches, [1, 1, 1]);
});

test('a shard that has not started within the start-up timeout: start() goes on with a warning, and the queued ticks are computed once it runs', async () => {
  const cfg = loadConfig({ env: {} });
  const lines: string[] = [];
  const log = pino(
    { level: 'warn' },
    {
      write: (l: string) => {
        lines.push(l);
      },
    },
  );
  let drafts = 0;
  const inline: number[] = [];
  const c = new InlineCompute(cfg.strategies, () => inline.push(1));
  for (const t of ticks.slice(0, 3000)) c.submit(t, 0);
  const pool = new PoolCompute(
    cfg.strategies,
    () => {
      drafts++;
    },
    log,
    1,
    1 << 14,
    512,
    0,
    0,
    1,
  );
  await pool.start(); // 1 ms: a Piscina thread is not up that fast
  const launchedAtStart = Atomics.load(pool['shards'][0]!.header, H_LAUNCHES);
  for (const t of ticks.slice(0, 3000)) pool.submit(t, 0);
  await pool.flush(30_000);
  await pool.stop();
  assert.is(launchedAtStart, 0);
  assert.ok(inline.length > 10, `${inline.length} inline drafts`);
  assert.ok(
    lines.some((l) => l.includes('compute shard has not started')),
    lines.join(''),
  );
  assert.is(drafts, inline.length);
});

test('a worker crash mid-stream: the shard restarts from its snapshot; no draft lost or doubled', async () => {
  const cfg = loadConfig({ env: {} });
  const inline: string[] = [];
  const c = new InlineCompute(cfg.strategies, (d) => inline.push(key(d)));
  for (const t of ticks) c.submit(t, 0);
  const { got, restarts } = await runPool(Math.floor(ticks.length / 2));
  assert.ok(restarts >= 1, `${restarts} restarts`);
  for (const s of ['BTCUSDT', 'ETHUSDT'])
    assert.equal(
      got.filter((x) => x.startsWith(s + '|')),
      inline.filter((x) => x.startsWith(s + '|')),
      s,
    );
});

/** Threads of this process under SCHED_FIFO (policy 1), with their real-time priorities. */
function fifoThreads(): number[] {
  const out: number[] = [];
  for (const t of readdirSync('/proc/self/task')) {
    const p = threadPolicy(Number(t));
    if (p?.policy === 1) out.push(p.rtPriority);
  }
  return out;
}

test('setThreadRealtime moves only the calling thread to SCHED_FIFO and back to the normal scheduler', async () => {
  const { Worker } = await import('node:worker_threads');
  const mod = new URL('../../src/compute/thread-priority.js', import.meta.url).href;
  const w = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.mod).then((m) => {
      const up = m.setThreadRealtime(9);
      const during = m.threadPolicy(up.tid);
      parentPort.postMessage({ up, during });
      parentPort.once('message', () => { const down = m.setThreadRealtime(0); parentPort.postMessage({ down, after: m.threadPolicy(down.tid) }); });
    });`,
    { eval: true, workerData: { mod } },
  );
  const first = await new Promise<{
    up: { ok: boolean; tid: number; reason?: string };
    during: { policy: number; rtPriority: number };
  }>((r) => w.once('message', r));
  assert.ok(first.up.ok, first.up.reason);
  assert.equal(first.during, { policy: 1, rtPriority: 9 });
  assert.equal(fifoThreads(), [9], 'the worker thread only, not the main thread');
  w.postMessage('down');
  const second = await new Promise<{ down: { ok: boolean }; after: { policy: number; rtPriority: number } }>((r) =>
    w.once('message', r),
  );
  assert.ok(second.down.ok);
  assert.equal(second.after, { policy: 0, rtPriority: 0 });
  await w.terminate();
  assert.equal(fifoThreads(), []);
  assert.not.ok(setThreadRealtime(100).ok, 'priority past 99 refused');
});

test('compute.realtimePriority: each shard thread runs SCHED_FIFO at that priority while its task runs (needs root, CAP_SYS_NICE or RLIMIT_RTPRIO)', async () => {
  const cfg = loadConfig({ env: {} });
  assert.equal(fifoThreads(), [], 'no real-time thread before the pool starts');
  const pool = new PoolCompute(cfg.strategies, () => undefined, silentLogger, 2, 1 << 14, 512, 0, 7);
  await pool.start();
  for (let i = 0; i < 500; i++) pool.submit(ticks[i]!, 0);
  await pool.flush(30_000);
  // A shard task starts when Piscina hands it a thread: wait for both (a shard without ticks is never behind).
  await until(() => fifoThreads().length >= 2 || pool.realtimeFailures > 0, 10_000, 'both shard tasks running').catch(
    () => undefined,
  );
  const during = fifoThreads();
  const failures = pool.realtimeFailures;
  await pool.stop();
  assert.is(failures, 0, 'shards that could not take SCHED_FIFO (is this run as root?)');
  assert.equal(during, [7, 7], 'two shard threads at FIFO priority 7');
  assert.equal(fifoThreads(), [], 'none left after stop');
});

test('compute.realtimePriority that cannot be applied: counted and logged, and the shards compute all the same', async () => {
  const cfg = loadConfig({ env: {} });
  const path0 = process.env.PATH;
  const lines: string[] = [];
  const log = pino(
    { level: 'warn' },
    {
      write: (l: string) => {
        lines.push(l);
      },
    },
  );
  process.env.PATH = '/nonexistent'; // the shard threads copy this environment: chrt is not found
  let pool: PoolCompute | undefined;
  try {
    let drafts = 0;
    pool = new PoolCompute(
      cfg.strategies,
      () => {
        drafts++;
      },
      log,
      2,
      1 << 14,
      512,
      0,
      7,
    );
    await pool.start();
    for (const t of ticks) pool.submit(t, 0);
    await pool.flush(30_000);
    await until(() => pool!.realtimeFailures === 2, 5000, 'both shards report the failure');
    assert.ok(drafts > 100, `${drafts} drafts`);
    assert.equal(fifoThreads(), []);
    assert.ok(
      lines.some((l) => l.includes('could not take SCHED_FIFO') && l.includes('chrt')),
      lines.join('\n'),
    );
  } finally {
    process.env.PATH = path0;
    await pool?.stop();
  }
});

test.run();
