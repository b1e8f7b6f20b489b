// Routes the pipeline: feed -> market state, io stage, re-warm buffer -> compute -> risk gate -> publishers.
// Each stage owns its work (src/io, src/compute, src/strategy, src/signal); this file only connects them and
// times the hops. The hot path (onTick, emit) bumps counters, hands I/O over for batching and runs compute; it
// never awaits.
import path from 'node:path';
import type { ChristmasConfig, StrategyConfig } from '../config/types.js';
import { tickToJson, type Tick } from '../model/tick.js';
import { signalOf, type Signal, type SignalDraft } from '../model/signal.js';
import type { Logger } from '../telemetry/logger.js';
import { exactNowNs, lastExactRemNs, nowNs } from '../telemetry/clock.js';
import { LATENCY_WINDOW_MS, StageHistograms } from '../telemetry/histogram.js';
import { kernels, useNativeKernels } from '../native/index.js';
import { openSinks, type Sinks } from '../io/open.js';
import { redisConfigured } from '../store/configured.js';
import { CountingSeq, SeqAllocator } from '../signal/seq.js';
import type { SignalServer } from '../signal/server.js';
import type { SignalPublisher } from '../signal/publisher.js';
import { RiskGate } from '../strategy/risk.js';
import { MarketState } from '../strategy/market.js';
import { KillSwitch } from '../strategy/kill-switch.js';
import { buildStrategies } from '../strategy/registry.js';
import { loadStrategyModules } from '../strategy/modules.js';
import { InlineCompute, type Compute, type DraftSink } from '../compute/compute.js';
import { Rewarmer } from '../compute/rewarm.js';
import { LinePrinter } from './line-printer.js';
import { choosePublishers } from './publishers.js';
import { BookStage } from '../book/stage.js';
import { PoolBookSide } from '../book/pool-books.js';
import type { BookInput } from '../book/message.js';
import type { BookTopSink } from '../book/tops.js';
import type { BookSummary } from '../book/summary.js';
import type { PoolBooks } from '../compute/pool.js';

export interface EngineOptions {
  config: ChristmasConfig;
  log: Logger;
  store: boolean;
  persist: boolean;
  socket: boolean;
  print?: 'ticks' | 'signals' | 'books';
  /** Levels per side in `--print books` lines (default 10). */
  bookDepth?: number;
  out?: NodeJS.WritableStream;
  /** Replay: no staleness, signals numbered from 1 per run, persisted under `<instance>-replay`. */
  replay?: boolean;
  /**
   * Per-stage latency histograms (default true). A replay or backtest has no /metrics to read them: with false it
   * pays no clock reads or histogram writes per event, and hdr-histogram-js is never loaded.
   */
  stageTiming?: boolean;
  /** Builds the pool compute (kept out of this module so inline-only tools never load worker code). */
  poolFactory?: (strategies: readonly StrategyConfig[], sink: DraftSink, books?: PoolBooks) => Compute;
}

