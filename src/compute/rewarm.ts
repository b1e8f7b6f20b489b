// Re-computation of strategy state from the history in Redis, off the main thread: at start (warm start) and
// after a SIGHUP parameter reload. The batch task (rewarm-task.ts) runs on a one-thread Piscina pool this
// module owns; live ticks are never paused: until the warmed state is swapped in, the old strategies keep
// running, and the live ticks since the cut are replayed into the warmed state before the swap.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { ChristmasConfig, StrategyConfig } from '../config/types.js';
import type { Tick } from '../model/tick.js';
import { RewarmOverrunError } from '../model/errors.js';
import type { Logger } from '../telemetry/logger.js';
import { nowNs } from '../telemetry/clock.js';
import type { Compute } from './compute.js';
import { ComputeCore } from './core.js';
import type { RewarmJob, RewarmResult } from './rewarm-task.js';

/** Live ticks a re-warm may hold while its batch task runs (~20 s at 100k ticks/s); past it the reload goes cold. */
const REWARM_MAX_BUFFERED_TICKS = 2_000_000;

const rewarmTaskFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rewarm-task.js');

/** Where history ends for one symbol: everything the store holds up to its last live tick. */
export type RewarmCut = RewarmJob['symbols'][number];

export interface RewarmDeps {
  cfg: ChristmasConfig;
  log: Logger;
  compute: () => Compute;
  /** Every symbol seen live so far, with its last tick's receive time and venue ids (where its history ends). */
  symbols: () => Iterable<{
    venue: string;
    symbol: string;
    lastRecvNs: number;
    lastTradeId: number;
    lastQuoteId: number;
  }>;
  /** What the Redis store has stored or dropped of the ticks handed to it (the cut must be stored first). */
  storeSettled: () => number | undefined;
}

export class Rewarmer {
  private batchPool: Piscina | undefined;
  /** Live ticks since a re-warm's cut, replayed into the warmed state before it is swapped in. */
  private buffer: Tick[] | undefined;
  private overflowed = false;
  /** Strategies of a reload that arrived while a re-warm was running (the latest wins). */
  private pending: StrategyConfig[] | undefined;
  maxBufferedTicks = REWARM_MAX_BUFFERED_TICKS;
  /** Live ticks handed to the Redis store (every tick, or trades only without storeQuotes; none without a store). */
  private storeHanded = 0;
  private storeTrades = false;
  private storeQuotes = false;
  /** The running re-warm (tests and drain wait on it). */
  running: Promise<void> | undefined;

  constructor(private readonly deps: RewarmDeps) {}

  /** Which live ticks the store is handed (set once the io stage is open). */
  storeHas(trades: boolean, quotes: boolean): void {
    this.storeTrades = trades;
    this.storeQuotes = quotes;
  }

  /** Every live tick: counted when the store gets it, and held while a re-warm runs. */
  onLiveTick(t: Tick): void {
    if (t.kind === 'trade' ? this.storeTrades : this.storeQuotes) this.storeHanded++;
    if (this.buffer !== undefined && this.buffer.push(t) > this.maxBufferedTicks) {
      this.buffer = undefined;
      this.overflowed = true;
    }
  }

  /** Warms every configured symbol's strategies from Redis before live ticks arrive; returns the ticks read. */
  async warmStart(): Promise<number> {
    const cfg = this.deps.cfg,
      started = Date.now();
    const symbols = cfg.feeds.flatMap((f) =>
      f.symbols.map((s) => ({
        venue: f.venue,
        symbol: s.toUpperCase(),
        cutRecvNs: Infinity,
        cutTradeId: Infinity,
        cutQuoteId: Infinity,
      })),
    );
    const { core, res } = await this.run(cfg.strategies, symbols);
    await this.deps.compute().adopt(cfg.strategies, () => core);
    this.deps.log.info(
      { ticks: res.ticks, bySymbol: res.bySymbol, kernels: res.kernels, ms: Date.now() - started },
      'warmed strategies from Redis (batch task)',
    );
    return res.ticks;
  }

