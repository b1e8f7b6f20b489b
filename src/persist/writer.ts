// Batches ticks, quotes, bars and signals into PostgreSQL/TimescaleDB off the hot path.
// Normal path: COPY (or a plain unnest insert) straight into the table — no conflict handling. If a batch
// hits the unique key (a replay after a crash or reconnect), that batch is re-sent as
// `insert ... on conflict do nothing`; spool replays always use it. A batch the database rejects for its
// data is bisected down to the bad rows, which go to a dead-letter file, and the rest lands.
// Database down or failing: batches are appended to the disk spool (fsync each) and drained in order, record by
// record, once a probe succeeds; from then on new batches go to the database directly, beside the drain. When
// the spool cannot take a batch (disk full, spool.maxBytes, a write error), its rows wait in a bounded memory
// buffer (spool.maxMemoryRows); past that the oldest are dropped, counted by table and reason, and logged once
// per episode. Nothing here throws into the io thread: a row that cannot be encoded, or that the database
// rejects, goes alone to the dead-letter file with its reason.
import pg from 'pg';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import type { Tick } from '../model/tick.js';
import type { Bar } from '../model/bar.js';
import type { Signal } from '../model/signal.js';
import type { BookDelta, BookTop } from '../model/book-top.js';
import {
  barRow,
  bookDeltaRow,
  bookRow,
  COLUMNS,
  copyText,
  signalRow,
  tickRow,
  unnestInsert,
  type Row,
  type TableName,
} from './rows.js';
import { encodeTicksBinary } from './binary.js';
import { partitionSql, type Flavor } from './schema.js';
import { spoolRecords, Spool, type AppendResult } from './spool.js';
import { silentLogger, type Logger } from '../telemetry/logger.js';
import { EncodeError } from '../model/errors.js';

export interface PersistOptions {
  batchRows: number;
  batchAgeMs: number;
  useCopy: boolean;
  flavor: Flavor;
  instance: string;
  spoolDir: string;
  spoolMaxBytes: number;
  partitionDaysAhead: number;
  /** Rows held in memory while the spool cannot take them; past this the oldest are dropped (counted). */
  maxHeldRows?: number;
}

export interface TableStats {
  rows: number;
  batches: number;
  copyBatches: number;
  conflictBatches: number;
  spooledRows: number;
  deadLetters: number;
  /** Rows lost because neither the database, the spool nor the memory buffer could take them. */
  droppedRows: number;
}

/** Why rows were dropped: the spool was full (spool.maxBytes), or its writes failed (disk full, I/O error). */
export type DropReason = 'spool-full' | 'spool-error';

/** The SQLSTATE of a server's answer, or of an encoder error that stands for one (EncodeError: 22003). */
const sqlStateOf = (err: unknown): string | undefined =>
  err instanceof EncodeError ? err.sqlState : (err as { code?: string }).code;

/** A server's answer about the statement or its data (not the connection, resources or a shutdown). */
function isServerAnswer(err: unknown): boolean {
  const code = sqlStateOf(err);
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58)/.test(code);
}

/** A row this process could not encode (a value out of range for its column): the row's fault, not the server's. */
function isEncodeError(err: unknown): boolean {
  return err instanceof RangeError || err instanceof TypeError;
}

const TABLE_NAMES: TableName[] = ['ticks', 'quotes', 'signals', 'bars_1s', 'book_snapshots', 'book_deltas'];

type Item = Tick | Bar | Signal | BookTop | BookDelta;

function isDataError(err: unknown): boolean {
  const code = sqlStateOf(err);
  return (
    typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '42P10' || code === '54000')
  );
}

