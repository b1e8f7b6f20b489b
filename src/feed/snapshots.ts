// REST depth snapshots for book sync, one client per venue: requests are queued per symbol (a symbol already
// queued or in flight is not asked twice), spent from a token bucket of request weight per minute (the venue's
// own weights), at most two in flight, and retried with full-jitter backoff; HTTP 429/418 pause the whole venue
// for its Retry-After. So a reconnect of 200 symbols drains at the budget's pace, never as a snapshot storm.
import { Backoff } from './backoff.js';
import { SnapshotError } from '../model/errors.js';
import { RateLimitedLog, type Logger } from '../telemetry/logger.js';
import { nowNs } from '../telemetry/clock.js';

interface SnapshotEndpoint {
  /** The request URL for a symbol's snapshot. */
  url(symbol: string): string;
  /** Its weight in the venue's rate limit. */
  weight: number;
}

export interface SnapshotClientOptions {
  venue: string;
  endpoint: SnapshotEndpoint;
  weightPerMinute: number;
  /** A snapshot's body arrived (receive time in epoch ns). */
  onSnapshot: (symbol: string, body: string, tsRecvNs: number, url: string) => void;
  log: Logger;
  maxInFlight?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export interface SnapshotStats {
  requested: number;
  fetched: number;
  failed: number;
  weightUsed: number;
  queued: number;
  inFlight: number;
}

export class SnapshotClient {
  private readonly queue: string[] = [];
  private readonly waiting = new Set<string>();
  private readonly retries = new Map<string, Backoff>();
  private tokens: number;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly warn: RateLimitedLog;
  readonly stats: SnapshotStats = { requested: 0, fetched: 0, failed: 0, weightUsed: 0, queued: 0, inFlight: 0 };

  constructor(private readonly opts: SnapshotClientOptions) {
    this.tokens = Math.min(opts.weightPerMinute, opts.endpoint.weight * 4); // a small first burst, not a minute's worth
    this.warn = new RateLimitedLog(opts.log);
  }

  /** Ask for a symbol's snapshot (ignored when it is already queued or in flight). */
  request(symbol: string): void {
    if (this.stopped || this.waiting.has(symbol)) return;
    this.waiting.add(symbol);
    this.queue.push(symbol);
    this.stats.requested++;
    this.pump();
  }

  private refill(): void {
    const now = Date.now();
    const perMs = this.opts.weightPerMinute / 60_000;
    this.tokens = Math.min(this.opts.weightPerMinute, this.tokens + (now - this.refilledAt) * perMs);
    this.refilledAt = now;
  }

  private pump(): void {
    if (this.stopped || this.timer) return;
    const weight = this.opts.endpoint.weight;
    while (this.queue.length > 0 && this.inFlight < (this.opts.maxInFlight ?? 2)) {
      const now = Date.now();
      if (now < this.pausedUntil) return this.wake(this.pausedUntil - now);
      this.refill();
      if (this.tokens < weight) return this.wake(((weight - this.tokens) * 60_000) / this.opts.weightPerMinute);
      this.tokens -= weight;
      this.stats.weightUsed += weight;
      void this.fetchOne(this.queue.shift()!);
    }
    this.stats.queued = this.queue.length;
  }

  private wake(ms: number): void {
    this.stats.queued = this.queue.length;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
    this.timer.unref();
  }

  private async fetchOne(symbol: string): Promise<void> {
    this.inFlight++;
    this.stats.inFlight = this.inFlight;
    const url = this.opts.endpoint.url(symbol);
    try {
      const body = await this.get(url);
      if (this.stopped) return;
      this.stats.fetched++;
      this.retries.delete(symbol);
      this.waiting.delete(symbol);
      this.opts.onSnapshot(symbol, body, nowNs(), url);
    } catch (err) {
      if (this.stopped) return;
      this.stats.failed++;
      const e = err instanceof SnapshotError ? err : new SnapshotError((err as Error).message, 0, 0);
      if (e.retryAfterMs > 0) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + e.retryAfterMs);
      let b = this.retries.get(symbol);
      if (!b)
        this.retries.set(symbol, (b = new Backoff(this.opts.retryInitialMs ?? 250, this.opts.retryMaxMs ?? 30_000)));
      const delay = b.next();
      this.warn.warn(
        `snapshot:${this.opts.venue}`,
        { venue: this.opts.venue, symbol, status: e.status, retryInMs: delay, err: e.message },
        'depth snapshot failed; retrying',
      );
      setTimeout(() => {
        if (this.stopped) return;
        this.queue.push(symbol);
        this.pump();
      }, delay).unref();
    } finally {
      this.inFlight--;
      this.stats.inFlight = this.inFlight;
      this.pump();
    }
  }

  private async get(url: string): Promise<string> {
    const f = this.opts.fetchImpl ?? fetch;
    const res = await f(url, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    const body = await res.text();
    if (res.status === 429 || res.status === 418) {
      const after = Number(res.headers.get('retry-after'));
      throw new SnapshotError(`HTTP ${res.status} (rate limited)`, res.status, (after > 0 ? after : 60) * 1000);
    }
    if (!res.ok) throw new SnapshotError(`HTTP ${res.status}: ${body.slice(0, 120)}`, res.status, 0);
    return body;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
