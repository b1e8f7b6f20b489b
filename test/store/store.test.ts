// Redis tick store against real redis-server instances started on free loopback ports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startRedis, startRedisCluster, until, sleep, cliPath } from '../helpers.js';
import { connectRedis, type RedisClient } from '../../src/store/connect.js';
import { TickStoreWriter, type TickStoreOptions } from '../../src/store/writer.js';
import { TickStoreReader } from '../../src/store/reader.js';
import { ticksKey } from '../../src/store/keys.js';
import { quoteTick, tradeTick, type Tick } from '../../src/model/tick.js';
import { recordedTicks } from '../ticks.js';

const opts = (o: Partial<TickStoreOptions> = {}): TickStoreOptions => ({
  maxTicksPerSymbol: 1_000_000,
  maxAgeMs: 0,
  flushIntervalMs: 0,
  maxBacklogTicks: 1_000_000,
  storeQuotes: true,
  pipelinePerSymbol: false,
  ...o,
});

function realTicks(n: number): Tick[] {
  const base = 1_723_161_600_000_000_000;
  return recordedTicks({ limit: n, recvNs: (f, soFar) => (f === 'trade' ? base : base + soFar) });
}

let server: Awaited<ReturnType<typeof startRedis>>;
let redis: RedisClient;
test.before(async () => {
  server = await startRedis();
  redis = connectRedis({ url: server.url, cluster: false, clusterNodes: [] }, { enableOfflineQueue: true });
  redis.on('error', () => undefined);
  await redis.ping();
});
test.after(async () => {
  redis.disconnect();
  await server.stop();
});

test('round trip of trades and quotes: latest N, time range, last quote', async () => {
  await redis.flushall();
  const ticks = realTicks(2000);
  const w = new TickStoreWriter(redis, opts());
  for (const t of ticks) w.add(t);
  await until(() => w.stored === ticks.length, 10_000, 'all ticks stored');
  const r = new TickStoreReader(redis);
  assert.is(await r.count('binance', 'BTCUSDT'), ticks.length);
  const byScore = [...ticks].sort((a, b) => a.tsExchNs - b.tsExchNs);
  const last = await r.latest('binance', 'BTCUSDT', 5);
  assert.is(last.length, 5);
  for (const t of last) {
    const orig = ticks.find((x) => x.id === t.id && x.kind === t.kind)!;
    // The store keeps the venue's fields; receive time is not kept for ticks with a venue id, a quote's exchange
    // time is its score (µs).
    assert.ok(Math.abs(t.tsExchNs - orig.tsExchNs) <= 1000, `exchange time ${t.tsExchNs} vs ${orig.tsExchNs}`);
    assert.equal({ ...t, tsRecvNs: orig.tsRecvNs, tsExchNs: orig.tsExchNs }, orig);
  }
  const from = byScore[100]!.tsExchNs / 1e6,
    to = byScore[199]!.tsExchNs / 1e6;
  const range = await r.range('binance', 'BTCUSDT', from, to);
  assert.ok(
    range.length >= 100 && range.every((t) => t.tsExchNs / 1e6 >= from - 0.001 && t.tsExchNs / 1e6 <= to + 0.001),
  );
  const q = (await r.lastQuote('binance', 'BTCUSDT'))!;
  const lastQuote = [...ticks].reverse().find((t) => t.kind === 'quote')!;
  assert.equal([q.bid, q.ask, q.updateId], [lastQuote.bid, lastQuote.ask, lastQuote.id]);
  assert.ok(w.batches < ticks.length / 10, `batched: ${w.batches} batches for ${ticks.length} ticks`);
});

