// Batches ticks, quotes, bars and signals into PostgreSQL/TimescaleDB off the hot path.
// Normal path: COPY (or a plain unnest insert) straight into the table — no conflict handling. If a batch
// hits the unique key (a replay after a crash or reconnect), that batch is re-sent as
// `insert ... on conflict do nothing`; spool replays always use it. A batch the database rejects for its
// data is bisected down to the bad rows, which go to a dead-letter file, and the rest lands.
// Database down or failing: batches are appended to the disk spool (fsync each) and drained in order
// once a probe succeeds; from then on new batches go to the database directly, beside the drain.
import pg from 'pg';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import type { Tick } from '../model/tick.js';
import type { Bar } from '../model/bar.js';
import type { Signal } from '../model/signal.js';
import { barRow, COLUMNS, copyText, signalRow, tickRow, unnestInsert, type Row, type TableName } from './rows.js';
import { encodeTicksBinary } from './binary.js';
import { partitionSql, type Flavor } from './schema.js';
import { readSpoolFile, Spool } from './spool.js';
import { silentLogger, type Logger } from '../telemetry/logger.js';

export interface PersistOptions {
  batchRows: number; batchAgeMs: number; useCopy: boolean; flavor: Flavor; instance: string;
  spoolDir: string; spoolMaxBytes: number; partitionDaysAhead: number;
}

export interface TableStats { rows: number; batches: number; copyBatches: number; conflictBatches: number; spooledRows: number; deadLetters: number }

const TABLE_NAMES: TableName[] = ['ticks', 'quotes', 'signals', 'bars_1s'];

type Item = Tick | Bar | Signal;

function isDataError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '42P10' || code === '54000');
}

export class PersistWriter {
  readonly spool: Spool;
  readonly stats: Record<TableName, TableStats>;
  /** Items as they came (ticks, bars, signals): nothing is formatted on the hot path. */
  private readonly buffers: Record<TableName, Item[]> = { ticks: [], quotes: [], signals: [], bars_1s: [] };
  private readonly firstAt: Record<TableName, number> = { ticks: 0, quotes: 0, signals: 0, bars_1s: 0 };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly tableBusy: Record<TableName, boolean> = { ticks: false, quotes: false, signals: false, bars_1s: false };
  private readonly busySince: Record<TableName, number> = { ticks: 0, quotes: 0, signals: 0, bars_1s: 0 };
  /** The batch each table has in flight, and whether a copy of it is already in the spool. */
  private readonly inFlightItems: Record<TableName, Item[] | undefined> = { ticks: undefined, quotes: undefined, signals: undefined, bars_1s: undefined };
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

