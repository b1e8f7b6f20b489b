// Builds the metrics registry and the health report from the running engine, feeds and loop monitor.
import type { Engine } from './engine.js';
import type { LiveFeeds } from './feeds.js';
import type { LoopMonitor } from '../telemetry/loop.js';
import { buildRegistry } from '../telemetry/metrics.js';
import { buildInfo } from '../telemetry/build-info.js';
import type { ReadinessInputs } from '../telemetry/readiness.js';
import type { FrameProcessor } from '../feed/processor.js';

export function engineRegistry(
  engine: Engine,
  feeds: {
    processors: () => FrameProcessor[];
    states: () => string[];
    snapshots?: () => Array<{ venue: string; requested: number; failed: number; weight: number }>;
  },
  loop: LoopMonitor,
) {
  return buildRegistry({
    feeds: () =>
      feeds.processors().map((p, i) => ({
        venue: p.adapter.venue,
        stats: p.stats,
        clockOffsetNs: p.clock.medianNs(),
        state: feeds.states()[i] ?? 'live',
      })),
    ticksBySymbol: () => engine.market.counts(),
    store: () => engine.sinks?.storeStats(),
    persist: () => {
      const p = engine.sinks?.persistStats();
      if (!p) return undefined;
      const s = p.tables;
      return {
        rows: Object.fromEntries(Object.entries(s).map(([t, v]) => [t, v.rows])),
        spooledRows: Object.values(s).reduce((a, v) => a + v.spooledRows, 0),
        deadLetters: Object.values(s).reduce((a, v) => a + v.deadLetters, 0),
        spoolBytes: p.spoolBytes,
        bufferedRows: p.bufferedRows,
        oldestAgeMs: p.oldestAgeMs,
        dropped: p.dropped,
        heldRows: p.heldRows,
      };
    },
    signals: () => ({
      emitted: engine.emitted,
      suppressed: engine.risk.suppressed,
      clients: engine.signals?.clientCount ?? 0,
      slowDrops: engine.signals?.stats.slowDrops ?? 0,
      lastSeq: engine.seq.last,
    }),
    compute: () => ({ mode: engine.compute.mode, ...engine.compute.stats() }),
    io: () =>
      engine.sinks
        ? { mode: engine.sinks.mode, restarts: engine.sinks.restarts, unread: engine.sinks.unread }
        : undefined,
    loop: () => ({ lagMs: loop.lagMs, utilization: loop.utilization, stalls: loop.stalls }),
    histograms: engine.histograms,
    strategyErrors: () => engine.strategyErrors,
    books: () => {
      const b = engine.bookSummary();
      return { books: b.books, dropped: b.dropped, snapshotRequests: feeds.snapshots?.() ?? [] };
    },
    build: buildInfo(),
  });
}

/** The inputs of readiness from the running engine, feeds and loop monitor. */
export function readinessInputs(engine: Engine, live: LiveFeeds | undefined, loop: LoopMonitor): ReadinessInputs {
  const store = engine.sinks?.storeStats();
  const redisStatus = engine.sinks?.redisStatus();
  const lag = engine.sinks?.persistStats();
  const publishers: ReadinessInputs['publishers'] = {};
  // The database publisher's rows are the database part's; the socket keeps its name `signals`.
  for (const p of engine.publishers)
    if (p.name !== 'database') publishers[p.name === 'socket' ? 'signals' : `signals.${p.name}`] = p.health();
  return {
    feeds: live?.healthy(),
    feedCounts: live?.connections.map((c) => {
      const s = c.processor.stats;
      return { venue: c.processor.adapter.venue, ticks: s.ticks, drops: s.duplicates + s.malformedTotal };
    }),
    eventLoop: { healthy: loop.healthy(), detail: `lag p99 ${loop.lagMs.toFixed(2)} ms, ${loop.stalls} stalls` },
    redis:
      redisStatus === undefined
        ? undefined
        : { status: redisStatus, backlog: store?.backlog ?? 0, errors: store?.errors ?? 0 },
    database: lag && {
      spoolBytes: lag.spoolBytes,
      bufferedRows: lag.bufferedRows,
      oldestAgeMs: lag.oldestAgeMs,
      refusal: lag.spoolRefusal,
      heldRows: lag.heldRows,
    },
    publishers,
  };
}