export class PersistWriter {
  readonly spool: Spool;
  readonly stats: Record<TableName, TableStats>;
  /** Items as they came (ticks, bars, signals): nothing is formatted on the hot path. */
  private readonly buffers: Record<TableName, Item[]> = {
    ticks: [],
    quotes: [],
    signals: [],
    bars_1s: [],
    book_snapshots: [],
    book_deltas: [],
  };
  private readonly firstAt: Record<TableName, number> = {
    ticks: 0,
    quotes: 0,
    signals: 0,
    bars_1s: 0,
    book_snapshots: 0,
    book_deltas: 0,
  };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly tableBusy: Record<TableName, boolean> = {
    ticks: false,
    quotes: false,
    signals: false,
    bars_1s: false,
    book_snapshots: false,
    book_deltas: false,
  };
  private readonly busySince: Record<TableName, number> = {
    ticks: 0,
    quotes: 0,
    signals: 0,
    bars_1s: 0,
    book_snapshots: 0,
    book_deltas: 0,
  };
  /** The batch each table has in flight, and whether a copy of it is already in the spool. */
  private readonly inFlightItems: Record<TableName, Item[] | undefined> = {
    ticks: undefined,
    quotes: undefined,
    signals: undefined,
    bars_1s: undefined,
    book_snapshots: undefined,
    book_deltas: undefined,
  };
  /** Days (since the epoch) whose partitions exist. */
  private readonly knownDays = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  /** Set by drain(): the spool drain loop stops probing. */
  private stopped = false;
  private spooling = false;
  readonly deadLetterFile: string;
  /** Batch latency samples for telemetry. */
  onBatch?: (table: TableName, ms: number, rows: number) => void;
  /** Batches the spool could not take, oldest first, waiting in memory (bounded by maxHeldRows). */
  private readonly held: Array<{ table: TableName; rows: Row[]; copyOf?: Item[] }> = [];
  /** Stuck batches whose copy went to the spool path: the rows of that copy dropped so far, by drop key. */
  private readonly insured = new Map<Item[], Map<string, number>>();
  heldRows = 0;
  private readonly maxHeldRows: number;
  /** Rows dropped by table and reason (christmas_persist_dropped_rows_total{table,reason}). */
  readonly dropped = new Map<string, number>();
  /** The current episode of the spool refusing batches: why, and how many rows were dropped in it. */
  private refusal: { reason: DropReason; since: number; dropped: number } | undefined;
  private deadLetterFailures = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PersistOptions,
    private readonly log: Logger = silentLogger,
  ) {
    this.spool = new Spool(opts.spoolDir, opts.spoolMaxBytes, log);
    this.deadLetterFile = path.join(opts.spoolDir, 'dead-letter.jsonl');
    this.stats = Object.fromEntries(
      TABLE_NAMES.map((t) => [
        t,
        { rows: 0, batches: 0, copyBatches: 0, conflictBatches: 0, spooledRows: 0, deadLetters: 0, droppedRows: 0 },
      ]),
    ) as Record<TableName, TableStats>;
    this.maxHeldRows = opts.maxHeldRows ?? 500_000;
    if (!this.spool.empty) {
      this.spooling = true;
      this.log.warn({ bytes: this.spool.bytes }, 'spool has batches from a previous run; draining them first');
    }
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.floor(this.opts.batchAgeMs / 2)));
    this.timer.unref();
    if (this.spooling) this.startDrain();
  }

  /** Rows waiting in memory plus rows in the spool; age of the oldest buffered row. */
  lag(): { bufferedRows: number; oldestAgeMs: number; spoolBytes: number } {
    let rows = 0,
      oldest = 0;
    const now = Date.now();
    for (const t of TABLE_NAMES) {
      rows += this.buffers[t].length;
      if (this.buffers[t].length) oldest = Math.max(oldest, now - this.firstAt[t]);
    }
    return { bufferedRows: rows + this.heldRows, oldestAgeMs: oldest, spoolBytes: this.spool.bytes };
  }

  /** Set while the spool refuses batches (rows wait in memory, or are being dropped past its bound). */
  get spoolRefusal(): { reason: DropReason; detail: string; dropped: number } | undefined {
    const r = this.refusal;
    return r
      ? {
          reason: r.reason,
          detail:
            r.reason === 'spool-full' ? `spool at spool.maxBytes (${this.opts.spoolMaxBytes})` : this.spool.lastError,
          dropped: r.dropped,
        }
      : undefined;
  }

  addTick(t: Tick): void {
    this.add(t.kind === 'trade' ? 'ticks' : 'quotes', t);
  }
  addBar(b: Bar): void {
    this.add('bars_1s', b);
  }
  addSignal(s: Signal): void {
    this.add('signals', s);
  }
  addBookSnapshot(b: BookTop): void {
    this.add('book_snapshots', b);
  }
  addBookDelta(d: BookDelta): void {
    this.add('book_deltas', d);
  }

  private add(table: TableName, item: Item): void {
    const buf = this.buffers[table];
    if (buf.length === 0) this.firstAt[table] = Date.now();
    buf.push(item);
    if (buf.length >= this.opts.batchRows) this.flush(table);
  }

  /** Rows for the text paths (spool, unnest, bisecting), formatted only when needed; a row that cannot be
   * formatted goes to the dead-letter file alone and the rest are returned. */
  private rowsOf(table: TableName, items: Item[]): Row[] {
    const out: Row[] = [];
    for (const x of items) {
      try {
        out.push(
          table === 'ticks' || table === 'quotes'
            ? tickRow(x as Tick)
            : table === 'bars_1s'
              ? barRow(x as Bar)
              : table === 'book_snapshots'
                ? bookRow(x as BookTop)
                : table === 'book_deltas'
                  ? bookDeltaRow(x as BookDelta)
                  : signalRow(x as Signal, this.opts.instance),
        );
      } catch (err) {
        this.deadLetter(table, x, err as Error);
      }
    }
    return out;
  }

  private tick(): void {
    const now = Date.now();
    for (const t of TABLE_NAMES)
      if (this.buffers[t].length && now - this.firstAt[t] >= this.opts.batchAgeMs) this.flush(t);
  }

  private flush(table: TableName): void {
    const items = this.buffers[table];
    if (items.length === 0) return;
    if (this.tableBusy[table]) {
      // One batch per table in flight. If it has been stuck longer than a few batch ages (a paused or
      // overloaded server), new batches go to the durable spool instead of piling up in memory, so a
      // kill -9 loses at most the batch in flight.
      if (Date.now() - this.busySince[table] < Math.max(1000, this.opts.batchAgeMs * 20)) return;
      this.buffers[table] = [];
      if (!this.spooling)
        this.log.warn(
          { table, stuckMs: Date.now() - this.busySince[table] },
          'database write stuck; spooling new batches to disk',
        );
      this.spooling = true;
      // The stuck batch itself is copied to the spool too: if the process dies before the database answers,
      // the spool still has it; if it commits after all, the conflict-tolerant spool replay adds nothing.
      const stuck = this.inFlightItems[table];
      if (stuck) {
        this.inFlightItems[table] = undefined;
        this.insured.set(stuck, new Map());
        this.toSpool(table, this.rowsOf(table, stuck), stuck);
      }
      this.toSpool(table, this.rowsOf(table, items));
      return;
    }
    this.buffers[table] = [];
    if (this.spooling) {
      this.toSpool(table, this.rowsOf(table, items));
      return;
    }
    this.tableBusy[table] = true;
    this.busySince[table] = Date.now();
    this.inFlightItems[table] = items;
    const p = this.writeBatch(table, items).finally(() => {
      this.tableBusy[table] = false;
      this.inFlightItems[table] = undefined;
      this.inFlight.delete(p);
    });
    this.inFlight.add(p);
  }

  /**
   * Appends in records of at most batchRows rows (the backlog of a stall's first second can be 20 times that):
   * a kill -9 in the middle of a write then tears one batch-sized record at most. Batches the spool refuses wait
   * in memory behind any that already wait (order kept), bounded by maxHeldRows.
   */
  private toSpool(table: TableName, rows: Row[], copyOf?: Item[]): void {
    const size = Math.max(1, this.opts.batchRows);
    const spoolHeld = this.spoolHeld();
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.length <= size ? rows : rows.slice(i, i + size);
      if (spoolHeld && this.appendChunk(table, chunk) === 'ok') continue;
      this.hold(table, chunk, copyOf);
    }
    this.startDrain();
  }

  private appendChunk(table: TableName, rows: Row[]): AppendResult {
    const r = this.spool.append({ table, rows });
    if (r === 'ok') {
      this.stats[table].spooledRows += rows.length;
      return r;
    }
    if (!this.refusal) {
      this.refusal = { reason: r === 'full' ? 'spool-full' : 'spool-error', since: Date.now(), dropped: 0 };
      this.log.error(
        { table, reason: this.refusal.reason, detail: this.spoolRefusal!.detail, maxMemoryRows: this.maxHeldRows },
        'spool cannot take batches; holding rows in memory (the oldest are dropped past spool.maxMemoryRows)',
      );
    } else this.refusal.reason = r === 'full' ? 'spool-full' : 'spool-error';
    return r;
  }

  /** Moves waiting batches into the spool, oldest first; true when none wait. */
  private spoolHeld(): boolean {
    while (this.held.length > 0) {
      const h = this.held[0]!;
      if (this.appendChunk(h.table, h.rows) !== 'ok') return false;
      this.held.shift();
      this.heldRows -= h.rows.length;
    }
    this.endRefusal();
    return true;
  }

  private hold(table: TableName, rows: Row[], copyOf?: Item[]): void {
    this.held.push({ table, rows, copyOf });
    this.heldRows += rows.length;
    while (this.heldRows > this.maxHeldRows && this.held.length > 0) {
      const old = this.held.shift()!;
      this.heldRows -= old.rows.length;
      const key = this.countDropped(old.table, old.rows.length);
      const ins = old.copyOf && this.insured.get(old.copyOf);
      if (ins) ins.set(key, (ins.get(key) ?? 0) + old.rows.length);
    }
  }

  /**
   * The stuck batch a spool-path copy was made of has settled: committed (its copy is not needed, and whatever of
   * the copy was dropped was not lost after all) or failed (the copy stands for it).
   */
  private settleInsured(table: TableName, items: Item[], committed: boolean): void {
    const ins = this.insured.get(items);
    if (!ins) return;
    this.insured.delete(items);
    for (let i = this.held.length - 1; i >= 0; i--) {
      const h = this.held[i]!;
      if (h.copyOf !== items) continue;
      if (committed) {
        this.held.splice(i, 1);
        this.heldRows -= h.rows.length;
      } else h.copyOf = undefined;
    }
    if (!committed) return;
    for (const [key, n] of ins) {
      this.stats[table].droppedRows -= n;
      this.dropped.set(key, (this.dropped.get(key) ?? 0) - n);
      if (this.refusal) this.refusal.dropped -= n;
    }
  }

  private countDropped(table: TableName, n: number): string {
    const reason = this.refusal?.reason ?? 'spool-error';
    this.stats[table].droppedRows += n;
    const key = `${table}:${reason}`;
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + n);
    if (this.refusal) {
      if (this.refusal.dropped === 0)
        this.log.error(
          { table, reason, rows: n, maxMemoryRows: this.maxHeldRows },
          'DROPPING ROWS: database unreachable, spool refusing and the memory buffer full',
        );
      this.refusal.dropped += n;
    }
    return key;
  }

  private endRefusal(): void {
    if (!this.refusal) return;
    const r = this.refusal;
    this.refusal = undefined;
    this.log.warn(
      { reason: r.reason, droppedRows: r.dropped, forMs: Date.now() - r.since },
      'spool takes batches again',
    );
  }

  private async writeBatch(table: TableName, items: Item[]): Promise<void> {
    const started = performance.now();
    try {
      await this.ensureDays(table, items);
      try {
        if (this.opts.useCopy) {
          await this.copy(table, items);
          this.stats[table].copyBatches++;
        } else await this.query(unnestInsert(table, this.rowsOf(table, items), false));
      } catch (err) {
        if (!isDataError(err) && !isEncodeError(err)) throw err;
        // Unique key hit (a replay), a bad row, or a row the binary encoder refused: conflict-tolerant insert,
        // bisecting bad rows out.
        this.stats[table].conflictBatches++;
        await this.insertTolerant(table, this.rowsOf(table, items));
      }
      this.stats[table].rows += items.length;
      this.stats[table].batches++;
      this.onBatch?.(table, performance.now() - started, items.length);
      this.settleInsured(table, items, true);
    } catch (err) {
      this.spooling = true;
      if (this.insured.has(items)) {
        this.settleInsured(table, items, false);
        return;
      } // its copy is already on the spool path
      this.log.warn(
        { err: (err as Error).message, table, rows: items.length },
        'database write failed; spooling to disk',
      );
      this.toSpool(table, this.rowsOf(table, items));
    }
  }

  private async query(q: { text: string; values: unknown[] }): Promise<void> {
    await this.pool.query(q.text, q.values);
  }

  /** Ticks and quotes as binary COPY (no text formatting); bars and signals (low volume) as text COPY. */
  private async copy(table: TableName, items: Item[]): Promise<void> {
    const binary = table === 'ticks' || table === 'quotes';
    const payload = binary
      ? encodeTicksBinary(items as Tick[], table === 'ticks' ? 'trade' : 'quote')
      : copyText(this.rowsOf(table, items));
    const client = await this.pool.connect();
    // A checked-out client emits 'error' when its server dies; without a listener that would crash the process.
    const onError = (err: Error) => this.log.debug({ err: err.message, table }, 'database connection lost during COPY');
    client.on('error', onError);
    try {
      const stream = client.query(
        copyStreams.from(
          `copy ${table} (${COLUMNS[table].join(', ')}) from stdin${binary ? ' with (format binary)' : ''}`,
        ),
      );
      await pipeline(Readable.from([payload]), stream);
      client.off('error', onError);
      client.release();
    } catch (err) {
      client.release(isDataError(err) ? undefined : (err as Error));
      setImmediate(() => client.off('error', onError)); // errors emitted while the socket tears down
      throw err;
    }
  }

  /** `on conflict do nothing`; a data error splits the batch until the bad rows are alone (dead-lettered). */
  private async insertTolerant(table: TableName, rows: Row[]): Promise<void> {
    try {
      await this.query(unnestInsert(table, rows, true));
    } catch (err) {
      if (!isDataError(err) && !(rows.length === 1 && isServerAnswer(err))) throw err;
      if (rows.length === 1) {
        this.deadLetter(table, rows[0]!, err as Error);
        return;
      }
      const mid = rows.length >> 1;
      await this.insertTolerant(table, rows.slice(0, mid));
      await this.insertTolerant(table, rows.slice(mid));
    }
  }

  /** One row (formatted, or the item it could not be formatted from) and its reason, to the dead-letter file. */
  private deadLetter(table: TableName, row: Row | Item, err: Error): void {
    this.stats[table].deadLetters++;
    this.log.error(
      { table, err: err.message, code: (err as { code?: string }).code },
      'row rejected; written to the dead-letter file',
    );
    try {
      const safe = JSON.stringify(
        { table, columns: COLUMNS[table], row, error: err.message, at: new Date().toISOString() },
        (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
      );
      appendFileSync(this.deadLetterFile, safe + '\n');
    } catch (e) {
      if (this.deadLetterFailures++ === 0)
        this.log.error(
          { file: this.deadLetterFile, err: (e as Error).message },
          'cannot write the dead-letter file; rejected rows are only counted',
        );
    }
  }

  /** Plain PostgreSQL: the daily partitions the items fall in (live batches). */
  private async ensureDays(table: TableName, items: Item[]): Promise<void> {
    if (this.opts.flavor !== 'postgres') return;
    const msOf =
      table === 'bars_1s'
        ? (x: Item) => (x as Bar).tsOpenMs
        : table === 'signals'
          ? (x: Item) => (x as Signal).tsNs / 1e6
          : (x: Item) => (x as Tick | BookTop | BookDelta).tsExchNs / 1e6;
    const days = new Set<number>();
    let lastDay = -1;
    for (const it of items) {
      const day = Math.floor(msOf(it) / 86_400_000);
      if (day !== lastDay) {
        days.add(day);
        lastDay = day;
      }
    }
    await this.ensureDayNumbers(days);
  }

  /** Plain PostgreSQL: the daily partitions spooled rows fall in (row[0] is the ISO timestamp). */
  private async ensurePartitions(rows: Row[]): Promise<void> {
    if (this.opts.flavor !== 'postgres') return;
    const days = new Set<number>();
    for (const r of rows) days.add(Math.floor(Date.parse(`${(r[0] as string).slice(0, 10)}T00:00:00Z`) / 86_400_000));
    await this.ensureDayNumbers(days);
  }

  private async ensureDayNumbers(days: Set<number>): Promise<void> {
    for (const day of days) if (!this.knownDays.has(day)) await this.createDay(day * 86_400_000);
  }

  private async createDay(dayMs: number): Promise<void> {
    for (const t of TABLE_NAMES) {
      try {
        await this.pool.query(partitionSql(t, dayMs));
      } catch (err) {
        if ((err as { code?: string }).code !== '42P07') throw err; // raced with another writer: exists
      }
    }
    this.knownDays.add(Math.floor(dayMs / 86_400_000));
  }

  /** Creates today's and the next days' partitions (plain PostgreSQL). */
  async createPartitionsAhead(nowMs = Date.now()): Promise<void> {
    if (this.opts.flavor !== 'postgres') return;
    const today = nowMs - (nowMs % 86_400_000);
    for (let i = 0; i <= this.opts.partitionDaysAhead; i++) await this.createDay(today + i * 86_400_000);
  }

  private startDrain(): void {
    if (this.draining) return;
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
    });
  }

  /** Probes the database and replays spool files in order; returns when the spool is empty. */
  private async drainLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pool.query('select 1');
      } catch {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      this.spool.rotate();
      // The database answers: live batches go straight to it again while the backlog drains beside them, in
      // its own order. Rows are keyed and the replay is conflict-tolerant, so the two streams need no ordering;
      // spooling live data behind the backlog could never catch up at high tick rates.
      this.spooling = false;
      const files = this.spool.files();
      if (files.length === 0 && this.held.length === 0) {
        this.endRefusal();
        this.log.info('spool drained; writing to the database directly');
        return;
      }
      try {
        for (const f of files) {
          for (const it of spoolRecords(f)) {
            if ('corrupt' in it) {
              this.log.error(
                { file: f, offset: it.corrupt.offset, why: it.corrupt.why },
                'skipped a corrupt spool record',
              );
              continue;
            }
            await this.replayRecord(it.record.table, it.record.rows);
          }
          this.spool.remove(f);
        }
        // Batches the spool could not take go straight to the database now that it answers.
        while (this.held.length > 0) {
          const h = this.held[0]!;
          await this.replayRecord(h.table, h.rows);
          this.held.shift();
          this.heldRows -= h.rows.length;
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'spool drain interrupted; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * One spooled batch, conflict-tolerant. A statement the server refuses (a partition it cannot create, a row it
   * rejects) is retried row by row and the rows it still refuses are dead-lettered: a bad record never holds the
   * drain. Connection errors propagate (the drain retries later).
   */
  private async replayRecord(table: TableName, rows: Row[]): Promise<void> {
    try {
      await this.ensurePartitions(rows);
      await this.insertTolerant(table, rows);
    } catch (err) {
      if (!isServerAnswer(err) && !isEncodeError(err)) throw err;
      for (const row of rows) {
        try {
          await this.ensurePartitions([row]);
          await this.insertTolerant(table, [row]);
        } catch (e) {
          if (!isServerAnswer(e) && !isEncodeError(e)) throw e;
          this.deadLetter(table, row, e as Error);
        }
      }
    }
    this.stats[table].rows += rows.length;
    this.stats[table].batches++;
  }

  /** SIGTERM: every buffered row reaches the database or the spool before the deadline. */
  async drain(deadlineMs: number): Promise<{ left: number }> {
    const end = Date.now() + deadlineMs;
    clearInterval(this.timer);
    for (const t of TABLE_NAMES) {
      this.tableBusy[t] = false;
      this.flush(t);
    }
    while (this.inFlight.size > 0 && Date.now() < end)
      await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 50))]);
    if (this.draining)
      await Promise.race([this.draining, new Promise((r) => setTimeout(r, Math.max(0, end - Date.now())))]);
    // A drain loop still probing a database that is down ends here (the spool keeps its files for the next start);
    // left running, its probes would keep a finished `replay` alive for ever.
    this.stopped = true;
    // Whatever could not reach the database in time is made durable in the spool.
    let left = 0;
    this.spoolHeld();
    for (const t of TABLE_NAMES) {
      const items = this.buffers[t];
      this.buffers[t] = [];
      if (items.length && this.appendChunk(t, this.rowsOf(t, items)) !== 'ok') left += items.length;
    }
    left += this.heldRows;
    if (left > 0)
      this.log.error(
        { rows: left, reason: this.spoolRefusal?.detail },
        'rows neither in the database nor in the spool at shutdown',
      );
    this.spool.close();
    return { left };
  }
}
