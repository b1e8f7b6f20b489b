// `io.mode: thread`: the Redis store and the database writer run in one worker thread (io-worker.ts). The
// main thread writes each tick into a SharedArrayBuffer ring (model/tick-ring.ts slots: ~20 ns, no message, no
// wake-up); the worker polls the ring every millisecond while ticks flow and runs the same WriterSet as
// inline mode. Signals (rare) go over postMessage, batched per turn. A full ring never blocks the hot path:
// ticks wait in an in-memory overflow, in order. A worker that dies is restarted on the same ring (what it
// had read but not flushed is lost and logged); stats come back every 200 ms for metrics and /health.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ChristmasConfig } from '../config/types.js';
import type { Tick } from '../model/tick.js';
import type { Signal } from '../model/signal.js';
import type { BookDelta, BookTop } from '../model/book-top.js';
import type { Logger } from '../telemetry/logger.js';
import type { Flavor } from '../persist/schema.js';
import { SchemaVersionError, ThreadError } from '../model/errors.js';
import { createRing, H_READ, H_WRITE, writeSlot, type RingBuffers } from '../model/tick-ring.js';
import type { PersistStats, SinkOptions, Sinks, StoreStats } from './writers.js';
import type { TableStats } from '../persist/writer.js';
import type { TableName } from '../persist/rows.js';
import type { FromIoWorker, IoWorkerData, IoWorkerStats, ToIoWorker } from './worker.js';

const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.js');
const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

export class ThreadSinks implements Sinks {
  readonly mode = 'thread' as const;
  flavor: Flavor | undefined;
  seqFloor = 0;
  hasStore = false;
  hasPersist = false;
  onBatch?: (kind: 'redis' | 'db', ms: number) => void;
  /** Worker restarts after a crash. */
  restarts = 0;
  private worker!: Worker;
  private readonly ring: RingBuffers;
  private readonly header: Int32Array;
  private readonly slots: Float64Array;
  private write = 0;
  private readonly names = new Map<string, Map<string, number>>();
  private readonly nameList: Array<{ venue: string; symbol: string }> = [];
  /** The last tick's symbol and its index: consecutive ticks of one symbol skip the map lookups. */
  private lastVenue = '';
  private lastSymbol = '';
  private lastIdx = -1;
  private readonly overflow: Tick[] = [];
  private readonly overflowIdx: number[] = [];
  private overflowTimer: NodeJS.Timeout | undefined;
  private signals: Signal[] = [];
  private signalsScheduled = false;
  private stats: IoWorkerStats = { store: undefined, persist: undefined, redisStatus: undefined };
  private stopping = false;
  private drained: ((r: { storeLeft: number; persistLeft: number }) => void) | undefined;
  /** Counters of the workers that exited (foldCounters), added to the running worker's. */
  private readonly storeBase = { stored: 0, dropped: 0, errors: 0, batches: 0 };
  private readonly tableBase: Record<string, TableStats> = {};
  private readonly droppedBase: Record<string, number> = {};

  private constructor(
    private readonly cfg: ChristmasConfig,
    private readonly opts: SinkOptions,
    private readonly log: Logger,
  ) {
    this.ring = createRing(cfg.io.ringSlots);
    this.header = new Int32Array(this.ring.header);
    this.slots = new Float64Array(this.ring.slots);
  }

  /** Starts the worker and waits until its writers are open (migrations done), as inline mode does. */
  static async open(cfg: ChristmasConfig, opts: SinkOptions, log: Logger): Promise<ThreadSinks> {
    const s = new ThreadSinks(cfg, opts, log);
    await s.startWorker();
    return s;
  }