export class Engine {
  readonly cfg: ChristmasConfig;
  readonly log: Logger;
  readonly instance: string;
  readonly histograms = new StageHistograms();
  /** Whether the stages are timed (EngineOptions.stageTiming): frame start times are NaN otherwise. */
  readonly stageTiming: boolean;
  readonly market = new MarketState();
  /** Redis store and database writer (inline or in the io thread); undefined with neither. */
  sinks: Sinks | undefined;
  /** The socket publisher (also in `publishers`), for its client counts. */
  signals: SignalServer | undefined;
  readonly publishers: SignalPublisher[] = [];
  seq!: SeqAllocator | CountingSeq;
  risk!: RiskGate;
  compute!: Compute;
  readonly rewarm: Rewarmer;
  emitted = 0;
  ticks = 0;
  /** Strategy instances disabled after throwing, by strategy (christmas_strategy_errors_total). */
  readonly strategyErrors = new Map<string, number>();
  /** Ticks replayed from Redis into compute at start (redis.warmStart). */
  warmedTicks = 0;
  /** Rolling median receive-minus-exchange offset per venue (the live feeds), for exch_to_recv. */
  clockOffsetNs?: (venue: string) => number;
  /** Staleness provider (the live feeds); replay is never stale. */
  staleness: (venue: string, symbol: string) => boolean = () => false;
  /** Listener for tests and the `top` view. */
  onSignal?: (s: Signal) => void;
  /** Every symbol's L2 book (depth streams) when compute is inline, and where their updates go. */
  readonly bookStage: BookStage;
  /** In compute.mode pool the books are on the shards: this hands them the messages and takes their outboxes. */
  private poolBooks: PoolBookSide | undefined;
  /** Where the feeds' book messages go (after start: the pool's shards in pool mode, else this thread's books). */
  get bookInput(): BookInput {
    return this.poolBooks ?? this.bookStage.books;
  }
  /** The books' states and counters, wherever they are kept. */
  bookSummary(): BookSummary {
    return this.poolBooks?.summary() ?? this.bookStage.summary();
  }
  /** Asks the feed for a book's resync (a REST snapshot or a resubscribe); set by whoever runs the feeds. */
  resyncBook?: (venue: string, symbol: string) => void;
  private readonly printer: LinePrinter;
  /** The kill switch (file watch and operator commands: the control socket, daemon/control.ts). */
  killSwitch!: KillSwitch;
  private windowTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: EngineOptions) {
    this.cfg = opts.config;
    this.log = opts.log;
    this.stageTiming = opts.stageTiming ?? true;
    this.instance = opts.replay ? `${this.cfg.instance}-replay` : this.cfg.instance;
    this.printer = new LinePrinter(opts.out ?? process.stdout);
    this.bookStage = new BookStage({
      cfg: this.cfg.books,
      log: this.log,
      printLine: opts.print === 'books' ? (line) => this.printer.line(line) : undefined,
      printDepth: opts.bookDepth,
      toStrategies: (b, view) => this.compute.submitBook?.(b, view, this.bookFrameStartNs(b.tsRecvNs)),
      resync: (venue, symbol) => this.resyncBook?.(venue, symbol),
    });
    this.rewarm = new Rewarmer({
      cfg: this.cfg,
      log: this.log,
      compute: () => this.compute,
      symbols: () => this.market.symbols(),
      storeSettled: () => {
        const st = this.sinks?.storeStats();
        return st && st.stored + st.dropped;
      },
    });
  }

  /** Starts everything but the feeds, in dependency order. */
  async start(): Promise<void> {
    const cfg = this.cfg;
    useNativeKernels(!cfg.native.disabled);
    if (this.stageTiming) this.histograms.prepare(); // the first timed event pays no histogram load
    const k = kernels();
    this.log.info({ native: k.kind, reason: k.reason }, `indicator kernels: ${k.kind}`);
    await loadStrategyModules(cfg.strategies);
    buildStrategies(cfg.strategies); // validates parameters (and user modules) before anything connects
    const store = this.opts.store && redisConfigured(cfg.redis),
      persist = this.opts.persist && !!cfg.database.url;
    const sinkOpts = { store, persist, replay: !!this.opts.replay, instance: this.instance };
    const sinks = (this.sinks = await openSinks(cfg, sinkOpts, this.log));
    if (sinks) {
      if (this.stageTiming)
        sinks.onBatch = (kind, ms) => this.histograms.record(kind === 'redis' ? 'redis_batch' : 'db_batch', ms * 1e6);
      this.rewarm.storeHas(sinks.hasStore, sinks.hasStore && cfg.redis.storeQuotes);
      this.log.info({ mode: sinks.mode }, 'store and database writers started');
    }
    const bookSink: BookTopSink = {
      tops: sinks?.hasStore ? (list) => sinks.addBookTops(list) : undefined,
      snapshots: sinks?.hasPersist ? (list) => sinks.addBookSnapshots(list) : undefined,
      deltas: sinks?.hasPersist && cfg.books.deltas ? (list) => sinks.addBookDeltas(list) : undefined,
    };
    const seqFile = cfg.signals.seqFile || path.join(cfg.spool.dir, `${cfg.instance}.seq`);
    this.seq = this.opts.replay ? new CountingSeq() : new SeqAllocator(seqFile, 10_000, sinks?.seqFloor ?? 0);
    this.risk = new RiskGate(
      cfg.risk,
      this.market.view(
        (v, s) => this.staleness(v, s),
        (v, s) => (this.poolBooks ? this.poolBooks.live(v, s) : this.bookStage.live(v, s)),
      ),
    );
    this.killSwitch = new KillSwitch(this.risk, cfg.risk.killSwitchFile, this.log);

    const chosen = await choosePublishers({
      cfg,
      instance: this.instance,
      socket: this.opts.socket,
      printer: this.opts.print === 'signals' ? this.printer : undefined,
      sinks,
      lastSeq: () => this.seq.last,
      log: this.log,
    });
    this.signals = chosen.server;
    this.publishers.push(...chosen.list);
    for (const p of this.publishers) await p.start();
    if (this.signals) this.log.info({ socket: cfg.signals.socket }, 'signal socket listening');
    this.killSwitch.start();
    this.windowTimer = setInterval(() => this.histograms.rotate(), LATENCY_WINDOW_MS);
    this.windowTimer.unref();

    const sink: DraftSink = (d, e, r, rr, f, bl, sp) => this.emit(d, e, r, rr, f, bl, sp);
    const pool = cfg.compute.mode === 'pool' && this.opts.poolFactory;
    if (pool) {
      this.poolBooks = new PoolBookSide({
        opts: {
          cfg: cfg.books,
          tops: !!bookSink.tops,
          snapshots: !!bookSink.snapshots,
          deltas: !!bookSink.deltas,
          printDepth: this.opts.print === 'books' ? (this.opts.bookDepth ?? 10) : undefined,
        },
        log: this.log,
        sink: bookSink,
        printLine: this.opts.print === 'books' ? (line) => this.printer.line(line) : undefined,
        resync: (venue, symbol) => this.resyncBook?.(venue, symbol),
        submit: (m) => this.compute.submitBookMessage?.(m, this.bookFrameStartNs(m.tsRecvNs)),
      });
      this.compute = pool(cfg.strategies, sink, this.poolBooks);
    } else {
      if (sinks) this.bookStage.openTops(bookSink);
      this.compute = new InlineCompute(cfg.strategies, sink);
    }
    this.compute.onStrategyError = (strategy, venue, symbol, message) =>
      this.strategyFailed(strategy, venue, symbol, message);
    await this.compute.start();
    this.log.info({ mode: this.compute.mode }, 'compute started');
    if (cfg.redis.warmStart && sinks?.hasStore) this.warmedTicks = await this.rewarm.warmStart();
  }

  /** Where a book event's stage timing starts: its frame's receive time live, now in a replay. */
  private bookFrameStartNs(tsRecvNs: number): number {
    if (!this.stageTiming) return NaN;
    return this.opts.replay ? nowNs() : tsRecvNs;
  }

  /** A trade-id gap was detected just before this tick. */
  onGap(t: Tick): void {
    this.market.onGap(t);
  }

  /**
   * The hot path: one normalized tick. frameStartNs = when its frame was received (live) or read (replay); NaN
   * for a replayed tick whose stages are not timed (the replay driver samples them).
   */
  onTick(t: Tick, frameStartNs: number): void {
    this.ticks++;
    this.market.onTick(t);
    this.sinks?.addTick(t);
    this.rewarm.onLiveTick(t);
    if (this.opts.print === 'ticks') this.printer.line(JSON.stringify(tickToJson(t)));
    const timed = frameStartNs === frameStartNs;
    const before = timed ? nowNs() : 0;
    if (timed) this.histograms.record('recv_to_tick', before - frameStartNs);
    const offset = this.clockOffsetNs?.(t.venue);
    if (offset !== undefined && offset === offset) {
      const excess = t.tsRecvNs - t.tsExchNs - offset;
      if (excess > 0) this.histograms.record('exch_to_recv', excess);
    }
    this.compute.submit(t, frameStartNs);
    if (timed && this.compute.mode === 'inline') this.histograms.record('tick_to_indicators', nowNs() - before);
  }

  /** A draft from compute: risk gate, then number it and fan it out to every publisher. */
  private emit(
    d: SignalDraft,
    tsExchNs: number,
    tsRecvNs: number,
    tsRecvRemNs: number,
    frameStartNs: number,
    bookLive: boolean | undefined,
    spreadBps: number | undefined,
  ): void {
    const tsSignalNs = exactNowNs(),
      tsSignalRemNs = lastExactRemNs();
    const timed = frameStartNs === frameStartNs;
    if (timed && this.compute.mode === 'pool') this.histograms.record('tick_to_indicators', tsSignalNs - frameStartNs); // includes the hand-off to the worker
    if (this.risk.check(d, tsExchNs / 1e6, bookLive, spreadBps) !== undefined) return;
    const signal = signalOf(
      d,
      this.instance,
      this.seq.take(),
      tsExchNs,
      tsRecvNs,
      tsSignalNs,
      tsRecvRemNs,
      tsSignalRemNs,
    );
    this.emitted++;
    const timing = this.stageTiming;
    const built = timing ? nowNs() : 0;
    if (timing) this.histograms.record('indicators_to_signal', built - tsSignalNs);
    const pubs = this.publishers;
    for (let i = 0; i < pubs.length; i++) pubs[i]!.publish(signal);
    if (timing) {
      const written = nowNs();
      this.histograms.record('signal_to_socket', written - built);
      if (timed) this.histograms.record('recv_to_signal', written - frameStartNs);
    }
    this.onSignal?.(signal);
  }

  /** A strategy instance threw: it is disabled for that symbol, counted, and logged once per strategy. */
  private strategyFailed(strategy: string, venue: string, symbol: string, message: string): void {
    const n = (this.strategyErrors.get(strategy) ?? 0) + 1;
    this.strategyErrors.set(strategy, n);
    if (n === 1)
      this.log.error({ strategy, venue, symbol, err: message }, `strategy ${strategy} threw; its instance is disabled`);
  }

  /**
   * SIGHUP: strategy parameters, risk limits and user modules (a changed file is imported again), without
   * dropping connections. A module that fails to load, or parameters that fail, keep the running strategies
   * (the promise rejects saying why). Without modules the swap starts before this returns.
   */
  reload(cfg: ChristmasConfig): Promise<void> {
    const apply = () => {
      buildStrategies(cfg.strategies);
      this.risk.reload(cfg.risk);
      this.log.info({ strategies: cfg.strategies.map((s) => s.name) }, 'reloaded strategy parameters and risk limits');
      // With history in Redis the old strategies keep signalling until the new ones, re-computed off this thread,
      // take over; without it the new strategies start cold.
      if (this.sinks?.hasStore) this.rewarm.reload(cfg.strategies);
      else this.compute.reload(cfg.strategies);
    };
    if (!cfg.strategies.some((s) => s.module && s.enabled)) {
      apply();
      return Promise.resolve();
    }
    return loadStrategyModules(cfg.strategies).then(apply);
  }

  /** Drain in reverse start order: compute, publishers, then every buffer to Redis / the database / the spool. */
  async stop(deadlineMs: number): Promise<{ storeLeft: number; persistLeft: number }> {
    const end = Date.now() + deadlineMs;
    const left = () => Math.max(0, end - Date.now());
    this.killSwitch?.stop();
    clearInterval(this.windowTimer);
    await this.rewarm.stop(Math.min(left(), 3000));
    await this.compute?.flush(Math.min(left(), 2000)).catch(() => undefined);
    await this.compute?.stop().catch(() => undefined);
    this.printer.flush();
    this.bookStage.stop();
    for (const p of this.publishers) await p.stop('shutdown');
    const out = this.sinks ? await this.sinks.stop(Math.max(100, left() - 200)) : { storeLeft: 0, persistLeft: 0 };
    this.seq?.close();
    return out;
  }
}
