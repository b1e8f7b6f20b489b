// Telemetry: the daemon's /metrics parsed as Prometheus text with every documented metric present and
// moving under a replay; /health turns 503 naming Redis when it is killed and 200 when it returns;
// histograms and the stall detector measure known injected delays.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shared, startRedis, freePort, until, sleep, repoRoot, cliPath } from '../helpers.js';
import { spawnCli } from '../helpers.js';
import { parsePrometheus } from '../../src/daemon/commands/top.js';
import { LatencyHistogram } from '../../src/telemetry/histogram.js';
import { idleRegistry } from './idle-registry.js';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { LoopMonitor } from '../../src/telemetry/loop.js';
import { silentLogger } from '../../src/telemetry/logger.js';

const DOCUMENTED = [
  'christmas_feed_frames_total',
  'christmas_ticks_total',
  'christmas_feed_drops_total',
  'christmas_feed_gaps_total',
  'christmas_feed_reconnects_total',
  'christmas_feed_clock_offset_seconds',
  'christmas_feed_up',
  'christmas_store_ticks_total',
  'christmas_store_dropped_total',
  'christmas_store_backlog_ticks',
  'christmas_signals_total',
  'christmas_signals_suppressed_total',
  'christmas_signal_clients',
  'christmas_signal_last_seq',
  'christmas_event_loop_lag_seconds',
  'christmas_event_loop_utilization',
  'christmas_event_loop_stalls_total',
  'christmas_compute_worker_utilization',
  'christmas_stage_latency_seconds_bucket',
  'christmas_stage_latency_seconds_sum',
  'christmas_stage_latency_seconds_count',
  'christmas_stage_latency_since_start_seconds',
  'christmas_build_info',
  // Node's default metrics under their stock names
  'nodejs_heap_size_total_bytes',
  'process_resident_memory_bytes',
  'nodejs_active_handles',
  'nodejs_gc_duration_seconds_bucket',
];