  private startWorker(): Promise<void> {
    const data: IoWorkerData = {
      config: this.cfg,
      opts: this.opts,
      ring: this.ring,
      names: this.nameList,
      logLevel: (this.log as { level?: string }).level ?? 'info',
    };
    const worker = new Worker(workerFile, { workerData: data });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: FromIoWorker) => {
        switch (m.type) {
          case 'ready':
            ready = true;
            this.flavor = m.flavor;
            this.seqFloor = m.seqFloor;
            this.hasStore = m.hasStore;
            this.hasPersist = m.hasPersist;
            this.stats = m.stats;
            resolve();
            break;
          case 'fatal':
            reject(
              m.code === 'E_SCHEMA_VERSION'
                ? new SchemaVersionError(m.found ?? NaN, m.known ?? NaN)
                : new ThreadError(m.message, m.code, m.retryable),
            );
            break;
          case 'log':
            this.relayLog(m.line);
            break;
          case 'stats':
            this.takeStats(m.stats, m.batches);
            break;
          case 'drained':
            this.takeStats(m.stats, m.batches);
            this.drained?.({ storeLeft: m.storeLeft, persistLeft: m.persistLeft });
            break;
        }
      });
      worker.on('error', (err) => {
        if (!ready) {
          reject(err);
          return;
        }
        this.log.error(
          { err: err.message },
          'io thread failed; restarting it on the same ring (ticks it had read but not flushed are lost)',
        );
      });
      worker.on('exit', (code) => {
        if (!ready || this.stopping) return;
        this.restarts++;
        this.foldCounters();
        this.log.error({ code, restarts: this.restarts }, 'io thread exited; restarting');
        this.startWorker().catch((err: Error) => this.log.error({ err: err.message }, 'io thread restart failed'));
      });
    });
  }

  private relayLog(line: string): void {
    try {
      const {
        level,
        msg,
        time: _t,
        pid: _p,
        hostname: _h,
        name: _n,
        ...rest
      } = JSON.parse(line) as Record<string, unknown>;
      const fn = LEVELS[Number(level)] ?? 'info';
      this.log[fn]({ ...rest, thread: 'io' }, String(msg ?? ''));
    } catch {
      /* not a log line */
    }
  }

  private takeStats(stats: IoWorkerStats, batches: { redis: number[]; db: number[] }): void {
    this.stats = stats;
    if (this.onBatch) {
      for (const ms of batches.redis) this.onBatch('redis', ms);
      for (const ms of batches.db) this.onBatch('db', ms);
    }
  }

  private indexOf(t: Tick): number {
    if (t.symbol === this.lastSymbol && t.venue === this.lastVenue) return this.lastIdx;
    let byVenue = this.names.get(t.venue);
    if (!byVenue) {
      byVenue = new Map();
      this.names.set(t.venue, byVenue);
    }
    let idx = byVenue.get(t.symbol);
    if (idx === undefined) {
      idx = this.nameList.length;
      byVenue.set(t.symbol, idx);
      this.nameList.push({ venue: t.venue, symbol: t.symbol });
      // Posted before the first tick of this symbol is published; the worker waits for it if it reads ahead.
      this.post({ type: 'name', idx, venue: t.venue, symbol: t.symbol });
    }
    this.lastVenue = t.venue;
    this.lastSymbol = t.symbol;
    this.lastIdx = idx; // fields, not an object: no allocation per symbol switch
    return idx;
  }

  private post(m: ToIoWorker): void {
    this.worker.postMessage(m);
  }

  /** The hot path: one slot write and one atomic store; a full ring queues the tick in order. */
  addTick(t: Tick): void {
    const idx = this.indexOf(t);
    if (this.overflow.length === 0 && ((this.write - Atomics.load(this.header, H_READ)) | 0) < this.ring.capacity) {
      writeSlot(this.slots, this.write, this.ring.capacity, t, idx, 0);
      this.write = (this.write + 1) | 0;
      Atomics.store(this.header, H_WRITE, this.write);
      return;
    }
    this.overflow.push(t);
    this.overflowIdx.push(idx);
    this.overflowTimer ??= setTimeout(() => {
      this.overflowTimer = undefined;
      this.moveOverflow();
    }, 1);
  }

  /** Moves queued ticks into the ring as it frees up; true when none are left. */
  private moveOverflow(): boolean {
    let i = 0;
    const n = this.overflow.length;
    while (i < n && ((this.write - Atomics.load(this.header, H_READ)) | 0) < this.ring.capacity) {
      writeSlot(this.slots, this.write, this.ring.capacity, this.overflow[i]!, this.overflowIdx[i]!, 0);
      this.write = (this.write + 1) | 0;
      i++;
    }
    Atomics.store(this.header, H_WRITE, this.write);
    if (i > 0) {
      this.overflow.splice(0, i);
      this.overflowIdx.splice(0, i);
    }
    if (this.overflow.length > 0)
      this.overflowTimer ??= setTimeout(() => {
        this.overflowTimer = undefined;
        this.moveOverflow();
      }, 1);
    return this.overflow.length === 0;
  }

  /** Tests: make the io thread fail with an uncaught error. */
  crashForTest(): void {
    this.post({ type: 'crash' });
  }

  addBookTops(list: BookTop[]): void {
    if (this.hasStore) this.post({ type: 'book-tops', list });
  }

  addBookSnapshots(list: BookTop[]): void {
    if (this.hasPersist) this.post({ type: 'book-snapshots', list });
  }

  addBookDeltas(list: BookDelta[]): void {
    if (this.hasPersist) this.post({ type: 'book-deltas', list });
  }

  addSignal(s: Signal): void {
    if (!this.hasPersist) return;
    this.signals.push(s);
    if (!this.signalsScheduled) {
      this.signalsScheduled = true;
      setImmediate(() => this.sendSignals());
    }
  }

  private sendSignals(): void {
    this.signalsScheduled = false;
    if (this.signals.length === 0) return;
    const list = this.signals;
    this.signals = [];
    this.post({ type: 'signals', list });
  }

  /** Ticks not yet read by the worker (ring and overflow). */
  get unread(): number {
    return ((this.write - Atomics.load(this.header, H_READ)) | 0) + this.overflow.length;
  }

  /**
   * A worker that exits takes its counters with it: what it had counted is kept here and added to the next
   * worker's, so every counter the metrics publish stays monotonic across io-thread restarts.
   */
  private foldCounters(): void {
    const s = this.stats.store,
      p = this.stats.persist;
    if (s) for (const k of ['stored', 'dropped', 'errors', 'batches'] as const) this.storeBase[k] += s[k];
    if (p) {
      for (const [t, v] of Object.entries(p.tables)) {
        const b = (this.tableBase[t] ??= {
          rows: 0,
          batches: 0,
          copyBatches: 0,
          conflictBatches: 0,
          spooledRows: 0,
          deadLetters: 0,
          droppedRows: 0,
        });
        for (const k of Object.keys(b) as Array<keyof TableStats>) b[k] += v[k];
      }
      for (const [k, n] of Object.entries(p.dropped)) this.droppedBase[k] = (this.droppedBase[k] ?? 0) + n;
    }
    this.stats = { store: undefined, persist: undefined, redisStatus: undefined };
  }

  storeStats(): StoreStats | undefined {
    const s = this.stats.store;
    if (!s) return undefined;
    const b = this.storeBase;
    return {
      stored: s.stored + b.stored,
      dropped: s.dropped + b.dropped,
      errors: s.errors + b.errors,
      batches: s.batches + b.batches,
      backlog: s.backlog + this.unread,
    };
  }

  persistStats(): PersistStats | undefined {
    const p = this.stats.persist;
    if (!p) return undefined;
    const tables = { ...p.tables };
    for (const [t, b] of Object.entries(this.tableBase)) {
      const cur = tables[t as TableName];
      if (!cur) continue;
      const sum = { ...cur };
      for (const k of Object.keys(b) as Array<keyof TableStats>) sum[k] += b[k];
      tables[t as TableName] = sum;
    }
    const dropped = { ...p.dropped };
    for (const [k, n] of Object.entries(this.droppedBase)) dropped[k] = (dropped[k] ?? 0) + n;
    return { ...p, tables, dropped, bufferedRows: p.bufferedRows + this.unread };
  }

  redisStatus(): string | undefined {
    return this.stats.redisStatus;
  }

  /** Publishes what is queued, lets the worker read the ring to the end, drain its writers and exit. */
  async stop(deadlineMs: number): Promise<{ storeLeft: number; persistLeft: number }> {
    const end = Date.now() + deadlineMs;
    clearTimeout(this.overflowTimer);
    this.overflowTimer = undefined;
    while (!this.moveOverflow() && Date.now() < end) await new Promise((r) => setTimeout(r, 1));
    clearTimeout(this.overflowTimer);
    this.overflowTimer = undefined;
    this.sendSignals();
    this.stopping = true;
    const lost = this.overflow.length;
    const result = await new Promise<{ storeLeft: number; persistLeft: number }>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve({ storeLeft: this.stats.store?.backlog ?? 0, persistLeft: this.stats.persist?.bufferedRows ?? 0 }),
        Math.max(0, end - Date.now()) + 1000,
      );
      this.drained = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve({ storeLeft: this.stats.store?.backlog ?? 0, persistLeft: this.stats.persist?.bufferedRows ?? 0 });
      });
      this.post({ type: 'drain', deadlineMs: Math.max(100, end - Date.now() - 200), write: this.write });
    });
    await this.worker.terminate();
    return { storeLeft: result.storeLeft + lost, persistLeft: result.persistLeft + lost };
  }
}
