// The I/O stage: every tick to the Redis store and the database (plus its 1 s bars), every signal to
// the database. `WriterSet` opens and runs the writers; it is the `inline` sinks (on the main thread) and
// the body of the `thread` sinks' worker (thread.ts, worker.ts), which takes their encoding, client work and syscalls
// off the main thread. Both modes run the same writer code and keep the same guarantees.
import pg from 'pg';
import type { ChristmasConfig } from '../config/types.js';
import type { Tick } from '../model/tick.js';
import type { Signal } from '../model/signal.js';
import type { BookDelta, BookTop } from '../model/book-top.js';
import type { Logger } from '../telemetry/logger.js';
import { connectRedis, type RedisClient } from '../store/connect.js';
import { redisConfigured } from '../store/configured.js';
import { TickStoreWriter } from '../store/writer.js';
import { migrate, detectFlavor } from '../persist/migrate.js';
import { PersistWriter, type TableStats } from '../persist/writer.js';
import type { Flavor } from '../persist/schema.js';
import type { TableName } from '../persist/rows.js';
import { SecondBars } from '../persist/second-bars.js';

export interface StoreStats {
  stored: number;
  dropped: number;
  backlog: number;
  errors: number;
  batches: number;
}
export interface PersistStats {
  tables: Record<TableName, TableStats>;
  bufferedRows: number;
  oldestAgeMs: number;
  spoolBytes: number;
  /** Rows dropped, by `table:reason`; rows waiting in memory for the spool; why the spool refuses, while it does. */
  dropped: Record<string, number>;
  heldRows: number;
  spoolRefusal?: { reason: string; detail: string; dropped: number };
}

export interface SinkOptions {
  store: boolean;
  persist: boolean;
  /** Replay runs persist under `<instance>-replay` and do not read the signal seq floor. */
  replay: boolean;
  instance: string;
}

/** Where ticks and signals go after the hot path; the engine holds one. */
export interface Sinks {
  readonly mode: 'inline' | 'thread';
  readonly flavor: Flavor | undefined;
  /** The highest signal seq the database holds for this instance (0 in replay or without a database). */
  readonly seqFloor: number;
  readonly hasStore: boolean;
  readonly hasPersist: boolean;
  addTick(t: Tick): void;
  addSignal(s: Signal): void;
  /** The latest top of each book that changed, for the Redis hash (a no-op without a store). */
  addBookTops(list: BookTop[]): void;
  /** Sampled book tops, for book_snapshots (a no-op without a database). */
  addBookSnapshots(list: BookTop[]): void;
  /** Raw applied book messages, for book_deltas (opt-in; a no-op without a database). */
  addBookDeltas(list: BookDelta[]): void;
  storeStats(): StoreStats | undefined;
  persistStats(): PersistStats | undefined;
  /** The Redis client's state (`ready`, `connecting`, ...), undefined without a store. */
  redisStatus(): string | undefined;
  /** Batch durations, for the redis_batch / db_batch histograms. */
  onBatch?: (kind: 'redis' | 'db', ms: number) => void;
  /** Ticks handed over and not yet read by the writers (the io thread's ring and overflow; 0 inline). */
  readonly unread: number;
  /** Restarts of the io thread (0 inline). */
  readonly restarts: number;
  /** Closes the open bars, flushes everything (to Redis, the database or the spool) and disconnects. */
  stop(deadlineMs: number): Promise<{ storeLeft: number; persistLeft: number }>;
}

/** The Redis store and the database writer of one engine, opened from its config. */
export class WriterSet implements Sinks {
  readonly mode = 'inline' as const;
  redis: RedisClient | undefined;
  store: TickStoreWriter | undefined;
  pgPool: pg.Pool | undefined;
  persist: PersistWriter | undefined;
  flavor: Flavor | undefined;
  seqFloor = 0;
  readonly unread = 0;
  readonly restarts = 0;
  onBatch?: (kind: 'redis' | 'db', ms: number) => void;
  private bars: SecondBars | undefined;

  private constructor(
    private readonly cfg: ChristmasConfig,
    private readonly opts: SinkOptions,
    private readonly log: Logger,
  ) {}

  get hasStore(): boolean {
    return this.store !== undefined;
  }
  get hasPersist(): boolean {
    return this.persist !== undefined;
  }

  /** Connects Redis (without waiting), migrates the database (or notes it unreachable) and starts the writers. */
  static async open(cfg: ChristmasConfig, opts: SinkOptions, log: Logger): Promise<WriterSet> {
    const w = new WriterSet(cfg, opts, log);
    if (opts.store && redisConfigured(cfg.redis)) {
      w.redis = connectRedis({
        url: cfg.redis.url,
        cluster: cfg.redis.cluster,
        clusterNodes: cfg.redis.clusterNodes,
        password: cfg.redis.password,
      });
      w.redis.on('error', (err: Error) => log.debug({ err: err.message }, 'redis error'));
      w.store = new TickStoreWriter(
        w.redis,
        {
          maxTicksPerSymbol: cfg.redis.maxTicksPerSymbol,
          maxAgeMs: cfg.redis.maxAgeMs,
          flushIntervalMs: cfg.redis.flushIntervalMs,
          maxBacklogTicks: cfg.redis.maxBacklogTicks,
          storeQuotes: cfg.redis.storeQuotes,
          pipelinePerSymbol: cfg.redis.cluster,
        },
        log,
      );
      w.store.onBatch = (ms) => w.onBatch?.('redis', ms);
    }
    if (opts.persist && cfg.database.url) await w.openDatabase();
    return w;
  }

