// Builds the metrics registry and the health report from the running engine, feeds and loop monitor.
import type { Engine } from './engine.js';
import type { LiveFeeds } from './feeds.js';
import type { LoopMonitor } from '../telemetry/loop.js';
import { buildRegistry } from '../telemetry/metrics.js';
import type { HealthReport } from '../telemetry/http.js';
import type { FrameProcessor } from '../feed/processor.js';

export function engineRegistry(
  engine: Engine,
  feeds: { processors: () => FrameProcessor[]; states: () => string[] },
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
  });
}

export function healthReport(engine: Engine, live: LiveFeeds | undefined, loop: LoopMonitor): HealthReport {
  const components: HealthReport['components'] = {};
  if (live) components.feed = live.healthy();
  components.eventLoop = {
    healthy: loop.healthy(),
    detail: `lag p99 ${loop.lagMs.toFixed(2)} ms, ${loop.stalls} stalls`,
  };
  const redisStatus = engine.sinks?.redisStatus();
  if (redisStatus !== undefined)
    components.redis = {
      healthy: redisStatus === 'ready',
      detail: `${redisStatus}, backlog ${engine.sinks?.storeStats()?.backlog ?? 0}`,
    };
  const lag = engine.sinks?.persistStats();
  if (lag) {
    const r = lag.spoolRefusal;
    components.database = r
      ? {
          healthy: false,
          detail: `spool refusing batches (${r.detail}): ${lag.heldRows} rows held in memory, ${r.dropped} dropped`,
        }
      : {
          healthy: lag.spoolBytes === 0,
          detail: lag.spoolBytes === 0 ? `lag ${lag.bufferedRows} rows` : `spooling (${lag.spoolBytes} bytes on disk)`,
        };
  }
  // The database publisher's rows are the database component's; the socket keeps its name `signals`.
  for (const p of engine.publishers)
    if (p.name !== 'database') components[p.name === 'socket' ? 'signals' : `signals.${p.name}`] = p.health();
  return { healthy: Object.values(components).every((c) => c.healthy), components };
}
