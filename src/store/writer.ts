// Batched Redis tick writer. `add` is O(1) and never awaits: ticks queue per symbol and are flushed once
// per event-loop turn (or every flushIntervalMs) as one variadic ZADD per symbol (encoded straight to RESP
// by resp.ts) plus the trims and the latest-quote hash, in one pipeline. While Redis is down or slow the queue is the backlog, bounded by
// maxBacklogTicks: beyond it the oldest ticks are dropped and counted. One batch is in flight at a time.
import type { Tick } from '../model/tick.js';
import type { RedisClient } from './connect.js';
import type { Pipeline } from 'ioredis';
import { encodeZadd } from './resp.js';
import { bookKey, lastKey, ticksKey } from './keys.js';
import type { BookTop } from '../model/book-top.js';
import { silentLogger, type Logger } from '../telemetry/logger.js';
import { StoreError } from '../model/errors.js';

export interface TickStoreOptions {
  maxTicksPerSymbol: number;
  maxAgeMs: number;
  flushIntervalMs: number;
  maxBacklogTicks: number;
  storeQuotes: boolean;
  /** One pipeline per symbol (required by Redis Cluster, whose pipelines must stay within one slot). */
  pipelinePerSymbol: boolean;
}

interface Pending {
  venue: string;
  symbol: string;
  ticks: Tick[];
  lastQuote: Tick | undefined;
  /** Ticks written since this symbol's last trim, and when that was (performance.now ms). */
  sinceTrim: number;
  lastTrimMs: number;
}

/** A symbol's share of one flush. */
interface BatchItem {
  venue: string;
  symbol: string;
  ticks: Tick[];
  lastQuote: Tick | undefined;
  trim: boolean;
}

/**
 * Trims run when a symbol has taken 1% of its cap since the last one, or 100 ms have passed: a set overshoots
 * its bounds by at most that, and small batches at high rates do not pay two trim commands each.
 */
const TRIM_SHARE = 0.01,
  TRIM_EVERY_MS = 100;

/** Members per ZADD command (bounds the scratch buffer and each command's size). */
const ZADD_CHUNK = 4096;
/** Ticks taken per flush: after an outage a large backlog drains as a series of bounded pipelines. */
const MAX_TICKS_PER_FLUSH = 65_536;

