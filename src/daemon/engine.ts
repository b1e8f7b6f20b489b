// Wires the pipeline: feed -> (store, persist, bars) -> compute -> risk -> signal socket (+ persist).
// The hot path (onTick) only bumps counters, queues I/O for batching and runs compute; it never awaits.
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { ChristmasConfig, StrategyConfig } from '../config/types.js';
import { tickToJson, type Tick } from '../model/tick.js';
import { signalId, type Signal, type SignalDraft } from '../model/signal.js';
import type { Logger } from '../telemetry/logger.js';
import { nowNs } from '../telemetry/clock.js';
import { LATENCY_WINDOW_MS, StageHistograms } from '../telemetry/histogram.js';
import { kernels } from '../native/index.js';
import { WriterSet, type Sinks } from './sinks.js';
import { ThreadSinks } from './io-thread.js';
import { SeqAllocator } from '../signal/seq.js';
import { SignalServer } from '../signal/server.js';
import { RiskGate, type MarketView } from '../strategy/risk.js';
import { buildStrategies } from '../strategy/registry.js';
import { InlineCompute, type Compute } from '../compute/compute.js';
import { ComputeCore } from '../compute/core.js';
import { Piscina } from 'piscina';
import { fileURLToPath } from 'node:url';
import type { RewarmJob, RewarmResult } from './rewarm-task.js';

export interface EngineOptions {
  config: ChristmasConfig;
  log: Logger;
  store: boolean;
  persist: boolean;
  socket: boolean;
  print?: 'ticks' | 'signals';
  out?: NodeJS.WritableStream;
  /** Replay: no staleness, signals numbered from 1 per run, persisted under `<instance>-replay`. */
  replay?: boolean;
  /** Builds the pool compute (kept out of this module so inline-only tools never load worker code). */
  poolFactory?: (
    strategies: readonly StrategyConfig[],
    sink: (d: SignalDraft, e: number, r: number, f: number) => void,
  ) => Compute;
}

interface SymbolState {
  venue: string;
  symbol: string;
  trades: number;
  quotes: number;
  spreadBps: number;
  lastGapMs: number;
  /** Receive time of the symbol's last tick: where a re-warm cuts history from live. */
  lastRecvNs: number;
  /** The venue ids of the last trade and quote (the re-warm cut: the store keeps ids, not receive times). */
  lastTradeId: number;
  lastQuoteId: number;
}

/** Live ticks a re-warm may hold while its batch task runs (~20 s at 100k ticks/s); past it the reload goes cold. */
const REWARM_MAX_BUFFERED_TICKS = 2_000_000;

const rewarmTaskFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rewarm-task.js');

export class Engine {
  readonly cfg: ChristmasConfig;
  readonly log: Logger;
  readonly histograms = new StageHistograms();
  /** Redis store and database writer (inline or in the io thread); undefined with neither. */
  sinks: Sinks | undefined;
  signals: SignalServer | undefined;
  seq!: SeqAllocator | { take(): number; last: number; close(): void };
  risk!: RiskGate;
  compute!: Compute;
  emitted = 0;
  ticks = 0;
  /** Ticks replayed from Redis into compute at start (redis.warmStart). */
  warmedTicks = 0;
  private readonly symbols = new Map<string, Map<string, SymbolState>>();
  private printBuf = '';
  private printScheduled = false;
  private killFileTimer: NodeJS.Timeout | undefined;
  /** Piscina pool for the heavy batch jobs (warm-up, re-computation after a reload); started on first use. */
  private batchPool: Piscina | undefined;
  /** Live ticks since a re-warm's cut, replayed into the warmed state before it is swapped in. */
  private rewarmBuffer: Tick[] | undefined;
  /** Set when live ticks outran a re-warm (its buffer passed rewarmMaxBufferedTicks). */
  private rewarmOverflowed = false;
  /** Live ticks a re-warm may hold while its batch task runs; past it the reload goes cold. */
  rewarmMaxBufferedTicks = REWARM_MAX_BUFFERED_TICKS;
  /** Strategies of a reload that arrived while a re-warm was running (the latest wins). */
  private pendingReload: StrategyConfig[] | undefined;
  /** The running re-warm (tests and drain wait on it). */
  rewarming: Promise<void> | undefined;
  /** Ticks handed to the Redis store (what a re-warm waits to see stored before reading history). */
  private storeHanded = 0;
  private storeEvery = false;
  private storeTrades = false;
  private windowTimer: NodeJS.Timeout | undefined;
  /** Rolling median receive-minus-exchange offset per venue (the live feeds), for exch_to_recv. */
  clockOffsetNs?: (venue: string) => number;
  /** Staleness provider (the live feeds); replay is never stale. */
  staleness: (venue: string, symbol: string) => boolean = () => false;
  readonly instance: string;
  /** Listeners for tests and the `top` view. */
  onSignal?: (s: Signal) => void;

