// Batch task (Piscina worker) for the heavy compute jobs: warming strategies from history at start and
// re-computing them after a parameter reload. It reads each symbol's recent ticks from Redis, runs them
// through a fresh ComputeCore with the given strategies (the same streaming code as live, so the state is
// exactly what live computation would have built) and returns the core's snapshot. The main thread keeps
// serving live ticks meanwhile and swaps the warmed state in when this returns (engine.ts).
import type { StrategyConfig } from '../config/types.js';
import type { RedisConnectOptions } from '../store/connect.js';
import { connectRedis } from '../store/connect.js';
import { TickStoreReader } from '../store/reader.js';
import { ComputeCore } from '../compute/core.js';

export interface RewarmJob {
  strategies: StrategyConfig[];
  redis: RedisConnectOptions;
  /**
   * Per symbol: history is every stored tick up to the cut: by venue id for ticks that have one (the store keeps
   * ids, not receive times), by receive time for the rest (Infinity: all of them).
   */
  symbols: Array<{ venue: string; symbol: string; cutRecvNs: number; cutTradeId: number; cutQuoteId: number }>;
  maxTicksPerSymbol: number;
}

export interface RewarmResult {
  snapshot: Record<string, unknown>;
  ticks: number;
  bySymbol: Record<string, number>;
  ms: number;
  drafts: number;
}

export default async function rewarm(job: RewarmJob): Promise<RewarmResult> {
  const started = performance.now();
  const redis = connectRedis(job.redis, { enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', () => undefined);
  try {
    const reader = new TickStoreReader(redis);
    const core = new ComputeCore(job.strategies);
    let ticks = 0,
      drafts = 0;
    const bySymbol: Record<string, number> = {};
    for (const s of job.symbols) {
      const history = await reader.latest(s.venue, s.symbol, job.maxTicksPerSymbol);
      let n = 0;
      for (const t of history) {
        const before =
          t.id >= 0 ? t.id <= (t.kind === 'trade' ? s.cutTradeId : s.cutQuoteId) : t.tsRecvNs <= s.cutRecvNs;
        if (!before) continue;
        drafts += core.onTick(t).length; // history only builds state: its drafts are never emitted
        n++;
      }
      bySymbol[`${s.venue}:${s.symbol}`] = n;
      ticks += n;
    }
    return { snapshot: core.snapshot(), ticks, bySymbol, ms: performance.now() - started, drafts };
  } finally {
    redis.disconnect();
  }
}
