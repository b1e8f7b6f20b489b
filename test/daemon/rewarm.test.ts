// A parameter reload (SIGHUP) re-computes the strategies from the history in Redis in a batch task while live
// ticks keep flowing, then swaps the warmed state in: the result is exactly the state the new parameters would
// have built from the first tick. Also: warm start at start-up through the same batch task.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRedis, shared } from '../helpers.js';
import { loadConfig } from '../../src/config/load.js';
import { Engine } from '../../src/daemon/engine.js';
import { ComputeCore } from '../../src/compute/core.js';
import type { InlineCompute } from '../../src/compute/compute.js';
import { makePoolFactory } from '../../src/compute/pool.js';
import type { Signal, SignalDraft } from '../../src/model/signal.js';
import { readRecording } from '../../src/feed/replay/readers.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import type { Tick } from '../../src/model/tick.js';
import type { ChristmasConfig } from '../../src/config/types.js';

let server: Awaited<ReturnType<typeof startRedis>>;
test.before(async () => {
  server = await startRedis();
});
test.after(async () => {
  await server?.stop();
});

/** Real trades with strictly increasing exchange and receive times (Redis orders by exchange time). */
async function trades(n: number): Promise<Tick[]> {
  const out: Tick[] = [];
  let lastExch = -Infinity,
    lastRecv = -Infinity;
  for await (const r of readRecording(shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'))) {
    if (r.type !== 'tick') continue;
    const t = r.tick;
    if (Math.floor(t.tsExchNs / 1e6) <= lastExch || t.tsRecvNs <= lastRecv) continue;
    lastExch = Math.floor(t.tsExchNs / 1e6);
    lastRecv = t.tsRecvNs;
    out.push(t);
    if (out.length >= n) break;
  }
  return out;
}

function config(extra: Record<string, unknown> = {}): ChristmasConfig {
  return loadConfig({
    env: {},
    overrides: {
      'redis.url': server.url,
      'database.url': '',
      'spool.dir': mkdtempSync(path.join(tmpdir(), 'christmas-rewarm-')),
      ...extra,
    },
  });
}

/** The same config with other strategy parameters (what a SIGHUP would load). */
function retuned(cfg: ChristmasConfig): ChristmasConfig {
  const next = structuredClone(cfg) as ChristmasConfig;
  for (const s of next.strategies) {
    // A slow EMA remembers thousands of ticks, so a history off by one tick shows in the state at the swap.
    if (s.type === 'ema-cross') s.params = { ...s.params, fast: 50, slow: 5000, rsiPeriod: 9 };
    if (s.type === 'vwap-reversion') s.params = { ...s.params, zEntry: 1.5, minTrades: 20 };
    if (s.type === 'breakout') s.params = { ...s.params, windowMs: 10_000 };
    if (s.type === 'probe') s.params = { ...s.params, everyN: 13 };
  }
  return next;
}

const permissiveRisk = {
  maxSpreadBps: 1e6,
  cooldownMs: 0,
  maxSignalsPerSec: 1e6,
  maxSignalsPerSecPerSymbol: 1e6,
  gapQuietMs: 0,
  killSwitchFile: '',
};
const sig = (x: Signal | SignalDraft) =>
  JSON.stringify([x.strategy, x.side, x.price, x.strength, x.reason, x.indicators]);

for (const mode of ['inline', 'pool'] as const) {
  test(`${mode} compute: after a reload every later tick signals exactly as the new parameters would have from the first tick`, async () => {
    const ticks = await trades(7000);
    const base = config({ 'compute.mode': mode, 'compute.workers': 1 });
    const cfg = {
      ...base,
      risk: permissiveRisk,
      strategies: [
        ...base.strategies,
        { name: 'probe', type: 'probe', symbols: ['*'], params: { everyN: 7 }, enabled: true },
      ],
    } as ChristmasConfig;
    const engine = new Engine({
      config: cfg,
      log: silentLogger,
      store: true,
      persist: false,
      socket: false,
      replay: true,
      poolFactory: makePoolFactory(cfg, silentLogger),
    });
    await engine.start();
    assert.is(engine.compute.mode, mode);
    const signals: Signal[] = [];
    engine.onSignal = (x) => signals.push(x);
    try {
      for (const t of ticks.slice(0, 3000)) engine.onTick(t, 0);
      await engine.compute.flush(5000);
      const next = retuned(cfg);
      engine.reload(next);
      for (const t of ticks.slice(3000, 4000)) engine.onTick(t, 0);
      let fed = 0;
      const during = ticks.slice(4000, 5000);
      const feeder = setInterval(() => {
        for (let i = 0; i < 50 && fed < during.length; i++) engine.onTick(during[fed++]!, 0);
      }, 1);
      await engine.rewarm.running;
      clearInterval(feeder);
      const from = 4000 + fed; // every tick from here on reaches the new strategies
      const before = signals.length;
      for (const t of ticks.slice(from)) engine.onTick(t, 0);
      await engine.compute.flush(5000);
      const after = signals.slice(before);
      // Reference: the new parameters on every tick from the first; its drafts for the ticks fed after the swap.
      const ref = new ComputeCore(next.strategies);
      const want: string[] = [];
      ticks.forEach((t, i) => {
        const ds = ref.onTick(t);
        if (i >= from) for (const d of ds) want.push(sig(d));
      });
      assert.ok(want.length > 50, `${want.length} reference signals`);
      assert.equal(after.map(sig), want, 'signals after the swap');
    } finally {
      await engine.stop(5000);
    }
  });
}

test('a reload re-computes the new strategies from Redis history off the main thread, catches up on live ticks, and swaps in exact state', async () => {
  const ticks = await trades(7000);
  assert.is(ticks.length, 7000);
  const cfg = config();
  const engine = new Engine({
    config: cfg,
    log: silentLogger,
    store: true,
    persist: false,
    socket: false,
    replay: true,
  });
  await engine.start();
  try {
    const compute = engine.compute as InlineCompute;
    for (const t of ticks.slice(0, 3000)) engine.onTick(t, 0);
    const next = retuned(cfg);
    const oldCore = compute.core;
    engine.reload(next);
    assert.ok(engine.rewarm.running, 'a re-warm is running');
    // Live ticks keep flowing during the re-computation: the old strategies serve them meanwhile.
    for (const t of ticks.slice(3000, 4500)) engine.onTick(t, 0);
    assert.is(compute.core, oldCore, 'still the old strategies until the warmed state is ready');
    const during = ticks.slice(4500, 5500);
    let fed = 0;
    const feeder = setInterval(() => {
      for (let i = 0; i < 50 && fed < during.length; i++) engine.onTick(during[fed++]!, 0);
    }, 1);
    await engine.rewarm.running;
    clearInterval(feeder);
    assert.not.equal(compute.core, oldCore, 'the warmed core was swapped in');
    // At the swap: exactly the state of the new parameters over every tick so far (history + caught-up live).
    const atSwap = new ComputeCore(next.strategies);
    for (const t of ticks.slice(0, 4500 + fed)) atSwap.onTick(t);
    assert.equal(compute.core.snapshot(), atSwap.snapshot(), 'warmed state at the swap');
    assert.ok(fed > 0, 'live ticks arrived while the batch task ran');
    while (fed < during.length) engine.onTick(during[fed++]!, 0);
    for (const t of ticks.slice(5500)) engine.onTick(t, 0);
    // Reference: the new parameters from the very first tick.
    const ref = new ComputeCore(next.strategies);
    for (const t of ticks) ref.onTick(t);
    assert.equal(
      compute.core.snapshot(),
      ref.snapshot(),
      'state equals a core that ran the new parameters on every tick',
    );
    assert.is(compute.core.ticks, ticks.length);
  } finally {
    await engine.stop(5000);
  }
});

test('warm start runs as a batch task: the strategies start from the stored history', async () => {
  const ticks = await trades(3000);
  // The ticks are in Redis from the previous test (same instance, same symbol): 7,000 of them.
  const cfg = config({ 'redis.warmStart': true });
  const engine = new Engine({
    config: cfg,
    log: silentLogger,
    store: true,
    persist: false,
    socket: false,
    replay: true,
  });
  await engine.start();
  try {
    const compute = engine.compute as InlineCompute;
    assert.is(engine.warmedTicks, 7000);
    assert.is(engine.emitted, 0, 'history never signals');
    const ref = new ComputeCore(cfg.strategies);
    for (const t of await trades(7000)) ref.onTick(t);
    assert.equal(compute.core.snapshot(), ref.snapshot());
    assert.ok(ticks.length === 3000);
  } finally {
    await engine.stop(5000);
  }
});

test('live ticks that outrun the re-computation (past its buffer bound) make the reload go cold instead', async () => {
  const ticks = await trades(3000);
  const cfg = config();
  const engine = new Engine({
    config: cfg,
    log: silentLogger,
    store: true,
    persist: false,
    socket: false,
    replay: true,
  });
  await engine.start();
  try {
    engine.rewarm.maxBufferedTicks = 100;
    for (const t of ticks.slice(0, 1000)) engine.onTick(t, 0);
    engine.reload(retuned(cfg));
    for (const t of ticks.slice(1000, 1500)) engine.onTick(t, 0); // 500 > 100 while the task runs
    await engine.rewarm.running;
    assert.equal((engine.compute as InlineCompute).core.snapshot(), {}, 'new strategies, cold: no state yet');
    for (const t of ticks.slice(1500)) engine.onTick(t, 0);
    const ref = new ComputeCore(retuned(cfg).strategies);
    for (const t of ticks.slice(1500)) ref.onTick(t);
    assert.equal(
      (engine.compute as InlineCompute).core.snapshot(),
      ref.snapshot(),
      'from the first tick after the reload went cold',
    );
  } finally {
    await engine.stop(5000);
  }
});

test('a reload without a store starts the new strategies cold, at once', async () => {
  const cfg = loadConfig({ env: {}, overrides: { 'redis.url': '', 'database.url': '' } });
  const engine = new Engine({
    config: cfg,
    log: silentLogger,
    store: false,
    persist: false,
    socket: false,
    replay: true,
  });
  await engine.start();
  try {
    const ticks = await trades(500);
    for (const t of ticks) engine.onTick(t, 0);
    engine.reload(retuned(cfg));
    assert.is(engine.rewarm.running, undefined);
    assert.is((engine.compute as InlineCompute).core.snapshot().constructor, Object);
    assert.equal(Object.keys((engine.compute as InlineCompute).core.snapshot()), [], 'no state carried over');
  } finally {
    await engine.stop(2000);
  }
});

test.run();