  constructor(private readonly opts: EngineOptions) {
    this.cfg = opts.config;
    this.log = opts.log;
    this.instance = opts.replay ? `${this.cfg.instance}-replay` : this.cfg.instance;
  }

  /** Starts everything but the feeds, in dependency order. */
  async start(): Promise<void> {
    const cfg = this.cfg;
    const k = kernels();
    this.log.info({ native: k.kind, reason: k.reason }, `indicator kernels: ${k.kind}`);
    buildStrategies(cfg.strategies); // validates parameters before anything connects

    let seqFloor = 0;
    const wantStore = this.opts.store && !!cfg.redis.url,
      wantPersist = this.opts.persist && !!cfg.database.url;
    if (wantStore || wantPersist) {
      const sinkOpts = { store: wantStore, persist: wantPersist, replay: !!this.opts.replay, instance: this.instance };
      this.sinks =
        cfg.io.mode === 'thread'
          ? await ThreadSinks.open(cfg, sinkOpts, this.log)
          : await WriterSet.open(cfg, sinkOpts, this.log);
      this.sinks.onBatch = (kind, ms) =>
        this.histograms.record(kind === 'redis' ? 'redis_batch' : 'db_batch', ms * 1e6);
      seqFloor = this.sinks.seqFloor;
      this.storeEvery = this.sinks.hasStore && cfg.redis.storeQuotes;
      this.storeTrades = this.sinks.hasStore;
      this.log.info({ mode: this.sinks.mode }, 'store and database writers started');
    }

    if (this.opts.replay) {
      let n = 0;
      this.seq = {
        take: () => ++n,
        get last() {
          return n;
        },
        close() {
          /* nothing kept */
        },
      };
    } else {
      this.seq = new SeqAllocator(
        cfg.signals.seqFile || path.join(cfg.spool.dir, `${cfg.instance}.seq`),
        10_000,
        seqFloor,
      );
    }

    const market: MarketView = {
      isStale: (v, s) => this.staleness(v, s),
      lastGapMs: (v, s) => this.symbols.get(v)?.get(s)?.lastGapMs ?? NaN,
      spreadBps: (v, s) => this.symbols.get(v)?.get(s)?.spreadBps ?? NaN,
    };
    this.risk = new RiskGate(cfg.risk, market);

    if (this.opts.socket) {
      this.signals = new SignalServer(
        {
          socketPath: cfg.signals.socket,
          socketMode: parseInt(cfg.signals.socketMode, 8),
          replayRing: cfg.signals.replayRing,
          replayRingBytes: cfg.signals.replayRingBytes,
          maxClientBufferBytes: cfg.signals.maxClientBufferBytes,
          heartbeatMs: cfg.signals.heartbeatMs,
          maxClients: cfg.signals.maxClients,
          helloTimeoutMs: cfg.signals.helloTimeoutMs,
          instance: this.instance,
          lastSeq: () => this.seq.last,
        },
        this.log,
      );
      this.signals.on('kill-switch', (on: boolean) => {
        this.risk.killed = on || this.killFileActive();
        this.log.warn({ on }, 'kill switch set over the signal socket');
      });
      await this.signals.start();
      this.log.info({ socket: cfg.signals.socket }, 'signal socket listening');
    }
    if (cfg.risk.killSwitchFile) {
      this.killFileTimer = setInterval(() => {
        const on = this.killFileActive();
        if (on !== this.risk.killed) {
          this.risk.killed = on;
          this.log.warn({ on, file: cfg.risk.killSwitchFile }, 'kill switch file changed');
        }
      }, 250);
      this.killFileTimer.unref();
    }

    this.windowTimer = setInterval(() => this.histograms.rotate(), LATENCY_WINDOW_MS);
    this.windowTimer.unref();

    const sink = (d: SignalDraft, e: number, r: number, f: number) => this.emit(d, e, r, f);
    this.compute =
      cfg.compute.mode === 'pool' && this.opts.poolFactory
        ? this.opts.poolFactory(cfg.strategies, sink)
        : new InlineCompute(cfg.strategies, sink);
    await this.compute.start();
    this.log.info({ mode: this.compute.mode }, 'compute started');
    if (cfg.redis.warmStart && this.sinks?.hasStore) await this.warmStart();
  }