test('equal price and time never collide; a replayed tick does not duplicate', async () => {
  await redis.flushall();
  const w = new TickStoreWriter(redis, opts());
  const base = 1_723_161_600_000e6;
  for (let i = 0; i < 50; i++) w.add(tradeTick('binance', 'ETHUSDT', base, base + i, 2500, 1, 'buy', 1000 + i));
  for (let i = 0; i < 10; i++) w.add(tradeTick('binance', 'ETHUSDT', base, base + i, 2500, 1, 'buy', 1000 + i)); // replay
  await until(() => w.stored === 60, 5000, 'stored');
  assert.is(await redis.zcard(ticksKey('binance', 'ETHUSDT')), 50);
  // Re-sent by the venue after a restart: same ids and venue fields, new receive times (and, for a quote from a
  // venue without exchange time, a new "exchange" time too): replaced, never added.
  for (let i = 0; i < 50; i++) w.add(tradeTick('binance', 'ETHUSDT', base, base + 9e9 + i, 2500, 1, 'buy', 1000 + i));
  for (let i = 0; i < 20; i++)
    w.add(quoteTick('binance', 'ETHUSDT', base + i * 1e6, base + i * 1e6, 2499, 1, 2501, 2, 7000 + i));
  for (let i = 0; i < 20; i++)
    w.add(quoteTick('binance', 'ETHUSDT', base + 5e9 + i * 1e6, base + 5e9 + i * 1e6, 2499, 1, 2501, 2, 7000 + i));
  await until(() => w.stored === 150, 5000, 'stored');
  assert.is(await redis.zcard(ticksKey('binance', 'ETHUSDT')), 70, '50 trades and 20 quotes, each once');
});

test('trimming keeps the newest N per symbol and drops by age', async () => {
  await redis.flushall();
  const w = new TickStoreWriter(redis, opts({ maxTicksPerSymbol: 100 }));
  const base = 1_723_161_600_000e6;
  for (let i = 0; i < 1000; i++)
    w.add(tradeTick('binance', 'BTCUSDT', base + i * 1e6, base + i * 1e6, 60000 + i, 1, 'sell', i));
  await until(() => w.stored === 1000, 5000, 'stored');
  const r = new TickStoreReader(redis);
  const all = await r.latest('binance', 'BTCUSDT', 1000);
  assert.is(all.length, 100);
  assert.is(all[0]!.id, 900);
  const w2 = new TickStoreWriter(redis, opts({ maxAgeMs: 50 }));
  for (let i = 0; i < 200; i++) w2.add(tradeTick('binance', 'SOLUSDT', base + i * 1e6, base, 150, 1, 'buy', i));
  await until(() => w2.stored === 200, 5000, 'stored');
  const kept = await r.latest('binance', 'SOLUSDT', 1000);
  assert.ok(kept.length >= 50 && kept.length <= 51, `kept ${kept.length} ticks within 50 ms`);
});

test('a backlog of 300k ticks (a long outage) drains in bounded pipelines', async () => {
  await redis.flushall();
  const w = new TickStoreWriter(redis, opts({ maxTicksPerSymbol: 0 }));
  const base = 1_723_161_600_000e6;
  for (let i = 0; i < 300_000; i++) w.add(tradeTick('binance', 'BIG', base + i * 1e3, base, 1, 1, 'buy', i));
  await until(() => w.stored === 300_000, 60_000, 'stored');
  assert.is(await redis.zcard(ticksKey('binance', 'BIG')), 300_000);
  assert.is(w.errors, 0);
  assert.ok(w.batches >= 5, `${w.batches} pipelines of at most 65536 ticks`);
});

test('quotes can be kept out of the sorted set', async () => {
  await redis.flushall();
  const w = new TickStoreWriter(redis, opts({ storeQuotes: false }));
  w.add(quoteTick('binance', 'BTCUSDT', 1e18, 1e18, 1, 1, 2, 1, 7));
  w.add(tradeTick('binance', 'BTCUSDT', 1e18, 1e18, 1, 1, 'buy', 8));
  await until(() => w.stored === 1, 5000, 'stored');
  assert.is(await redis.zcard(ticksKey('binance', 'BTCUSDT')), 1);
});

