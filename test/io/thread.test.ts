// The io thread (io.mode thread) against real Redis and PostgreSQL: it writes exactly the rows and sorted-set
// members the inline writers write for the same ticks and signals (through a ring small enough to overflow),
// reports its stats, drains on stop, and a crashed io thread is restarted on the same ring.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startPostgres, startRedis, shared, until } from '../helpers.js';
import { loadConfig } from '../../src/config/load.js';
import { connectRedis } from '../../src/store/connect.js';
import { readRecording } from '../../src/feed/replay/readers.js';
import { WriterSet, type Sinks } from '../../src/io/writers.js';
import { ThreadSinks } from '../../src/io/thread.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import type { Tick } from '../../src/model/tick.js';
import type { Signal } from '../../src/model/signal.js';

let redisServer: Awaited<ReturnType<typeof startRedis>>;
let pgServer: Awaited<ReturnType<typeof startPostgres>>;

async function recordedTicks(): Promise<Tick[]> {
  const ticks: Tick[] = [];
  for (const f of [
    'ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv',
    'ticks/binance-spot-BTCUSDT-bookTicker-20240809T0000Z.csv',
  ]) {
    let n = 0;
    for await (const r of readRecording(shared(f))) {
      if (r.type === 'tick') ticks.push(r.tick);
      if (++n >= 12_000) break;
    }
  }
  return ticks;
}

function signalOf(seq: number, t: Tick, instance: string): Signal {
  return {
    seq,
    id: `${instance}-${seq}`,
    tsNs: t.tsRecvNs + 5000,
    symbol: t.symbol,
    venue: t.venue,
    side: seq % 2 ? 'buy' : 'sell',
    strategy: 'test',
    price: t.price,
    strength: 0.5,
    ttlMs: 1000,
    reason: 'io thread test',
    indicators: { ema: t.price, n: seq },
    latency: {
      tsExchNs: t.tsExchNs,
      tsRecvNs: t.tsRecvNs,
      tsSignalNs: t.tsRecvNs + 5000,
      tsRecvRemNs: NaN,
      tsSignalRemNs: NaN,
    },
  };
}

const config = (mode: 'thread' | 'inline', ringSlots = 1024) =>
  loadConfig({
    env: {},
    overrides: {
      'redis.url': redisServer.url,
      'redis.maxTicksPerSymbol': 1_000_000,
      'database.url': pgServer.url,
      'spool.dir': mkdtempSync(path.join(tmpdir(), 'christmas-io-spool-')),
      'io.mode': mode,
      'io.ringSlots': ringSlots,
    },
  });

async function open(mode: 'thread' | 'inline', instance: string, ringSlots?: number, persist = true): Promise<Sinks> {
  const cfg = config(mode, ringSlots);
  const o = { store: true, persist, replay: false, instance };
  return mode === 'thread' ? ThreadSinks.open(cfg, o, silentLogger) : WriterSet.open(cfg, o, silentLogger);
}

/** Everything both stores hold, in a stable order. */
async function contents(instance: string): Promise<string> {
  const c = new pg.Client({ connectionString: pgServer.url });
  await c.connect();
  const q = async (sql: string) => (await c.query(sql)).rows.map((r) => JSON.stringify(r));
  const out = [
    ...(await q('select * from ticks order by trade_id, ts')),
    ...(await q('select * from quotes order by update_id, ts, ts_recv_ns')),
    ...(await q('select * from bars_1s order by symbol, ts')),
    ...(await q(
      `select seq, venue, symbol, side, strategy, price, strength, ttl_ms, reason, indicators, ts_exch_ns, ts_recv_ns, ts_signal_ns from signals where instance = '${instance}' order by seq`,
    )),
  ];
  await c.end();
  const r = connectRedis({ url: redisServer.url, cluster: false, clusterNodes: [] }, { enableOfflineQueue: true });
  r.on('error', () => undefined);
  for (const key of (await r.keys('*')).sort()) {
    const type = await r.type(key);
    if (type === 'zset') out.push(key, ...(await r.zrange(key, '0', '-1', 'WITHSCORES')));
    else if (type === 'hash') out.push(key, JSON.stringify(await r.hgetall(key)));
  }
  r.disconnect();
  return out.join('\n');
}