  /**
   * Warms every configured symbol's strategies from the ticks already in Redis (oldest first), in the batch task
   * a reload uses: live signals start from warm indicators instead of an empty window, and history never signals.
   */
  private async warmStart(): Promise<void> {
    const cfg = this.cfg,
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
    const { core, res } = await this.rewarmCore(cfg.strategies, symbols);
    await this.compute.adopt(cfg.strategies, () => core);
    this.warmedTicks = res.ticks;
    this.log.info(
      { ticks: res.ticks, bySymbol: res.bySymbol, ms: Date.now() - started },
      'warmed strategies from Redis (batch task)',
    );
  }

  private killFileActive(): boolean {
    return !!this.cfg.risk.killSwitchFile && existsSync(this.cfg.risk.killSwitchFile);
  }

  private stateOf(t: Tick): SymbolState {
    let byVenue = this.symbols.get(t.venue);
    if (!byVenue) {
      byVenue = new Map();
      this.symbols.set(t.venue, byVenue);
    }
    let s = byVenue.get(t.symbol);
    if (!s) {
      s = {
        venue: t.venue,
        symbol: t.symbol,
        trades: 0,
        quotes: 0,
        spreadBps: NaN,
        lastGapMs: NaN,
        lastRecvNs: -Infinity,
        lastTradeId: -Infinity,
        lastQuoteId: -Infinity,
      };
      byVenue.set(t.symbol, s);
    }
    return s;
  }

  /** A trade-id gap was detected just before this tick. */
  onGap(t: Tick): void {
    this.stateOf(t).lastGapMs = t.tsExchNs / 1e6;
  }

  /** The hot path: one normalized tick. frameStartNs = when its frame was received (live) or read (replay). */
  onTick(t: Tick, frameStartNs: number): void {
    this.ticks++;
    const s = this.stateOf(t);
    if (t.kind === 'trade') s.trades++;
    else {
      s.quotes++;
      s.spreadBps = ((t.ask - t.bid) / ((t.ask + t.bid) / 2)) * 1e4;
    }
    s.lastRecvNs = t.tsRecvNs;
    if (t.kind === 'trade') s.lastTradeId = t.id;
    else s.lastQuoteId = t.id;
    if (this.storeEvery || (this.storeTrades && t.kind === 'trade')) this.storeHanded++;
    this.sinks?.addTick(t);
    if (this.rewarmBuffer !== undefined && this.rewarmBuffer.push(t) > this.rewarmMaxBufferedTicks) {
      this.rewarmBuffer = undefined;
      this.rewarmOverflowed = true;
    }
    if (this.opts.print === 'ticks') this.print(JSON.stringify(tickToJson(t)));
    const before = nowNs();
    this.histograms.record('recv_to_tick', before - frameStartNs);
    const offset = this.clockOffsetNs?.(t.venue);
    if (offset !== undefined && offset === offset) {
      const excess = t.tsRecvNs - t.tsExchNs - offset;
      if (excess > 0) this.histograms.record('exch_to_recv', excess);
    }
    this.compute.submit(t, frameStartNs);
    if (this.compute.mode === 'inline') this.histograms.record('tick_to_indicators', nowNs() - before);
  }

