// Redis tick store throughput from one Node thread into a local redis-server started here: the variadic
// batch writer vs one ZADD per tick (pipelined), and the main-thread CPU per stored tick.
// Budget: >= 400k ticks/s and <= 1.5 µs main-thread CPU per tick.
import { startRedis } from '../../src/daemon/embedded/redis.js';
import { connectRedis } from '../../src/store/connect.js';
import { TickStoreWriter } from '../../src/store/writer.js';
import { encodeTick, scoreOf } from '../../src/store/codec.js';
import { ticksKey } from '../../src/store/keys.js';
import { tradeTick, type Tick } from '../../src/model/tick.js';
import { mainThreadCpuUs, type BenchResult, type SuiteOptions } from '../lib.js';

function makeTicks(n: number, symbols: number): Tick[] {
  const out: Tick[] = [];
  const base = 1_723_161_600_000e6;
  for (let i = 0; i < n; i++)
    out.push(
      tradeTick(
        'binance',
        `SYM${i % symbols}`,
        base + i * 1e5,
        base + i * 1e5 + 1234,
        60000 + (i % 100) * 0.01,
        0.001 * (1 + (i % 7)),
        i % 2 ? 'buy' : 'sell',
        1_000_000 + i,
      ),
    );
  return out;
}

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const server = await startRedis();
  const redis = connectRedis({ url: server.url, cluster: false, clusterNodes: [] }, { enableOfflineQueue: true });
  try {
    await redis.ping();
    const n = o.quick ? 200_000 : 1_000_000;
    const results: BenchResult[] = [];
    for (const symbols of [1, 10]) {
      const ticks = makeTicks(n, symbols);
      await redis.flushall();
      const w = new TickStoreWriter(redis, {
        maxTicksPerSymbol: 100_000,
        maxAgeMs: 0,
        flushIntervalMs: 0,
        maxBacklogTicks: 10_000_000,
        storeQuotes: true,
        pipelinePerSymbol: false,
      });
      const cpu0 = process.cpuUsage();
      const main0 = mainThreadCpuUs();
      const t0 = performance.now();
      // The engine adds ticks as they arrive; feed them in event-loop turns of 2000 like a busy feed.
      for (let i = 0; i < n; i += 2000) {
        for (let j = i; j < Math.min(n, i + 2000); j++) w.add(ticks[j]!);
        await new Promise((r) => setImmediate(r));
      }
      while (w.stored < n) await new Promise((r) => setTimeout(r, 1));
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const main1 = mainThreadCpuUs();
      results.push({
        suite: 'store',
        name: `variadic batch writer, ${symbols} symbol(s)`,
        unit: 'ticks/s',
        p50: n / (ms / 1000),
        better: 'higher',
        note: 'budget >= 400k ticks/s',
      });
      const processUs = (cpu.user + cpu.system) / n;
      const mainUs = main0 !== undefined && main1 !== undefined ? (main1 - main0) / n : undefined;
      results.push({
        suite: 'store',
        name: `main-thread CPU per tick, ${symbols} symbol(s)`,
        unit: 'µs/tick',
        p50: mainUs ?? processUs,
        better: 'lower',
        note: `budget <= 1.5 µs (includes ioredis socket I/O)${mainUs === undefined ? '; no schedstat here: whole-process CPU' : ''}`,
      });
      results.push({
        suite: 'store',
        name: `process CPU per tick (all threads: GC helpers, libuv), ${symbols} symbol(s)`,
        unit: 'µs/tick',
        p50: processUs,
        better: 'lower',
      });
    }
    // Reference: one ZADD per tick, pipelined in chunks of 2000.
    const ticks = makeTicks(n, 1);
    await redis.flushall();
    const t0 = performance.now();
    for (let i = 0; i < n; i += 2000) {
      const p = redis.pipeline();
      for (let j = i; j < Math.min(n, i + 2000); j++) {
        const t = ticks[j]!;
        p.zadd(ticksKey(t.venue, t.symbol), scoreOf(t), encodeTick(t));
      }
      p.zremrangebyrank(ticksKey('binance', 'SYM0'), 0, -100_001);
      await p.exec();
    }
    const ms = performance.now() - t0;
    results.push({
      suite: 'store',
      name: 'reference: one ZADD per tick, pipelined',
      unit: 'ticks/s',
      p50: n / (ms / 1000),
      better: 'higher',
    });
    return results;
  } finally {
    redis.disconnect();
    await server.stop();
  }
}
