// Readiness (/health): each part of the daemon judged against its bound, and every change of a part's state
// logged once (a warning when it fails, info when it recovers). A part is unhealthy when: a feed is down or
// stale; drops (duplicates, malformed, poison) exceed `health.maxDropRatio` of a venue's ticks over the last
// `health.dropWindowMs`; Redis is not ready, its backlog passes `health.maxStoreBacklogTicks`, or its batches
// failed within the window; the database is spooling, its spool refuses batches, or its buffer passes
// `health.maxDatabaseLagRows` / `health.maxDatabaseLagMs`; the event loop stalled; a publisher says so.
import type { Logger } from './logger.js';
import type { HealthReport } from './http.js';

export interface ReadinessBounds {
  maxStoreBacklogTicks: number;
  maxDatabaseLagRows: number;
  maxDatabaseLagMs: number;
  maxDropRatio: number;
  dropWindowMs: number;
}

type Part = { healthy: boolean; detail: string };

export interface ReadinessInputs {
  feeds?: Part;
  /** Per venue: ticks accepted and dropped so far (monotonic). */
  feedCounts?: Array<{ venue: string; ticks: number; drops: number }>;
  eventLoop: Part;
  redis?: { status: string; backlog: number; errors: number };
  database?: {
    spoolBytes: number;
    bufferedRows: number;
    oldestAgeMs: number;
    refusal?: { detail: string; dropped: number };
    heldRows: number;
  };
  publishers: Record<string, Part>;
}

/** Monotonic counts sampled over time: the increase over the last window. */
class WindowedCounts {
  private readonly samples: Array<{ at: number; v: number[] }> = [];
  increase(now: number, windowMs: number, v: number[]): number[] {
    this.samples.push({ at: now, v });
    while (this.samples.length > 1 && this.samples[1]!.at <= now - windowMs) this.samples.shift();
    const first = this.samples[0]!.v;
    return v.map((x, i) => x - (first[i] ?? 0));
  }
}

export class Readiness {
  private readonly last = new Map<string, boolean>();
  private readonly drops = new Map<string, WindowedCounts>();
  private readonly storeErrors = new WindowedCounts();

  constructor(
    private readonly bounds: ReadinessBounds,
    private readonly log: Logger,
  ) {}

  evaluate(x: ReadinessInputs, now = Date.now()): HealthReport {
    const b = this.bounds;
    const c: Record<string, Part> = {};
    if (x.feeds) c.feed = x.feeds;
    for (const f of x.feedCounts ?? []) {
      let w = this.drops.get(f.venue);
      if (!w) this.drops.set(f.venue, (w = new WindowedCounts()));
      const [ticks, drops] = w.increase(now, b.dropWindowMs, [f.ticks, f.drops]) as [number, number];
      const ratio = drops / Math.max(1, ticks + drops);
      c[`drops.${f.venue}`] = {
        healthy: !(drops > 0 && ratio > b.maxDropRatio),
        detail: `${drops} of ${ticks + drops} dropped in the last ${b.dropWindowMs / 1000} s`,
      };
    }
    c.eventLoop = x.eventLoop;
    if (x.redis) {
      const r = x.redis;
      const [errors] = this.storeErrors.increase(now, b.dropWindowMs, [r.errors]) as [number];
      const behind = r.backlog > b.maxStoreBacklogTicks;
      c.redis = {
        healthy: r.status === 'ready' && !behind && errors === 0,
        detail:
          `${r.status}, backlog ${r.backlog}` +
          (behind ? ` (past ${b.maxStoreBacklogTicks})` : '') +
          (errors ? `, ${errors} failed batches in the last ${b.dropWindowMs / 1000} s` : ''),
      };
    }
    if (x.database) {
      const d = x.database;
      const behind = d.bufferedRows > b.maxDatabaseLagRows || d.oldestAgeMs > b.maxDatabaseLagMs;
      c.database = d.refusal
        ? {
            healthy: false,
            detail: `spool refusing batches (${d.refusal.detail}): ${d.heldRows} rows held in memory, ${d.refusal.dropped} dropped`,
          }
        : d.spoolBytes > 0
          ? { healthy: false, detail: `spooling (${d.spoolBytes} bytes on disk)` }
          : {
              healthy: !behind,
              detail: `lag ${d.bufferedRows} rows, oldest ${Math.round(d.oldestAgeMs)} ms${behind ? ' (behind)' : ''}`,
            };
    }
    Object.assign(c, x.publishers);
    for (const [name, part] of Object.entries(c)) {
      const was = this.last.get(name);
      if (was !== part.healthy) {
        if (!part.healthy) this.log.warn({ part: name, detail: part.detail }, `${name} unhealthy: ${part.detail}`);
        else if (was === false) this.log.info({ part: name, detail: part.detail }, `${name} recovered`);
        this.last.set(name, part.healthy);
      }
    }
    return { healthy: Object.values(c).every((p) => p.healthy), components: c };
  }
}