  private async openDatabase(): Promise<void> {
    const cfg = this.cfg,
      log = this.log;
    // query_timeout is enforced by the client too: a stopped or unreachable server cannot time a query out.
    this.pgPool = new pg.Pool({
      connectionString: cfg.database.url,
      max: cfg.database.poolSize,
      statement_timeout: cfg.database.statementTimeoutMs,
      query_timeout: cfg.database.statementTimeoutMs + 1000,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    });
    this.pgPool.on('error', (err) => log.warn({ err: err.message }, 'postgres pool error'));
    try {
      const client = await this.pgPool.connect();
      try {
        if (cfg.database.migrateOnStart) {
          const r = await migrate(client, cfg.database);
          this.flavor = r.flavor;
          if (r.applied.length) log.info(r, 'database migrated');
        } else this.flavor = await detectFlavor(client);
        if (!this.opts.replay) {
          const m = await client
            .query<{ s: string | null }>('select max(seq) as s from signals where instance = $1', [this.opts.instance])
            .catch(() => ({ rows: [{ s: null }] }));
          this.seqFloor = Number(m.rows[0]?.s ?? 0);
        }
      } finally {
        client.release();
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'E_SCHEMA_VERSION') {
        await this.pgPool.end().catch(() => undefined);
        throw err;
      }
      log.warn(
        { err: (err as Error).message },
        'database unreachable at start; batches go to the spool until it returns',
      );
      this.flavor = 'postgres';
    }
    this.persist = new PersistWriter(
      this.pgPool,
      {
        batchRows: cfg.database.batchRows,
        batchAgeMs: cfg.database.batchAgeMs,
        useCopy: cfg.database.useCopy,
        flavor: this.flavor ?? 'postgres',
        instance: this.opts.instance,
        spoolDir: cfg.spool.dir,
        spoolMaxBytes: cfg.spool.maxBytes,
        maxHeldRows: cfg.spool.maxMemoryRows,
        partitionDaysAhead: cfg.database.partitionDaysAhead,
      },
      log,
    );
    this.persist.onBatch = (_t, ms) => this.onBatch?.('db', ms);
    const persist = this.persist;
    this.bars = new SecondBars((b) => persist.addBar(b));
    await this.persist
      .createPartitionsAhead()
      .catch((err: Error) => log.warn({ err: err.message }, 'could not create partitions ahead'));
    this.persist.start();
  }

  addTick(t: Tick): void {
    this.store?.add(t);
    const persist = this.persist;
    if (!persist) return;
    if (t.kind === 'trade') this.bars!.addTrade(t);
    persist.addTick(t);
  }

  addSignal(s: Signal): void {
    this.persist?.addSignal(s);
  }

  addBookTops(list: BookTop[]): void {
    this.store?.addBooks(list);
  }

  addBookSnapshots(list: BookTop[]): void {
    const p = this.persist;
    if (p) for (const b of list) p.addBookSnapshot(b);
  }

  addBookDeltas(list: BookDelta[]): void {
    const p = this.persist;
    if (p) for (const d of list) p.addBookDelta(d);
  }

  storeStats(): StoreStats | undefined {
    const s = this.store;
    return s
      ? { stored: s.stored, dropped: s.dropped, backlog: s.backlog, errors: s.errors, batches: s.batches }
      : undefined;
  }

  persistStats(): PersistStats | undefined {
    const p = this.persist;
    if (!p) return undefined;
    const lag = p.lag();
    return {
      tables: p.stats,
      bufferedRows: lag.bufferedRows,
      oldestAgeMs: lag.oldestAgeMs,
      spoolBytes: lag.spoolBytes,
      dropped: Object.fromEntries(p.dropped),
      heldRows: p.heldRows,
      spoolRefusal: p.spoolRefusal,
    };
  }

  redisStatus(): string | undefined {
    return this.redis?.status;
  }

  async stop(deadlineMs: number): Promise<{ storeLeft: number; persistLeft: number }> {
    this.bars?.closeAll(); // the last second is persisted too
    const [st, pe] = await Promise.all([
      this.store ? this.store.drain(deadlineMs) : Promise.resolve({ left: 0 }),
      this.persist ? this.persist.drain(deadlineMs) : Promise.resolve({ left: 0 }),
    ]);
    this.store?.close();
    if (this.redis) this.redis.disconnect();
    if (this.pgPool) await this.pgPool.end().catch(() => undefined);
    return { storeLeft: st.left, persistLeft: pe.left };
  }
}