export class TickStoreWriter {
  /** Queues by venue then symbol (no per-tick key string on the hot path), and all of them in creation order. */
  private readonly index = new Map<string, Map<string, Pending>>();
  private readonly pending: Pending[] = [];
  backlog = 0;
  stored = 0;
  dropped = 0;
  batches = 0;
  errors = 0;
  lastBatchMs = 0;
  /** Batch latency samples for telemetry (set by the daemon). */
  onBatch?: (ms: number, ticks: number) => void;
  private scheduled = false;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly opts: TickStoreOptions,
    private readonly log: Logger = silentLogger,
  ) {}

  private queueOf(venue: string, symbol: string): Pending {
    let bySymbol = this.index.get(venue);
    if (!bySymbol) {
      bySymbol = new Map();
      this.index.set(venue, bySymbol);
    }
    let p = bySymbol.get(symbol);
    if (!p) {
      p = { venue, symbol, ticks: [], lastQuote: undefined, sinceTrim: 0, lastTrimMs: -Infinity };
      bySymbol.set(symbol, p);
      this.pending.push(p);
    }
    return p;
  }

  /** Latest book tops by key, written with the next batch (one HSET each). */
  private books = new Map<string, BookTop>();

  /** The newest top of each book; an older one not yet written is replaced. */
  addBooks(items: readonly BookTop[]): void {
    for (const b of items) this.books.set(bookKey(b.venue, b.symbol), b);
    this.booksPending = true;
    this.schedule();
  }
  private booksPending = false;

  add(t: Tick): void {
    if (t.kind === 'quote' && !this.opts.storeQuotes) return;
    const p = this.queueOf(t.venue, t.symbol);
    p.ticks.push(t);
    if (t.kind === 'quote') p.lastQuote = t;
    this.backlog++;
    if (this.backlog > this.opts.maxBacklogTicks) this.dropOldest(p);
    this.schedule();
  }

  /** Drops the oldest tick of the largest queue (bounded memory while Redis is away). */
  private dropOldest(hint: Pending): void {
    let victim = hint;
    for (const p of this.pending) if (p.ticks.length > victim.ticks.length) victim = p;
    if (victim.ticks.length === 0) return;
    victim.ticks.shift();
    this.backlog--;
    this.dropped++;
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    if (this.opts.flushIntervalMs > 0) this.timer = setTimeout(() => this.flushSoon(), this.opts.flushIntervalMs);
    else setImmediate(() => this.flushSoon());
  }

  private flushSoon(): void {
    this.scheduled = false;
    if (this.inFlight) return; // the running batch reschedules when it ends
    if (this.backlog === 0 && !this.booksPending) return;
    if (this.redis.status !== 'ready') {
      this.retryLater();
      return;
    }
    this.inFlight = this.flushOnce().finally(() => {
      this.inFlight = undefined;
      if (this.backlog > 0 || this.booksPending) this.schedule();
    });
  }

  private retryLater(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushSoon();
    }, 100);
  }

  /** Sends everything queued now as one batch; on failure the ticks go back to the front of the queue. */
  private async flushOnce(): Promise<void> {
    const batch: BatchItem[] = [];
    const nowMs = performance.now();
    const trimEvery = Math.max(1, Math.floor(this.opts.maxTicksPerSymbol * TRIM_SHARE));
    let count = 0;
    for (const p of this.pending) {
      if (p.ticks.length === 0 && !p.lastQuote) continue;
      const room = MAX_TICKS_PER_FLUSH - count;
      if (room <= 0) break;
      p.sinceTrim += Math.min(p.ticks.length, room);
      const trim = p.sinceTrim >= trimEvery || nowMs - p.lastTrimMs >= TRIM_EVERY_MS;
      if (trim) {
        p.sinceTrim = 0;
        p.lastTrimMs = nowMs;
      }
      if (p.ticks.length <= room) {
        batch.push({ venue: p.venue, symbol: p.symbol, ticks: p.ticks, lastQuote: p.lastQuote, trim });
        count += p.ticks.length;
        p.ticks = [];
        p.lastQuote = undefined;
      } else {
        // Oldest first; the rest (and the latest quote) wait for the next flush.
        batch.push({ venue: p.venue, symbol: p.symbol, ticks: p.ticks.slice(0, room), lastQuote: undefined, trim });
        p.ticks = p.ticks.slice(room);
        count += room;
      }
    }
    this.backlog -= count;
    const books = this.books;
    this.books = new Map();
    this.booksPending = false;
    if (count === 0 && books.size === 0) return;
    const started = performance.now();
    try {
      if (this.opts.pipelinePerSymbol) await Promise.all(batch.map((b) => this.pipelineFor([b]).exec().then(check)));
      else if (count > 0) await this.pipelineFor(batch).exec().then(check);
      if (books.size > 0) {
        if (this.opts.pipelinePerSymbol)
          await Promise.all([...books].map((e) => this.booksPipeline([e]).exec().then(check)));
        else await this.booksPipeline(books).exec().then(check);
      }
      this.booksWritten += books.size;
      this.stored += count;
      this.batches++;
      this.lastBatchMs = performance.now() - started;
      this.onBatch?.(this.lastBatchMs, count);
    } catch (err) {
      this.errors++;
      this.log.warn({ err: (err as Error).message, ticks: count }, 'redis batch failed; keeping ticks in the backlog');
      for (const [k, b] of books) if (!this.books.has(k)) this.books.set(k, b); // newer tops win
      this.booksPending = this.books.size > 0;
      for (const b of batch) {
        const p = this.queueOf(b.venue, b.symbol);
        p.ticks = b.ticks.concat(p.ticks);
        p.lastQuote = p.lastQuote ?? b.lastQuote;
        if (b.trim) p.lastTrimMs = -Infinity; // the trim did not happen: due again with the retry
        this.backlog += b.ticks.length;
      }
      while (this.backlog > this.opts.maxBacklogTicks) this.dropOldest(this.queueOf(batch[0]!.venue, batch[0]!.symbol));
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Book tops written (HSETs). */
  booksWritten = 0;

  private booksPipeline(books: Iterable<[string, BookTop]>) {
    const pipe = this.redis.pipeline();
    for (const [key, b] of books)
      pipe.hset(
        key,
        'state',
        b.state,
        'updateId',
        b.updateId,
        'tsExchNs',
        Math.round(b.tsExchNs),
        'tsRecvNs',
        Math.round(b.tsRecvNs),
        'bids',
        JSON.stringify(b.bids),
        'asks',
        JSON.stringify(b.asks),
      );
    return pipe;
  }

  private pipelineFor(batch: BatchItem[]) {
    const pipe = this.redis.pipeline();
    for (const b of batch) {
      const key = ticksKey(b.venue, b.symbol);
      if (b.ticks.length > 0) {
        let newestMs = 0;
        for (let from = 0; from < b.ticks.length; from += ZADD_CHUNK) {
          const z = encodeZadd(key, b.ticks, from, Math.min(b.ticks.length, from + ZADD_CHUNK));
          (pipe as Pipeline).sendCommand(z.command); // pipeline()'s ChainableCommander type hides Pipeline#sendCommand
          if (z.newestMs > newestMs) newestMs = z.newestMs;
        }
        if (b.trim && this.opts.maxTicksPerSymbol > 0) pipe.zremrangebyrank(key, 0, -(this.opts.maxTicksPerSymbol + 1));
        if (b.trim && this.opts.maxAgeMs > 0) pipe.zremrangebyscore(key, '-inf', `(${newestMs - this.opts.maxAgeMs}`);
      }
      const q = b.lastQuote;
      if (q) {
        pipe.hset(
          lastKey(b.venue, b.symbol),
          'bid',
          q.bid,
          'bidSize',
          q.bidSize,
          'ask',
          q.ask,
          'askSize',
          q.askSize,
          'tsExchNs',
          q.tsExchNs,
          'tsRecvNs',
          q.tsRecvNs,
          'updateId',
          q.id,
        );
      }
    }
    return pipe;
  }

  /** Flushes everything (SIGTERM drain); gives up at the deadline and reports what was left. */
  async drain(deadlineMs: number): Promise<{ left: number }> {
    const end = Date.now() + deadlineMs;
    while ((this.backlog > 0 || this.booksPending || this.inFlight) && Date.now() < end) {
      if (this.inFlight) {
        await Promise.race([this.inFlight, new Promise((r) => setTimeout(r, 50))]);
        continue;
      }
      if (this.redis.status !== 'ready') {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      this.inFlight = this.flushOnce().finally(() => {
        this.inFlight = undefined;
      });
      await this.inFlight;
    }
    return { left: this.backlog };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}

function check(results: Array<[Error | null, unknown]> | null): void {
  if (!results) throw new StoreError('pipeline aborted');
  for (const [err] of results) if (err) throw err;
}