test('Redis killed mid-stream and restarted: the writer never blocks, and every tick is stored or counted as dropped', async () => {
  await redis.flushall();
  const own = connectRedis({ url: server.url, cluster: false, clusterNodes: [] });
  own.on('error', () => undefined);
  await until(() => own.status === 'ready', 5000, 'connected');
  const w = new TickStoreWriter(own, opts({ maxBacklogTicks: 3000 }));
  const base = 1_723_161_700_000e6;
  let id = 0;
  const addMany = (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      id++;
      w.add(tradeTick('binance', 'BTCUSDT', base + id * 1e6, base + id * 1e6, 60000, 1, 'buy', id));
    }
    return performance.now() - t0;
  };
  addMany(1000);
  await until(() => w.stored === 1000, 5000, 'first batch');
  await server.kill();
  await sleep(200);
  const ms = addMany(5000); // more than the backlog bound while Redis is down
  assert.ok(ms < 1000, `adding while Redis is down must not block (took ${ms.toFixed(0)} ms)`);
  await sleep(300);
  assert.ok(w.backlog <= 3000, `backlog bounded: ${w.backlog}`);
  await server.restart();
  await until(() => w.backlog === 0 && own.status === 'ready', 15_000, 'backlog drained after restart');
  addMany(500);
  await until(() => w.backlog === 0, 5000, 'after restart');
  await sleep(100);
  assert.is(w.stored + w.dropped, 6500, `stored ${w.stored} + dropped ${w.dropped}`);
  assert.is(w.dropped, 2000);
  const count = await redis.zcard(ticksKey('binance', 'BTCUSDT')).catch(async () => {
    await sleep(500);
    return redis.zcard(ticksKey('binance', 'BTCUSDT'));
  });
  assert.is(
    count,
    3500,
    'redis restarted empty (no persistence): it holds the 3000-tick backlog plus the 500 added after',
  );
  own.disconnect();
  await redis.quit().catch(() => undefined);
  redis = connectRedis({ url: server.url, cluster: false, clusterNodes: [] }, { enableOfflineQueue: true });
  redis.on('error', () => undefined);
});

test('warm start: the engine replays the ticks already in Redis into its strategies without signalling', async () => {
  await redis.flushall();
  const ticks = realTicks(4000);
  const w = new TickStoreWriter(redis, opts());
  for (const t of ticks) w.add(t);
  await until(() => w.stored === ticks.length, 10_000, 'stored');
  const { Engine } = await import('../../src/daemon/engine.js');
  const { loadConfig } = await import('../../src/config/load.js');
  const { silentLogger } = await import('../../src/telemetry/logger.js');
  const cfg = loadConfig({
    env: {},
    overrides: { 'redis.url': server.url, 'redis.warmStart': true, 'database.url': '' },
  });
  const engine = new Engine({
    config: cfg,
    log: silentLogger,
    store: true,
    persist: false,
    socket: false,
    replay: true,
  });
  await engine.start();
  assert.is(engine.warmedTicks, ticks.length);
  assert.is(engine.emitted, 0, 'history never signals');
  const core = (engine.compute as unknown as { core: { ticks: number } }).core;
  assert.is(core.ticks, ticks.length, 'every stored tick went through the strategies');
  await engine.stop(2000);
});

test('3-master Redis Cluster: hash-tagged keys, one pipeline per symbol, read back', async () => {
  const cluster = await startRedisCluster(3);
  const c = connectRedis({ url: '', cluster: true, clusterNodes: cluster.nodes }, { enableOfflineQueue: true });
  c.on('error', () => undefined);
  try {
    await until(() => c.status === 'ready', 15_000, 'cluster client ready');
    const w = new TickStoreWriter(c, opts({ pipelinePerSymbol: true, maxTicksPerSymbol: 500 }));
    const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'ADAUSDT'];
    const base = 1_723_161_800_000e6;
    for (let i = 0; i < 3000; i++) {
      const s = symbols[i % symbols.length]!;
      w.add(tradeTick('binance', s, base + i * 1e6, base + i * 1e6, 100 + i, 1, 'buy', i));
    }
    await until(() => w.stored === 3000, 15_000, 'stored in the cluster');
    const r = new TickStoreReader(c);
    for (const s of symbols) assert.is(await r.count('binance', s), 500);
    const last = await r.latest('binance', 'ETHUSDT', 1);
    assert.is(last[0]!.symbol, 'ETHUSDT');
    assert.is(last[0]!.id, 2995, 'the newest ETHUSDT tick (every 6th from 1)');
    // `christmas ticks` reads the cluster from a cold start (its client queues commands until the cluster is ready).
    const dir = mkdtempSync(path.join(tmpdir(), 'christmas-cluster-cli-'));
    const cfgFile = path.join(dir, 'c.json');
    writeFileSync(cfgFile, JSON.stringify({ redis: { url: '', cluster: true, clusterNodes: cluster.nodes } }));
    const cli = spawnSync(process.execPath, [cliPath, 'ticks', 'binance:ETHUSDT', '--json', '--last', '3'], {
      env: { ...process.env, CHRISTMAS_CONFIG: cfgFile },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.is(cli.stderr, '', 'no error');
    assert.is(cli.status, 0);
    const ids = cli.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { tradeId: number }).tradeId);
    assert.equal(ids, [2983, 2989, 2995]);
  } finally {
    c.disconnect();
    await cluster.stop();
  }
});

test.run();
