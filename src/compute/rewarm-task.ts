// Batch task (Piscina worker, owned by rewarm.ts) for the heavy compute jobs: warming strategies from history
// at start and re-computing them after a parameter reload. It reads each symbol's recent ticks from Redis up to
// the cut, warms a fresh ComputeCore with the given strategies over them (strategies with a batch warm-up run
// the native kernels over the history window; the rest stream it through the same code as live, so the state
// is exactly what live computation would have built) and returns the core's snapshot.
import type { StrategyConfig } from '../config/types.js';
import type { RedisConnectOptions } from '../store/connect.js';
import type { Tick } from '../model/tick.js';
import { connectRedis } from '../store/connect.js';
import { TickStoreReader } from '../store/reader.js';
import { loadKernels } from '../native/index.js';
import { ComputeCore } from './core.js';
import { loadStrategyModules } from '../strategy/modules.js';

export interface RewarmJob {
  strategies: StrategyConfig[];
  redis: RedisConnectOptions;
  /**
   * Per symbol: history is every stored tick up to the cut: by venue id for ticks that have one (the store keeps
   * ids, not receive times), by receive time for the rest (Infinity: all of them).
   */
  symbols: Array<{ venue: string; symbol: string; cutRecvNs: number; cutTradeId: number; cutQuoteId: number }>;
  maxTicksPerSymbol: number;
  /** `native.disabled` of the daemon's config (this thread loads its own kernels). */
  nativeDisabled: boolean;
}

export interface RewarmResult {
  snapshot: Record<string, unknown>;
  ticks: number;
  bySymbol: Record<string, number>;
  ms: number;
  /** Which kernels ran, and how many strategy instances they warmed (the rest were streamed). */
  kernels: { kind: string; batchedInstances: number };
}

export default async function rewarm(job: RewarmJob): Promise<RewarmResult> {
  const started = performance.now();
  await loadStrategyModules(job.strategies);
  const loaded = loadKernels({ disabled: job.nativeDisabled || process.env.CHRISTMAS_NO_NATIVE === '1' });
  const redis = connectRedis(job.redis, { enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', () => undefined);
  try {
    const reader = new TickStoreReader(redis);
    const core = new ComputeCore(job.strategies);
    let ticks = 0,
      batched = 0;
    const bySymbol: Record<string, number> = {};
    for (const s of job.symbols) {
      const stored = await reader.latest(s.venue, s.symbol, job.maxTicksPerSymbol);
      const history: Tick[] = [];
      for (const t of stored) {
        const before =
          t.id >= 0 ? t.id <= (t.kind === 'trade' ? s.cutTradeId : s.cutQuoteId) : t.tsRecvNs <= s.cutRecvNs;
        if (before) history.push(t);
      }
      batched += core.warmSymbol(s.venue, s.symbol, history, loaded.kernels);
      bySymbol[`${s.venue}:${s.symbol}`] = history.length;
      ticks += history.length;
    }
    return {
      snapshot: core.snapshot(),
      ticks,
      bySymbol,
      ms: performance.now() - started,
      kernels: { kind: loaded.kind, batchedInstances: batched },
    };
  } finally {
    redis.disconnect();
  }
}