test('metrics present and moving under a replay; /health follows Redis down and up', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-metrics-'));
  const redis = await startRedis();
  const port = await freePort(),
    mport = await freePort();
  const sr = spawnCli(
    [
      'serve-replay',
      shared('messages/binance-spot-session-20240809.log.gz'),
      '--port',
      String(port),
      '--rate',
      '3000',
      '--loop',
    ],
    {},
  );
  await until(() => sr.out().includes('listening'), 15_000, 'replay server');
  const d = spawnCli(['run'], {
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_REDIS_URL: redis.url,
    CHRISTMAS_DATABASE_URL: '',
    CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 's.sock'),
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool'),
    CHRISTMAS_METRICS_LISTEN: `127.0.0.1:${mport}`,
    CHRISTMAS_LOG_LEVEL: 'warn',
  });
  const scrape = async () => parsePrometheus(await (await fetch(`http://127.0.0.1:${mport}/metrics`)).text());
  const health = async () => {
    const r = await fetch(`http://127.0.0.1:${mport}/health`);
    return { status: r.status, body: (await r.json()) as { unhealthy: string[] } };
  };
  const sum = (s: ReturnType<typeof parsePrometheus>, n: string) =>
    s.filter((x) => x.name === n).reduce((a, x) => a + x.value, 0);
  try {
    await until(
      async () => {
        try {
          return sum(await scrape(), 'christmas_ticks_total') > 2000;
        } catch {
          return false;
        }
      },
      30_000,
      'ticks counted',
    );
    const a = await scrape();
    for (const m of DOCUMENTED)
      assert.ok(
        a.some((x) => x.name === m),
        `metric ${m} present`,
      );
    assert.ok(
      a.some(
        (x) =>
          x.name === 'christmas_ticks_total' &&
          x.labels.venue === 'binance' &&
          x.labels.symbol === 'BTCUSDT' &&
          x.labels.kind === 'trade',
      ),
    );
    const inf = a.find(
      (x) =>
        x.name === 'christmas_stage_latency_seconds_bucket' &&
        x.labels.stage === 'recv_to_signal' &&
        x.labels.le === '+Inf',
    );
    const count = a.find(
      (x) => x.name === 'christmas_stage_latency_seconds_count' && x.labels.stage === 'recv_to_signal',
    );
    assert.ok(inf && inf.value > 0 && inf.value === count?.value, 'the +Inf bucket holds every recv_to_signal sample');
    const buckets = a.filter(
      (x) => x.name === 'christmas_stage_latency_seconds_bucket' && x.labels.stage === 'recv_to_signal',
    );
    for (let i = 1; i < buckets.length; i++)
      assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, 'cumulative buckets');
    // Every tick passes recv_to_tick (µs): the low buckets resolve it.
    const tickBuckets = a.filter(
      (x) => x.name === 'christmas_stage_latency_seconds_bucket' && x.labels.stage === 'recv_to_tick',
    );
    assert.ok(
      tickBuckets.some((x) => Number(x.labels.le) <= 1e-5 && x.value > 0),
      `µs buckets resolve recv_to_tick: ${JSON.stringify(tickBuckets.map((x) => [x.labels.le, x.value]))}`,
    );
    assert.ok(
      a.some(
        (x) =>
          x.name === 'christmas_stage_latency_since_start_seconds' &&
          x.labels.stage === 'recv_to_signal' &&
          x.labels.percentile === '99',
      ),
    );
    // promtool (Debian's prometheus package) lints the exposition as Prometheus itself would read it.
    const text = await (await fetch(`http://127.0.0.1:${mport}/metrics`)).text();
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (lint.error) throw new Error(`promtool not found (apt-get install prometheus): ${lint.error.message}`);
    assert.is(`${lint.stdout}${lint.stderr}`.trim(), '', 'promtool check metrics: no warnings');
    assert.is(lint.status, 0, 'promtool check metrics passes');
    await sleep(1500);
    const b = await scrape();
    for (const m of [
      'christmas_feed_frames_total',
      'christmas_ticks_total',
      'christmas_store_ticks_total',
      'christmas_stage_latency_seconds_count',
    ])
      assert.ok(sum(b, m) > sum(a, m), `${m} moves`);
    assert.ok(sum(b, 'christmas_signals_total') > 0, 'signals emitted');
    // top into a pipe: plain screens one after another, no terminal control codes; the stages it shows.
    const top = spawnSync(process.execPath, [cliPath, 'top', '--metrics', `127.0.0.1:${mport}`, '--interval', '200'], {
      encoding: 'utf8',
      timeout: 1500,
    });
    assert.not.ok(top.stdout.includes('\x1b'), 'no ANSI codes into a pipe');
    assert.ok(top.stdout.split('christmas top').length > 2, 'several screens');
    assert.match(top.stdout, /recv_to_signal\s+\d+\.\d/);
    // 200 with everything up (an event-loop stall past the limit, as on a loaded machine, is a legitimate 503
    // for 5 s: wait it out, and name the components if it never clears).
    let lastBody: unknown;
    await until(
      async () => {
        const h = await health();
        lastBody = h.body;
        return h.status === 200;
      },
      20_000,
      'health 200 with Redis up',
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last /health: ${JSON.stringify(lastBody)}`);
    });
    await redis.kill();
    await until(async () => (await health()).status === 503, 10_000, 'health 503 with Redis down');
    assert.ok((await health()).body.unhealthy.includes('redis'));
    const t0 = performance.now();
    await health();
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `health answers while Redis is down (${ms.toFixed(1)} ms)`);
    await redis.restart();
    await until(async () => (await health()).status === 200, 20_000, 'health back to 200');
    assert.ok(sum(await scrape(), 'christmas_store_backlog_ticks') >= 0);
  } finally {
    d.child.kill('SIGTERM');
    sr.child.kill('SIGTERM');
    await new Promise((r) => d.child.once('exit', r));
    await redis.stop();
  }
});

test('README documents every metric the daemon registers (its metrics table), and no metric it does not register', async () => {
  const reg = idleRegistry();
  const own = (await reg.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.startsWith('christmas_'));
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const table = [...readme.matchAll(/^\| `(christmas_[a-z0-9_]+)` \|/gm)].map((m) => m[1]!);
  assert.ok(own.length > 30, `${own.length} metrics registered`);
  assert.equal([...own].sort(), [...table].sort());
});

test('/health is served off the main thread: it answers while the main thread is blocked, and a stale report turns it 503', async () => {
  const { MetricsServer } = await import('../../src/telemetry/http.js');
  const promClient = (await import('prom-client')).default;
  const srv = new MetricsServer(new promClient.Registry(), () => ({
    healthy: true,
    components: { feed: { healthy: true, detail: 'ok' } },
  }));
  const url = await srv.start('127.0.0.1:0');
  // A second process polls /health every 20 ms for 3 s and reports each answer's status and when it came.
  // Served on the main thread, no answer could complete while it is blocked. (How fast /health answers is a
  // benchmark figure: bench/e2e reports its p99 under full load against the 100 ms budget.)
  const { spawn } = await import('node:child_process');
  const probe = spawn(
    process.execPath,
    [
      '-e',
      `const out=[];const end=Date.now()+3000;(async()=>{while(Date.now()<end){const t=performance.now();const r=await fetch('${url}/health');await r.text();out.push([performance.now()-t,r.status,Date.now()]);await new Promise(r=>setTimeout(r,20));}console.log(JSON.stringify(out));})()`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let text = '';
  probe.stdout!.on('data', (d) => {
    text += d.toString();
  });
  await sleep(300);
  const blockedFrom = Date.now(),
    end = blockedFrom + 2600;
  while (Date.now() < end) {
    /* the main thread is busy for 2.6 s: no health report published */
  }
  const blockedTo = Date.now();
  await new Promise((r) => probe.once('exit', r));
  await srv.stop();
  const samples = JSON.parse(text) as Array<[number, number, number]>;
  const during = samples.filter((x) => x[2] > blockedFrom && x[2] < blockedTo);
  assert.ok(
    during.length >= 20,
    `${during.length} of ${samples.length} probes answered while the main thread was blocked`,
  );
  assert.ok(
    during.some((x) => x[1] === 200) && during.some((x) => x[1] === 503),
    'healthy first, then 503 once the report went stale, both while blocked',
  );
  assert.ok(
    during.filter((x) => x[1] === 503).every((x) => x[2] >= blockedFrom + 1900),
    '503 only once the last report is older than the 2 s limit',
  );
});

test('engine stage histograms measure a known injected delay (frame received 3 ms before processing)', async () => {
  const { Engine } = await import('../../src/daemon/engine.js');
  const { loadConfig } = await import('../../src/config/load.js');
  const { tradeTick } = await import('../../src/model/tick.js');
  const { nowNs } = await import('../../src/telemetry/clock.js');
  const cfg = loadConfig({
    env: {},
    overrides: {
      'redis.url': '',
      'database.url': '',
      strategies: [{ name: 'probe', type: 'probe', params: { everyN: 1 } }],
      'risk.cooldownMs': 0,
      'risk.maxSignalsPerSec': 1_000_000,
      'risk.maxSignalsPerSecPerSymbol': 1_000_000,
      'risk.gapQuietMs': 0,
    },
  });
  const engine = new Engine({
    config: cfg,
    log: silentLogger,
    store: false,
    persist: false,
    socket: false,
    replay: true,
  });
  await engine.start();
  const injectedNs = 3_000_000;
  for (let i = 0; i < 2000; i++) {
    const t = tradeTick('binance', 'BTCUSDT', 1.7e18 + i * 1e6, 1.7e18 + i * 1e6, 100 + (i % 7), 1, 'buy', i + 1);
    engine.onTick(t, nowNs() - injectedNs);
  }
  const h = engine.histograms.byStage;
  assert.is(engine.emitted, 2000);
  for (const stage of ['recv_to_tick', 'recv_to_signal'] as const) {
    const p50 = h[stage].quantile(0.5);
    assert.ok(p50 >= injectedNs && p50 < injectedNs * 1.05, `${stage} p50 ${p50} ns for an injected ${injectedNs} ns`);
  }
  assert.ok(h.tick_to_indicators.quantile(0.5) < 1_000_000, 'compute itself is not charged the injected delay');
  await engine.stop(1000);
});

test('histogram quantiles match known values to HdrHistogram precision (3 significant digits)', () => {
  const h = new LatencyHistogram('t');
  for (let i = 1; i <= 10_000; i++) h.record(i * 1000); // 1 µs .. 10 ms uniformly
  assert.ok(Math.abs(h.quantile(0.5) - 5_000_000) / 5_000_000 < 0.002, `p50 ${h.quantile(0.5)}`);
  assert.ok(Math.abs(h.quantile(0.99) - 9_900_000) / 9_900_000 < 0.002, `p99 ${h.quantile(0.99)}`);
  assert.is(h.count, 10_000);
});

test('windows: the last closed window shows a latency shift the since-start quantiles dilute; since-start spans every window', () => {
  const h = new LatencyHistogram('w');
  for (let i = 0; i < 9_000; i++) h.record(10_000); // 9 windows' worth at 10 µs
  h.rotate();
  assert.ok(Math.abs(h.windowQuantile(0.99) - 10_000) / 10_000 < 0.002);
  for (let i = 0; i < 1_000; i++) h.record(1_000_000); // then one window at 1 ms
  assert.ok(Math.abs(h.quantile(0.5) - 10_000) / 10_000 < 0.002, 'since start: still 10 µs at p50 before the rotation');
  h.rotate();
  assert.ok(
    Math.abs(h.windowQuantile(0.5) - 1_000_000) / 1_000_000 < 0.002,
    `last window p50 ${h.windowQuantile(0.5)}`,
  );
  assert.ok(Math.abs(h.quantile(0.5) - 10_000) / 10_000 < 0.002, 'since start p50 across both windows');
  assert.ok(Math.abs(h.quantile(0.95) - 1_000_000) / 1_000_000 < 0.002, `since start p95 ${h.quantile(0.95)}`);
  assert.is(h.count, 10_000);
  assert.is(h.lastWindowCount, 1_000);
  assert.ok(Math.abs(h.max - 1_000_000) / 1_000_000 < 0.002, 'max over every window');
  h.rotate();
  assert.ok(Number.isNaN(h.windowQuantile(0.5)), 'an empty window has no quantiles');
  assert.is(h.count, 10_000);
});

test('a histogram that recorded nothing reads NaN, rotates and resets; records after that count in their windows', () => {
  const h = new LatencyHistogram('lazy');
  assert.ok(Number.isNaN(h.quantile(0.5)) && Number.isNaN(h.windowQuantile(0.5)) && Number.isNaN(h.max));
  h.rotate();
  h.reset();
  h.rotate();
  assert.is(h.count, 0);
  assert.is(h.lastWindowCount, 0);
  for (let i = 0; i < 100; i++) h.record(2_000);
  h.rotate();
  assert.is(h.lastWindowCount, 100);
  assert.ok(Math.abs(h.windowQuantile(0.5) - 2_000) / 2_000 < 0.002, `window p50 ${h.windowQuantile(0.5)}`);
  assert.ok(Math.abs(h.quantile(0.5) - 2_000) / 2_000 < 0.002, `since-start p50 ${h.quantile(0.5)}`);
});

test('an engine without stage timing (replay, backtest) signals the same, records no stage and never loads hdr-histogram-js', () => {
  // In a fresh process: whether hdr-histogram-js was loaded shows in the CommonJS module cache.
  const url = (rel: string) => new URL(rel, import.meta.url).href;
  const script = `
    import { createRequire } from 'node:module';
    const { Engine } = await import(${JSON.stringify(url('../../src/daemon/engine.js'))});
    const { ReplayDriver } = await import(${JSON.stringify(url('../../src/daemon/replay-driver.js'))});
    const { loadConfig } = await import(${JSON.stringify(url('../../src/config/load.js'))});
    const { silentLogger } = await import(${JSON.stringify(url('../../src/telemetry/logger.js'))});
    const hdrLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('hdr-histogram-js'));
    const out = {};
    for (const stageTiming of [false, true]) {
      const cfg = loadConfig({ env: {}, overrides: { 'risk.cooldownMs': 0 } });
      const engine = new Engine({ config: cfg, log: silentLogger, store: false, persist: false, socket: false, replay: true, stageTiming });
      const signals = [];
      engine.onSignal = (s) => signals.push([s.seq, s.strategy, s.side, s.price, s.latency.tsExchNs]);
      await engine.start();
      await new ReplayDriver(engine, silentLogger, { files: [${JSON.stringify(shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'))}], speed: 0 }).run();
      await engine.stop(2000);
      const recorded = Object.values(engine.histograms.byStage).reduce((n, h) => n + h.count, 0);
      out[stageTiming ? 'timed' : 'untimed'] = { signals: JSON.stringify(signals), n: signals.length, recorded, hdrLoaded: hdrLoaded() };
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<
    'timed' | 'untimed',
    { signals: string; n: number; recorded: number; hdrLoaded: boolean }
  >;
  assert.ok(out.untimed.n > 10, `the replay signals (${out.untimed.n})`);
  assert.is(out.untimed.signals, out.timed.signals, 'the same signals with and without stage timing');
  assert.is(out.untimed.recorded, 0, 'no stage recorded without timing');
  assert.is(out.untimed.hdrLoaded, false, 'hdr-histogram-js not loaded without timing');
  assert.ok(out.timed.recorded > 0 && out.timed.hdrLoaded, 'the timed engine records its stages (and loads it)');
});

test('event-loop stall over the limit is detected with its duration', async () => {
  const m = new LoopMonitor(50, silentLogger, 10);
  m.start();
  await sleep(50);
  const end = Date.now() + 200;
  while (Date.now() < end) {
    /* block the loop for 200 ms */
  }
  await sleep(50);
  m.stop();
  assert.is(m.stalls, 1);
  assert.ok(m.lastStallMs >= 150 && m.lastStallMs < 400, `stall of ${m.lastStallMs} ms measured`);
  assert.not.ok(m.healthy());
});

test.run();