  /** A draft from compute: risk gate, then number it and fan it out. */
  private emit(d: SignalDraft, tsExchNs: number, tsRecvNs: number, frameStartNs: number): void {
    const tsSignalNs = nowNs();
    if (this.compute.mode === 'pool') this.histograms.record('tick_to_indicators', tsSignalNs - frameStartNs); // includes the hand-off to the worker
    if (this.risk.check(d, tsExchNs / 1e6) !== undefined) return;
    const seq = this.seq.take();
    const signal: Signal = {
      seq,
      id: signalId(this.instance, seq),
      tsNs: tsSignalNs,
      symbol: d.symbol,
      venue: d.venue,
      side: d.side,
      strategy: d.strategy,
      price: d.price,
      strength: d.strength,
      ttlMs: d.ttlMs,
      reason: d.reason,
      indicators: d.indicators,
      latency: { tsExchNs, tsRecvNs, tsSignalNs },
    };
    this.emitted++;
    const built = nowNs();
    this.histograms.record('indicators_to_signal', built - tsSignalNs);
    this.signals?.publish(signal);
    const written = nowNs();
    this.histograms.record('signal_to_socket', written - built);
    this.histograms.record('recv_to_signal', written - frameStartNs);
    this.sinks?.addSignal(signal);
    if (this.opts.print === 'signals') this.print(JSON.stringify(signal));
    this.onSignal?.(signal);
  }

  private print(line: string): void {
    this.printBuf += line + '\n';
    if (this.printBuf.length > 1 << 16) this.flushPrint();
    else if (!this.printScheduled) {
      this.printScheduled = true;
      setImmediate(() => this.flushPrint());
    }
  }

  flushPrint(): void {
    this.printScheduled = false;
    if (this.printBuf) {
      (this.opts.out ?? process.stdout).write(this.printBuf);
      this.printBuf = '';
    }
  }

  /** SIGHUP: strategy parameters and risk limits, without dropping connections. */
  reload(cfg: ChristmasConfig): void {
    buildStrategies(cfg.strategies);
    this.risk.reload(cfg.risk);
    this.log.info({ strategies: cfg.strategies.map((s) => s.name) }, 'reloaded strategy parameters and risk limits');
    if (this.sinks?.hasStore) {
      // The old strategies keep signalling until the new ones, re-computed from history off this thread, take over.
      if (this.rewarming) {
        this.pendingReload = cfg.strategies;
        return;
      }
      this.startRewarm(cfg.strategies);
      return;
    }
    this.compute.reload(cfg.strategies); // no history to re-compute from: the new strategies start cold
  }

  private startRewarm(strategies: readonly StrategyConfig[]): void {
    const run = this.rewarm(strategies).catch((err: Error) => {
      this.rewarmBuffer = undefined;
      this.compute.reload(strategies);
      this.log.warn({ err: err.message }, 're-computation from history failed; the new strategies start cold');
    });
    this.rewarming = run.finally(() => {
      this.rewarming = undefined;
      const next = this.pendingReload;
      this.pendingReload = undefined;
      if (next) this.startRewarm(next);
    });
  }

  private pool(): Piscina {
    this.batchPool ??= new Piscina({ filename: rewarmTaskFile, minThreads: 0, maxThreads: 1, idleTimeout: 2000 });
    return this.batchPool;
  }

  /** Runs the rewarm batch task for these symbols and builds a core from its snapshot. */
  private async rewarmCore(
    strategies: readonly StrategyConfig[],
    symbols: RewarmJob['symbols'],
  ): Promise<{ core: ComputeCore; res: RewarmResult }> {
    const r = this.cfg.redis;
    const job: RewarmJob = {
      strategies: strategies.map((s) => ({ ...s })),
      redis: { url: r.url, cluster: r.cluster, clusterNodes: r.clusterNodes, password: r.password },
      symbols,
      maxTicksPerSymbol: Math.min(r.maxTicksPerSymbol || 100_000, 100_000),
    };
    const res = (await this.pool().run(job)) as RewarmResult;
    const core = new ComputeCore(strategies);
    core.restore(res.snapshot);
    core.ticks = res.ticks;
    return { core, res };
  }