  constructor(private readonly pool: pg.Pool, private readonly opts: PersistOptions, private readonly log: Logger = silentLogger) {
    this.spool = new Spool(opts.spoolDir, opts.spoolMaxBytes, log);
    this.deadLetterFile = path.join(opts.spoolDir, 'dead-letter.jsonl');
    this.stats = Object.fromEntries(TABLE_NAMES.map((t) => [t, { rows: 0, batches: 0, copyBatches: 0, conflictBatches: 0, spooledRows: 0, deadLetters: 0 }])) as Record<TableName, TableStats>;
    if (!this.spool.empty) { this.spooling = true; this.log.warn({ bytes: this.spool.bytes }, 'spool has batches from a previous run; draining them first'); }
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.floor(this.opts.batchAgeMs / 2)));
    this.timer.unref();
    if (this.spooling) this.startDrain();
  }

  /** Rows waiting in memory plus rows in the spool; age of the oldest buffered row. */
  lag(): { bufferedRows: number; oldestAgeMs: number; spoolBytes: number } {
    let rows = 0, oldest = 0;
    const now = Date.now();
    for (const t of TABLE_NAMES) { rows += this.buffers[t].length; if (this.buffers[t].length) oldest = Math.max(oldest, now - this.firstAt[t]); }
    return { bufferedRows: rows, oldestAgeMs: oldest, spoolBytes: this.spool.bytes };
  }

  addTick(t: Tick): void { this.add(t.kind === 'trade' ? 'ticks' : 'quotes', t); }
  addBar(b: Bar): void { this.add('bars_1s', b); }
  addSignal(s: Signal): void { this.add('signals', s); }

  private add(table: TableName, item: Item): void {
    const buf = this.buffers[table];
    if (buf.length === 0) this.firstAt[table] = Date.now();
    buf.push(item);
    if (buf.length >= this.opts.batchRows) this.flush(table);
  }

  /** Rows for the text paths (spool, unnest, bisecting): formatted only when needed. */
  private rowsOf(table: TableName, items: Item[]): Row[] {
    switch (table) {
      case 'ticks': case 'quotes': return (items as Tick[]).map(tickRow);
      case 'bars_1s': return (items as Bar[]).map(barRow);
      case 'signals': return (items as Signal[]).map((x) => signalRow(x, this.opts.instance));
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const t of TABLE_NAMES) if (this.buffers[t].length && now - this.firstAt[t] >= this.opts.batchAgeMs) this.flush(t);
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
      if (!this.spooling) this.log.warn({ table, stuckMs: Date.now() - this.busySince[table] }, 'database write stuck; spooling new batches to disk');
      this.spooling = true;
      // The stuck batch itself is copied to the spool too: if the process dies before the database answers,
      // the spool still has it; if it commits after all, the conflict-tolerant spool replay adds nothing.
      const stuck = this.inFlightItems[table];
      if (stuck) { this.inFlightItems[table] = undefined; this.toSpool(table, this.rowsOf(table, stuck)); }
      this.toSpool(table, this.rowsOf(table, items));
      return;
    }
    this.buffers[table] = [];
    if (this.spooling) { this.toSpool(table, this.rowsOf(table, items)); return; }
    this.tableBusy[table] = true;
    this.busySince[table] = Date.now();
    this.inFlightItems[table] = items;
    const p = this.writeBatch(table, items).finally(() => { this.tableBusy[table] = false; this.inFlightItems[table] = undefined; this.inFlight.delete(p); });
    this.inFlight.add(p);
  }

  /**
   * Appends in records of at most batchRows rows (the backlog of a stall's first second can be 20 times that):
   * a kill -9 in the middle of a write then tears one batch-sized record at most.
   */
  private toSpool(table: TableName, rows: Row[]): void {
    const size = Math.max(1, this.opts.batchRows);
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.length <= size ? rows : rows.slice(i, i + size);
      if (this.spool.append({ table, rows: chunk })) this.stats[table].spooledRows += chunk.length;
    }
    this.startDrain();
  }

  private async writeBatch(table: TableName, items: Item[]): Promise<void> {
    const started = performance.now();
    try {
      await this.ensureDays(table, items);
      try {
        if (this.opts.useCopy) { await this.copy(table, items); this.stats[table].copyBatches++; }
        else await this.query(unnestInsert(table, this.rowsOf(table, items), false));
      } catch (err) {
        if (!isDataError(err)) throw err;
        // Unique key hit (a replay) or a bad row: conflict-tolerant insert, bisecting bad rows out.
        this.stats[table].conflictBatches++;
        await this.insertTolerant(table, this.rowsOf(table, items));
      }
      this.stats[table].rows += items.length;
      this.stats[table].batches++;
      this.onBatch?.(table, performance.now() - started, items.length);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, table, rows: items.length }, 'database write failed; spooling to disk');
      this.spooling = true;
      this.toSpool(table, this.rowsOf(table, items));
    }
  }

  private async query(q: { text: string; values: unknown[] }): Promise<void> { await this.pool.query(q.text, q.values); }

  /** Ticks and quotes as binary COPY (no text formatting); bars and signals (low volume) as text COPY. */
  private async copy(table: TableName, items: Item[]): Promise<void> {
    const binary = table === 'ticks' || table === 'quotes';
    const payload = binary ? encodeTicksBinary(items as Tick[], table === 'ticks' ? 'trade' : 'quote') : copyText(this.rowsOf(table, items));
    const client = await this.pool.connect();
    // A checked-out client emits 'error' when its server dies; without a listener that would crash the process.
    const onError = (err: Error) => this.log.debug({ err: err.message, table }, 'database connection lost during COPY');
    client.on('error', onError);
    try {
      const stream = client.query(copyStreams.from(`copy ${table} (${COLUMNS[table].join(', ')}) from stdin${binary ? ' with (format binary)' : ''}`));
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
      if (!isDataError(err)) throw err;
      if (rows.length === 1) { this.deadLetter(table, rows[0]!, err as Error); return; }
      const mid = rows.length >> 1;
      await this.insertTolerant(table, rows.slice(0, mid));
      await this.insertTolerant(table, rows.slice(mid));
    }
  }

  private deadLetter(table: TableName, row: Row, err: Error): void {
    this.stats[table].deadLetters++;
    this.log.error({ table, err: err.message, code: (err as { code?: string }).code }, 'row rejected by the database; written to the dead-letter file');
    appendFileSync(this.deadLetterFile, JSON.stringify({ table, columns: COLUMNS[table], row, error: err.message, at: new Date().toISOString() }) + '\n');
  }

  /** Plain PostgreSQL: the daily partitions the items fall in (live batches). */
  private async ensureDays(table: TableName, items: Item[]): Promise<void> {
    if (this.opts.flavor !== 'postgres') return;
    const msOf = table === 'bars_1s' ? (x: Item) => (x as Bar).tsOpenMs : table === 'signals' ? (x: Item) => (x as Signal).tsNs / 1e6 : (x: Item) => (x as Tick).tsExchNs / 1e6;
    const days = new Set<number>();
    let lastDay = -1;
    for (const it of items) {
      const day = Math.floor(msOf(it) / 86_400_000);
      if (day !== lastDay) { days.add(day); lastDay = day; }
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
      try { await this.pool.query(partitionSql(t, dayMs)); } catch (err) {
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
    this.draining = this.drainLoop().finally(() => { this.draining = undefined; });
  }

  /** Probes the database and replays spool files in order; returns when the spool is empty. */
  private async drainLoop(): Promise<void> {
    while (!this.stopped) {
      try { await this.pool.query('select 1'); } catch { await new Promise((r) => setTimeout(r, 500)); continue; }
      this.spool.rotate();
      // The database answers: live batches go straight to it again while the backlog drains beside them, in
      // its own order. Rows are keyed and the replay is conflict-tolerant, so the two streams need no ordering;
      // spooling live data behind the backlog could never catch up at high tick rates.
      this.spooling = false;
      const files = this.spool.files();
      if (files.length === 0) { this.log.info('spool drained; writing to the database directly'); return; }
      try {
        for (const f of files) {
          const { records, corrupt } = readSpoolFile(f);
          for (const c of corrupt) this.log.error({ file: f, offset: c.offset, why: c.why }, 'skipped a corrupt spool record');
          for (const rec of records) {
            await this.ensurePartitions(rec.rows);
            await this.insertTolerant(rec.table, rec.rows);
            this.stats[rec.table].rows += rec.rows.length;
            this.stats[rec.table].batches++;
          }
          this.spool.remove(f);
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'spool drain interrupted; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** SIGTERM: every buffered row reaches the database or the spool before the deadline. */
  async drain(deadlineMs: number): Promise<{ left: number }> {
    const end = Date.now() + deadlineMs;
    clearInterval(this.timer);
    for (const t of TABLE_NAMES) { this.tableBusy[t] = false; this.flush(t); }
    while (this.inFlight.size > 0 && Date.now() < end) await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 50))]);
    if (this.draining) await Promise.race([this.draining, new Promise((r) => setTimeout(r, Math.max(0, end - Date.now())))]);
    // A drain loop still probing a database that is down ends here (the spool keeps its files for the next start);
    // left running, its probes would keep a finished `replay` alive for ever.
    this.stopped = true;
    // Whatever could not reach the database in time is made durable in the spool.
    let left = 0;
    for (const t of TABLE_NAMES) { const items = this.buffers[t]; this.buffers[t] = []; if (items.length) { if (!this.spool.append({ table: t, rows: this.rowsOf(t, items) })) left += items.length; } }
    this.spool.close();
    return { left };
  }
}