async function reset(): Promise<void> {
  const c = new pg.Client({ connectionString: pgServer.url });
  await c.connect();
  for (const t of ['ticks', 'quotes', 'bars_1s', 'signals']) await c.query(`delete from ${t}`).catch(() => undefined);
  await c.end();
  const r = connectRedis({ url: redisServer.url, cluster: false, clusterNodes: [] }, { enableOfflineQueue: true });
  r.on('error', () => undefined);
  await r.flushall();
  r.disconnect();
}

test.before(async () => {
  redisServer = await startRedis();
  pgServer = await startPostgres();
});
test.after(async () => {
  await redisServer?.stop();
  await pgServer?.stop();
});

test('thread and inline sinks write the same rows and members; the thread drains everything on stop', async () => {
  const ticks = await recordedTicks();
  const trades = ticks.filter((t) => t.kind === 'trade').length,
    quotes = ticks.length - trades;
  assert.ok(trades > 10_000 && quotes > 10_000, `${trades} trades, ${quotes} quotes`);
  const seen: Record<string, string> = {};
  for (const mode of ['inline', 'thread'] as const) {
    await reset();
    const sinks = await open(mode, 'io-test');
    assert.is(sinks.mode, mode);
    assert.ok(sinks.hasStore && sinks.hasPersist);
    let batches = 0;
    sinks.onBatch = () => {
      batches++;
    };
    // All at once: 24,000 ticks through a 1,024-slot ring, so most of them wait in the overflow first.
    for (let i = 0; i < ticks.length; i++) {
      sinks.addTick(ticks[i]!);
      if (i % 4000 === 0) sinks.addSignal(signalOf(i / 4000 + 1, ticks[i]!, 'io-test'));
    }
    if (mode === 'thread') assert.ok(sinks.storeStats()!.backlog > 0, 'unread ticks count as store backlog');
    const left = await sinks.stop(20_000);
    assert.equal(left, { storeLeft: 0, persistLeft: 0 }, `${mode}: drained`);
    const st = sinks.storeStats()!;
    assert.is(st.stored, ticks.length, `${mode}: every tick stored in Redis`);
    const p = sinks.persistStats()!;
    assert.is(p.tables.ticks.rows, trades, `${mode}: every trade persisted`);
    assert.is(p.tables.quotes.rows, quotes, `${mode}: every quote persisted`);
    assert.is(p.tables.signals.rows, 6, `${mode}: every signal persisted`);
    assert.ok(p.tables.bars_1s.rows > 100, `${mode}: 1 s bars persisted (${p.tables.bars_1s.rows})`);
    assert.ok(batches > 0, `${mode}: batch durations reported`);
    seen[mode] = await contents('io-test');
  }
  assert.ok(seen.inline!.length > 100_000);
  assert.ok(seen.thread === seen.inline, 'the io thread writes exactly what the inline writers write');
});

test('a crashed io thread is restarted on the same ring, the ticks published after it are all stored, counters stay monotonic', async () => {
  await reset();
  const ticks = (await recordedTicks()).filter((t) => t.kind === 'trade');
  const sinks = (await open('thread', 'io-crash', 4096, false)) as ThreadSinks;
  const first = ticks.slice(0, 5000),
    second = ticks.slice(5000, 10_000);
  for (const t of first) sinks.addTick(t);
  await until(() => (sinks.storeStats()?.stored ?? 0) === first.length, 15_000, 'first half stored');
  sinks.crashForTest();
  await until(
    () => sinks.restarts === 1 && sinks.storeStats()?.stored === first.length,
    15_000,
    'io thread restarted (its counters carried over)',
  );
  for (const t of second) sinks.addTick(t);
  const left = await sinks.stop(10_000);
  assert.equal(left, { storeLeft: 0, persistLeft: 0 });
  assert.is(
    sinks.storeStats()!.stored,
    first.length + second.length,
    'the restarted thread stored every later tick; the counter never went back',
  );
  const r = connectRedis({ url: redisServer.url, cluster: false, clusterNodes: [] }, { enableOfflineQueue: true });
  r.on('error', () => undefined);
  assert.is(
    await r.zcard('christmas:{binance:BTCUSDT}:ticks'),
    first.length + second.length,
    'both halves are in Redis',
  );
  r.disconnect();
});

test('io.mode and io.ringSlots are validated at start-up with the key named', () => {
  assert.throws(() => loadConfig({ env: {}, overrides: { 'io.mode': 'threads' } }), /io\.mode/);
  assert.throws(() => loadConfig({ env: {}, overrides: { 'io.ringSlots': 10 } }), /io\.ringSlots/);
});

test.run();