  /** A reload: re-computes the new strategies from history (queued behind a running one); cold on failure. */
  reload(strategies: readonly StrategyConfig[]): void {
    if (this.running) {
      this.pending = [...strategies];
      return;
    }
    const run = this.rewarm(strategies).catch((err: Error) => {
      this.buffer = undefined;
      this.deps.compute().reload(strategies);
      this.deps.log.warn({ err: err.message }, 're-computation from history failed; the new strategies start cold');
    });
    this.running = run.finally(() => {
      this.running = undefined;
      const next = this.pending;
      this.pending = undefined;
      if (next) this.reload(next);
    });
  }

  /** The one-thread pool of the batch task, made (and Piscina loaded) at the first re-warm. */
  private async pool(): Promise<Piscina> {
    const { Piscina } = await import('piscina');
    this.batchPool ??= new Piscina({ filename: rewarmTaskFile, minThreads: 0, maxThreads: 1, idleTimeout: 2000 });
    return this.batchPool;
  }

  /** Runs the batch task for these symbols and builds a core from its snapshot. */
  private async run(
    strategies: readonly StrategyConfig[],
    symbols: RewarmCut[],
  ): Promise<{ core: ComputeCore; res: RewarmResult }> {
    const r = this.deps.cfg.redis;
    const job: RewarmJob = {
      strategies: strategies.map((s) => ({ ...s })),
      redis: { url: r.url, cluster: r.cluster, clusterNodes: r.clusterNodes, password: r.password },
      symbols,
      maxTicksPerSymbol: Math.min(r.maxTicksPerSymbol || 100_000, 100_000),
      nativeDisabled: this.deps.cfg.native.disabled,
    };
    const res = (await (await this.pool()).run(job)) as RewarmResult;
    const core = new ComputeCore(strategies);
    core.restore(res.snapshot);
    core.ticks = res.ticks;
    return { core, res };
  }

  /** Waits (up to 5 s) until Redis has stored every tick handed to it before the cut. */
  private async storeCaughtUp(target: number): Promise<void> {
    const waitUntil = Date.now() + 5000;
    for (;;) {
      const settled = this.deps.storeSettled();
      if (settled === undefined || settled >= target) return;
      if (Date.now() > waitUntil) {
        this.deps.log.warn(
          { behind: target - settled },
          're-warm: Redis is behind; history misses the ticks it has not stored yet',
        );
        return;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private async rewarm(strategies: readonly StrategyConfig[]): Promise<void> {
    const started = Date.now();
    const cutNs = nowNs();
    const symbols: RewarmCut[] = [];
    const seen = new Set<string>();
    for (const s of this.deps.symbols()) {
      symbols.push({
        venue: s.venue,
        symbol: s.symbol,
        cutRecvNs: s.lastRecvNs,
        cutTradeId: s.lastTradeId,
        cutQuoteId: s.lastQuoteId,
      });
      seen.add(`${s.venue}:${s.symbol}`);
    }
    for (const f of this.deps.cfg.feeds)
      for (const sym of f.symbols)
        if (!seen.has(`${f.venue}:${sym.toUpperCase()}`))
          symbols.push({
            venue: f.venue,
            symbol: sym.toUpperCase(),
            cutRecvNs: cutNs,
            cutTradeId: Infinity,
            cutQuoteId: Infinity,
          });
    const target = this.storeHanded;
    this.buffer = [];
    this.overflowed = false;
    await this.storeCaughtUp(target);
    const { core, res } = await this.run(strategies, symbols);
    if (this.overflowed) throw new RewarmOverrunError(this.maxBufferedTicks);
    let caughtUp = 0;
    const compute = this.deps.compute();
    // Called by compute at a moment when it has computed every tick submitted so far (at once inline).
    await compute.adopt(strategies, () => {
      if (this.overflowed) throw new RewarmOverrunError(this.maxBufferedTicks);
      const live = this.buffer ?? [];
      this.buffer = undefined;
      for (let i = 0; i < live.length; i++) core.onTick(live[i]!); // catch up; these ticks' signals already went out
      caughtUp = live.length;
      return core;
    });
    this.deps.log.info(
      {
        historyTicks: res.ticks,
        caughtUpTicks: caughtUp,
        taskMs: Math.round(res.ms),
        kernels: res.kernels,
        ms: Date.now() - started,
        mode: compute.mode,
      },
      're-computed strategies from history after the reload',
    );
  }

  async stop(waitMs: number): Promise<void> {
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, waitMs))]);
    await this.batchPool?.destroy().catch(() => undefined);
  }
}
