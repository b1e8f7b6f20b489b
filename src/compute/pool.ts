// Pool compute mode: symbols are hashed to shards; each shard is one long-running Piscina task fed
// through its SharedArrayBuffer tick ring (never one run() per tick). Drafts come back through a shared
// draft ring (draft-ring.ts) that the main thread drains when Atomics.waitAsync wakes it, or right away
// when it is busy submitting ticks anyway; snapshots (rare) come on a MessagePort.
// A crashed shard task is restarted from its last snapshot; the ring still holds the ticks since that
// snapshot, so they are recomputed (their drafts suppressed up to what was already delivered).
// Book messages (depth streams) go through the same ring, so each symbol's books live on its shard in stream
// order with its ticks (book/book-ring.ts, book/shard-books.ts); a task that is stopped hands its books to the
// next one (SIGHUP, re-warm), and a crashed task's books are lost: that shard's books resync.
import { Piscina } from 'piscina';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Tick } from '../model/tick.js';
import type { StrategyConfig, ChristmasConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import type { Compute, DraftSink, StrategyErrorSink } from './compute.js';
import type { ComputeCore } from './core.js';
import {
  createRing,
  H_CONTROL,
  H_LAUNCHES,
  H_READ,
  H_SLEEPING,
  H_WRITE,
  WAKE_EVERY,
  writeSlot,
} from '../model/tick-ring.js';
import type { RealtimeFailedMessage, SnapshotMessage, ShardResult, ShardTask, StrategyErrorMessage } from './worker.js';
import { createDraftRing, DraftRingReader, D_WAITING, type DraftRingBuffers } from './draft-ring.js';
import { ArenaWriter, arenaFloatsOf, createArena } from '../book/book-ring.js';
import { copyMessage, type BookMessage } from '../book/message.js';
import type { BookOutbox, ShardBookOptions } from '../book/shard-books.js';
import type { BookSetState } from '../book/books.js';

type ShardMessage = SnapshotMessage | RealtimeFailedMessage | StrategyErrorMessage | BookOutbox;

/** An event waiting for ring room, in order: a tick, or a (copied) book message. */
type Queued =
  { t: Tick; m?: undefined; f: number; idx: number } | { t?: undefined; m: BookMessage; f: number; idx: number };

/** The books side of the pool: what the shards keep, and where their outboxes go (book/pool-books.ts). */
export interface PoolBooks {
  opts: ShardBookOptions;
  onOutbox(shard: number, m: BookOutbox): void;
  /** A shard's task crashed: its books are gone, and it starts them again from resyncs. */
  onBooksLost(shard: number): void;
}

interface Shard {
  index: number;
  header: Int32Array;
  slots: Float64Array;
  ring: ReturnType<typeof createRing>;
  port: MessagePort;
  workerPort: MessagePort;
  /** workerPort went to a task already (a port is transferred once: each launch after the first takes a new one). */
  portSent: boolean;
  write: number;
  delivered: number;
  snapshot: Record<string, unknown> | undefined;
  snapshotAt: number;
  overflow: Queued[];
  running: Promise<ShardResult> | undefined;
  drafts: DraftRingBuffers;
  reader: DraftRingReader;
  /** [0] ns the shard spent computing, [1] sleeps that ended by timeout with ticks waiting (a missed wake-up). */
  counters: Float64Array;
  /** Ticks written since the shard was last woken. */
  unwoken: number;
  /** The shard was woken for this turn's first tick. */
  wokenThisTurn: boolean;
  /** The producer side of the shard's book-level arena (with depth books: bookSide). */
  arenaWriter: ArenaWriter | undefined;
  /** The books the last task handed over, and the ring position they are current to. */
  books: BookSetState | undefined;
  booksFrom: number;
}

/** Bytes of each shard's draft ring (drafts are ~200-400 bytes packed). */
const DRAFT_RING_BYTES = 4 << 20;

const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');

export class PoolCompute implements Compute {
  readonly mode = 'pool' as const;
  onStrategyError?: StrategyErrorSink;
  private readonly pool: Piscina;
  private readonly shards: Shard[] = [];
  private readonly symbolIdx = new Map<string, Map<string, { idx: number; shard: number }>>();
  private readonly names: Array<{ venue: string; symbol: string }> = [];
  private strategies: StrategyConfig[];
  private stopping = false;
  restarts = 0;
  /** Shard launches that could not take compute.realtimePriority. */
  realtimeFailures = 0;
  overflowed = 0;
  private readonly startedAt = Date.now();
  private drainTimer: NodeJS.Timeout | undefined;
  private turnScheduled = false;

  constructor(
    strategies: readonly StrategyConfig[],
    private readonly sink: DraftSink,
    private readonly log: Logger,
    private readonly workers: number,
    private readonly capacity: number,
    private readonly snapshotEvery = 4096,
    private readonly spinUs = 0,
    private readonly realtimePriority = 0,
    private readonly startTimeoutMs = 10_000,
    private readonly nativeAllowed = true,
    private readonly bookSide: PoolBooks | undefined = undefined,
  ) {
    this.strategies = cloneStrategies(strategies);
    this.pool = new Piscina({
      filename: workerFile,
      minThreads: workers,
      maxThreads: workers + 1,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
    });
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.workers; i++) {
      const ring = createRing(this.capacity);
      const { port1, port2 } = new MessageChannel();
      const drafts = createDraftRing(DRAFT_RING_BYTES);
      const header = new Int32Array(ring.header);
      const shard: Shard = {
        index: i,
        header,
        slots: new Float64Array(ring.slots),
        ring,
        port: port1,
        workerPort: port2,
        portSent: false,
        write: 0,
        delivered: 0,
        snapshot: undefined,
        snapshotAt: 0,
        overflow: [],
        running: undefined,
        drafts,
        reader: undefined as unknown as DraftRingReader,
        counters: new Float64Array(new SharedArrayBuffer(16)),
        unwoken: 0,
        wokenThisTurn: false,
        arenaWriter: this.bookSide ? new ArenaWriter(createArena(), header) : undefined,
        books: undefined,
        booksFrom: 0,
      };
      shard.reader = new DraftRingReader(drafts, (r) => {
        shard.delivered = r.at;
        this.sink(r.d, r.e, r.r, r.rr, r.f, r.bl, r.sp);
      });
      shard.reader.watch();
      port1.on('message', (m: ShardMessage) => this.onMessage(shard, m));
      port1.unref();
      this.shards.push(shard);
      this.launch(shard, 0, 0);
    }
    await Promise.all(this.shards.map((s) => this.untilRunning(s)));
  }

  /**
   * Resolves once the shard's first task runs (a Piscina thread takes tens of ms to start): ticks of a feed
   * connected before then would wait in the ring and open the latency record with a start-up spike. Past
   * startTimeoutMs it resolves anyway, with a warning; the shard computes what queued once it runs.
   */
  private async untilRunning(s: Shard): Promise<void> {
    const until = Date.now() + this.startTimeoutMs;
    while (Atomics.load(s.header, H_LAUNCHES) === 0) {
      const left = until - Date.now();
      if (left <= 0) {
        this.log.warn(
          { shard: s.index, waitedMs: this.startTimeoutMs },
          'compute shard has not started; ticks queue in its ring until it does',
        );
        return;
      }
      const w = Atomics.waitAsync(s.header, H_LAUNCHES, 0, left);
      if (w.async) await w.value;
    }
  }

  private launch(shard: Shard, startAt: number, suppressBefore: number): void {
    // A fresh port per launch: the old one went to the task before (ended, or died with it).
    if (shard.portSent) {
      const { port1, port2 } = new MessageChannel();
      shard.port.close();
      shard.port = port1;
      shard.workerPort = port2;
      port1.on('message', (m: ShardMessage) => this.onMessage(shard, m));
      port1.unref();
    }
    const task: ShardTask = {
      header: shard.ring.header,
      slots: shard.ring.slots,
      capacity: this.capacity,
      port: shard.workerPort,
      strategies: this.strategies,
      snapshot: shard.snapshot,
      startAt,
      suppressBefore,
      names: this.names.slice(),
      snapshotEvery: this.snapshotEvery,
      drafts: shard.drafts,
      counters: shard.counters.buffer as SharedArrayBuffer,
      spinUs: this.spinUs,
      realtimePriority: this.realtimePriority,
      nativeAllowed: this.nativeAllowed,
      books:
        this.bookSide && shard.arenaWriter
          ? { opts: this.bookSide.opts, arena: shard.arenaWriter.buffer, state: shard.books, from: shard.booksFrom }
          : undefined,
    };
    shard.books = undefined; // the task owns them now (and hands them back when it is stopped)
    shard.portSent = true;
    const p: Promise<ShardResult> = this.pool.run(task, { transferList: [shard.workerPort] as never });
    shard.running = p;
    p.then(
      (r) => {
        shard.books = r.books;
        shard.booksFrom = r.read;
      },
      (err: Error) => {
        if (this.stopping) return;
        this.restarts++;
        const lostTicks = (shard.write - shard.snapshotAt) | 0;
        this.log.error(
          { shard: shard.index, err: err.message, recomputeTicks: lostTicks },
          'compute worker crashed; restarting the shard from its last snapshot',
        );
        Atomics.store(shard.header, H_CONTROL, 0);
        // Drafts the dead task already wrote are delivered now, so the relaunch suppresses exactly those.
        shard.reader.drain();
        this.takeMessages(shard);
        Atomics.store(shard.reader.header, D_WAITING, 0);
        // Its books died with it: the next task skips the book messages queued so far and starts them again.
        if (shard.arenaWriter) {
          shard.books = undefined;
          shard.booksFrom = shard.write;
          shard.arenaWriter.reset();
          this.bookSide?.onBooksLost(shard.index);
        }
        this.launch(shard, shard.snapshotAt, shard.delivered);
      },
    );
  }

  /** Handles what the shard's port holds now (a task that ended: its last outbox), without waiting a turn. */
  private takeMessages(shard: Shard): void {
    for (let m = receiveMessageOnPort(shard.port); m; m = receiveMessageOnPort(shard.port))
      this.onMessage(shard, m.message as ShardMessage);
  }

  private onMessage(shard: Shard, m: ShardMessage): void {
    if (m.type === 'books') {
      this.bookSide?.onOutbox(shard.index, m);
      return;
    }
    if (m.type === 'strategy-error') {
      this.onStrategyError?.(m.strategy, m.venue, m.symbol, m.message);
      return;
    }
    if (m.type === 'realtime-failed') {
      this.realtimeFailures++;
      this.log.warn(
        { shard: shard.index, priority: this.realtimePriority, reason: m.reason },
        'compute.realtimePriority: the shard thread could not take SCHED_FIFO; it runs under the normal scheduler',
      );
      return;
    }
    shard.snapshot = m.state;
    shard.snapshotAt = m.at;
    if (shard.overflow.length) this.drainOverflow(shard);
  }

  private locate(venue: string, symbol: string): { idx: number; shard: number } {
    let byVenue = this.symbolIdx.get(venue);
    if (!byVenue) {
      byVenue = new Map();
      this.symbolIdx.set(venue, byVenue);
    }
    let e = byVenue.get(symbol);
    if (!e) {
      const key = `${venue}:${symbol}`;
      let h = 2166136261;
      for (let i = 0; i < key.length; i++) {
        h ^= key.charCodeAt(i);
        h = Math.imul(h, 16777619);
      }
      e = { idx: this.names.length, shard: (h >>> 0) % this.shards.length };
      this.names.push({ venue, symbol });
      byVenue.set(symbol, e);
      const s = this.shards[e.shard]!;
      s.port.postMessage({ type: 'register', idx: e.idx, venue, symbol });
    }
    return e;
  }

  /** Book messages that can never fit a shard's level arena (dropped). */
  booksTooLarge = 0;

  /** A book message to its symbol's shard, in order with the symbol's ticks (copied into the ring's arena). */
  submitBookMessage(m: BookMessage, frameStartNs: number): void {
    const e = this.locate(m.venue, m.symbol);
    const s = this.shards[e.shard]!;
    const w = s.arenaWriter;
    if (w === undefined) return; // no depth streams were configured: nothing would keep the book
    const floats = arenaFloatsOf(m);
    if (w.tooLarge(floats)) {
      this.booksTooLarge++;
      return;
    }
    if (s.overflow.length > 0 || !this.ringHasRoom(s) || !w.fits(floats)) {
      s.overflow.push({ m: copyMessage(m), f: frameStartNs, idx: e.idx });
      this.overflowed++;
      this.scheduleOverflowDrain();
      return;
    }
    this.putBook(s, m, e.idx, frameStartNs);
    if (s.reader.pending()) s.reader.drain();
  }

  /** A slot is free: room is counted from the last snapshot, so a crashed shard can recompute from there. */
  private ringHasRoom(s: Shard): boolean {
    return ((s.write - s.snapshotAt) | 0) < this.capacity - 1;
  }

  private scheduleOverflowDrain(): void {
    if (this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = undefined;
      for (const sh of this.shards) this.drainOverflow(sh);
      if (this.shards.some((sh) => sh.overflow.length > 0)) this.scheduleOverflowDrain();
    }, 1);
  }

  submit(t: Tick, frameStartNs: number): void {
    const e = this.locate(t.venue, t.symbol);
    const s = this.shards[e.shard]!;
    if (s.overflow.length > 0 || !this.ringHasRoom(s)) {
      s.overflow.push({ t, f: frameStartNs, idx: e.idx });
      this.overflowed++;
      this.scheduleOverflowDrain();
      return;
    }
    this.put(s, t, e.idx, frameStartNs);
    // Busy main thread: collect finished drafts now instead of waiting for the waitAsync wake-up.
    if (s.reader.pending()) s.reader.drain();
  }

  /**
   * Runs once per turn in which ticks were written (a microtask, so after the whole socket read that carried
   * them): wakes each shard that got ticks after the turn's first one and may have fallen asleep again (a
   * futex wake is a syscall of several µs, so not once per tick), then, with compute.spinUs > 0, waits for
   * the turn's drafts here (bounded), so the main thread does not go to sleep and pay a wake-up to collect them.
   */
  private readonly afterTurn = (): void => {
    this.turnScheduled = false;
    for (const s of this.shards) {
      s.wokenThisTurn = false;
      if (s.unwoken > 0) this.wake(s);
    }
    if (this.spinUs <= 0) return;
    const until = performance.now() + this.spinUs / 1000;
    for (;;) {
      let caughtUp = true;
      // Progress first, then the drafts: a worker commits a tick's drafts before it publishes its read position.
      for (const s of this.shards) if (this.behind(s)) caughtUp = false;
      for (const s of this.shards) if (s.reader.pending()) s.reader.drain();
      if (caughtUp || performance.now() >= until) return;
    }
  };

  private put(s: Shard, t: Tick, idx: number, f: number): void {
    writeSlot(s.slots, s.write, this.capacity, t, idx, f);
    this.published(s);
  }

  private putBook(s: Shard, m: BookMessage, idx: number, f: number): void {
    s.arenaWriter!.write(s.slots, s.write, this.capacity, m, idx, f);
    this.published(s);
  }

  /** The slot just written becomes visible to the shard, which is woken as the policy below says. */
  private published(s: Shard): void {
    s.write = (s.write + 1) | 0;
    // A shard that sleeps now re-checks H_WRITE after declaring it, and one that declared it before this
    // store is woken here (the turn's first tick) or by afterTurn: no tick waits for the wait's timeout.
    // A long turn (a socket read carrying many frames) also wakes the shard every WAKE_EVERY ticks, so the
    // worker computes alongside instead of waiting for the whole read to be parsed.
    Atomics.store(s.header, H_WRITE, s.write);
    if (!s.wokenThisTurn) {
      s.wokenThisTurn = true;
      this.wake(s);
    } // the turn's first tick: at once, before the rest of the read and the socket writes
    else if (++s.unwoken >= WAKE_EVERY) this.wake(s);
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      queueMicrotask(this.afterTurn);
    }
  }

  private wake(s: Shard): void {
    s.unwoken = 0;
    if (Atomics.load(s.header, H_SLEEPING) === 1) Atomics.notify(s.header, H_WRITE, 1);
  }

  private drainOverflow(s: Shard): void {
    while (s.overflow.length && this.ringHasRoom(s)) {
      const o = s.overflow[0]!;
      if (o.m !== undefined) {
        if (!s.arenaWriter!.fits(arenaFloatsOf(o.m))) break;
        this.putBook(s, o.m, o.idx, o.f);
      } else this.put(s, o.t, o.idx, o.f);
      s.overflow.shift();
    }
  }

  reload(strategies: readonly StrategyConfig[]): void {
    // Workers pick up new parameters by restarting their shard tasks with fresh state.
    this.strategies = cloneStrategies(strategies);
    for (const s of this.shards) {
      s.snapshot = undefined;
      Atomics.store(s.header, H_CONTROL, 1);
      Atomics.notify(s.header, H_WRITE, 1);
    }
    const relaunch = async () => {
      for (const s of this.shards) {
        await s.running?.catch(() => undefined);
        s.reader.drain();
        this.takeMessages(s);
        Atomics.store(s.header, H_CONTROL, 0);
        const at = Atomics.load(s.header, H_READ);
        s.snapshotAt = at;
        s.running = undefined;
        this.launch(s, at, at);
      }
    };
    void relaunch();
  }

  /**
   * Re-computed state in: waits (up to 2 s) until every shard has computed what was submitted, builds the new
   * state right then, stops the old tasks and relaunches each shard at that ring position with its part of the
   * state. Ticks an old task computed after that moment already signalled: the new task recomputes them with
   * their drafts suppressed, so every tick signals once. Past 2 s of lag it swaps anyway; ticks still
   * unread by the old task at that moment then get no signal (logged).
   */
  async adopt(strategies: readonly StrategyConfig[], build: () => ComputeCore): Promise<void> {
    const caughtUp = () => !this.shards.some((s) => this.behind(s));
    const until = Date.now() + 2000;
    while (!caughtUp() && Date.now() < until) {
      for (const s of this.shards) s.reader.drain();
      await new Promise((r) => setTimeout(r, 1));
    }
    const lagging = this.shards.reduce(
      (a, s) => a + ((s.write - Atomics.load(s.header, H_READ)) | 0) + s.overflow.length,
      0,
    );
    // From here to the relaunch bookkeeping nothing yields: the cut positions and the built state agree.
    const state = build().snapshot();
    this.strategies = cloneStrategies(strategies);
    const cut = this.shards.map((s) => s.write);
    for (const s of this.shards) {
      s.snapshotAt = s.write;
      s.snapshot = this.stateOf(s.index, state);
      Atomics.store(s.header, H_CONTROL, 1);
      Atomics.notify(s.header, H_WRITE, 1);
    }
    if (lagging > 0)
      this.log.warn({ ticks: lagging }, 'reload: compute was behind at the swap; those ticks get no signal');
    await Promise.all(
      this.shards.map(async (s, i) => {
        const finalRead = await (s.running ?? Promise.resolve({ read: cut[i]! })).then(
          (r) => (r as ShardResult).read,
          () => cut[i]!,
        );
        s.reader.drain();
        this.takeMessages(s);
        Atomics.store(s.header, H_CONTROL, 0);
        const from = cut[i]!;
        this.launch(s, from, ((finalRead - from) | 0) > 0 ? finalRead : from);
      }),
    );
  }

  /** True while the shard has submitted ticks it has not computed yet. */
  private behind(s: Shard): boolean {
    return s.overflow.length > 0 || Atomics.load(s.header, H_READ) !== s.write;
  }

  /** The part of a ComputeCore snapshot whose symbols live on this shard (symbols not seen yet are placed now). */
  private stateOf(shard: number, state: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(state)) {
      const i = k.indexOf(':');
      if (this.locate(k.slice(0, i), k.slice(i + 1)).shard === shard) out[k] = v;
    }
    return out;
  }

  /** Test hook: make one shard's task throw. */
  injectCrash(shard = 0): void {
    Atomics.store(this.shards[shard]!.header, H_CONTROL, 2);
    Atomics.notify(this.shards[shard]!.header, H_WRITE, 1);
  }

  async flush(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    // Computed = the worker's read position has reached what was written (its drafts are in the draft ring by then).
    // The first 50 ms check every turn (a replay's end waits for the last batch, not for a timer), then every 2 ms.
    const spinUntil = Date.now() + 50;
    while (Date.now() < end && this.shards.some((s) => this.behind(s))) {
      for (const s of this.shards) s.reader.drain();
      await new Promise((r) => (Date.now() < spinUntil ? setImmediate(r) : setTimeout(r, 2)));
    }
    for (const s of this.shards) {
      s.reader.drain();
      this.takeMessages(s);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.drainTimer);
    for (const s of this.shards) {
      Atomics.store(s.header, H_CONTROL, 1);
      Atomics.notify(s.header, H_WRITE, 1);
    }
    await Promise.all(this.shards.map((s) => s.running?.catch(() => undefined)));
    for (const s of this.shards) {
      s.reader.drain();
      this.takeMessages(s);
      s.reader.close();
      s.port.close();
    }
    await this.pool.destroy();
  }

  stats() {
    const elapsedNs = (Date.now() - this.startedAt) * 1e6 * Math.max(1, this.shards.length);
    const busy = this.shards.reduce((a, s) => a + s.counters[0]!, 0);
    const lateWakes = this.shards.reduce((a, s) => a + s.counters[1]!, 0);
    return { workerUtilization: elapsedNs > 0 ? Math.min(1, busy / elapsedNs) : 0, restarts: this.restarts, lateWakes };
  }
}

export function makePoolFactory(cfg: ChristmasConfig, log: Logger) {
  return (strategies: readonly StrategyConfig[], sink: DraftSink, books?: PoolBooks): Compute =>
    new PoolCompute(
      strategies,
      sink,
      log,
      cfg.compute.workers,
      cfg.compute.ringSlots,
      4096,
      cfg.compute.spinUs,
      cfg.compute.realtimePriority,
      10_000,
      !cfg.native.disabled,
      books,
    );
}

/** A private copy of the strategy configs (the pool keeps them across relaunches; callers may reuse theirs). */
function cloneStrategies(strategies: readonly StrategyConfig[]): StrategyConfig[] {
  return strategies.map((s) => ({ ...s, params: { ...s.params }, symbols: [...s.symbols] }));
}