  /**
   * Re-computation after a reload, off the main thread: cut each symbol at its last tick, wait until Redis
   * holds everything up to the cut, let the batch task build the new strategies' state from that history,
   * then replay the live ticks since the cut into it and swap it in. Live ticks are never paused: until the
   * swap the old strategies keep running.
   */
  private async rewarm(strategies: readonly StrategyConfig[]): Promise<void> {
    const started = Date.now();
    const cutNs = nowNs();
    const symbols: RewarmJob['symbols'] = [];
    const seen = new Set<string>();
    for (const m of this.symbols.values())
      for (const s of m.values()) {
        symbols.push({
          venue: s.venue,
          symbol: s.symbol,
          cutRecvNs: s.lastRecvNs,
          cutTradeId: s.lastTradeId,
          cutQuoteId: s.lastQuoteId,
        });
        seen.add(`${s.venue}:${s.symbol}`);
      }
    for (const f of this.cfg.feeds)
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
    this.rewarmBuffer = [];
    this.rewarmOverflowed = false;
    const waitUntil = Date.now() + 5000;
    for (;;) {
      const st = this.sinks?.storeStats();
      if (!st || st.stored + st.dropped >= target) break;
      if (Date.now() > waitUntil) {
        this.log.warn(
          { behind: target - st.stored - st.dropped },
          're-warm: Redis is behind; history misses the ticks it has not stored yet',
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const { core, res } = await this.rewarmCore(strategies, symbols);
    if (this.rewarmOverflowed)
      throw new Error(`live ticks outran the re-computation (over ${this.rewarmMaxBufferedTicks} buffered)`);
    let caughtUp = 0;
    // Called by compute at a moment when it has computed every tick submitted so far (at once inline).
    await this.compute.adopt(strategies, () => {
      if (this.rewarmOverflowed)
        throw new Error(`live ticks outran the re-computation (over ${this.rewarmMaxBufferedTicks} buffered)`);
      const live = this.rewarmBuffer ?? [];
      this.rewarmBuffer = undefined;
      for (let i = 0; i < live.length; i++) core.onTick(live[i]!); // catch up; these ticks' signals already went out
      caughtUp = live.length;
      return core;
    });
    this.log.info(
      {
        historyTicks: res.ticks,
        caughtUpTicks: caughtUp,
        taskMs: Math.round(res.ms),
        ms: Date.now() - started,
        mode: this.compute.mode,
      },
      're-computed strategies from history after the reload',
    );
  }

  symbolStats(): Array<{ venue: string; symbol: string; kind: string; count: number }> {
    const out: Array<{ venue: string; symbol: string; kind: string; count: number }> = [];
    for (const m of this.symbols.values())
      for (const s of m.values()) {
        out.push({ venue: s.venue, symbol: s.symbol, kind: 'trade', count: s.trades });
        out.push({ venue: s.venue, symbol: s.symbol, kind: 'quote', count: s.quotes });
      }
    return out;
  }

  /** Drain in reverse start order: compute, socket, then every buffer to Redis / the database / the spool. */
  async stop(deadlineMs: number): Promise<{ storeLeft: number; persistLeft: number }> {
    const end = Date.now() + deadlineMs;
    const left = () => Math.max(0, end - Date.now());
    clearInterval(this.killFileTimer);
    clearInterval(this.windowTimer);
    if (this.rewarming) await Promise.race([this.rewarming, new Promise((r) => setTimeout(r, Math.min(left(), 3000)))]);
    await this.batchPool?.destroy().catch(() => undefined);
    await this.compute?.flush(Math.min(left(), 2000)).catch(() => undefined);
    await this.compute?.stop().catch(() => undefined);
    this.flushPrint();
    await this.signals?.stop('shutdown');
    const left_ = this.sinks ? await this.sinks.stop(Math.max(100, left() - 200)) : { storeLeft: 0, persistLeft: 0 };
    this.seq?.close();
    const { storeLeft, persistLeft } = left_;
    return { storeLeft, persistLeft };
  }
}
