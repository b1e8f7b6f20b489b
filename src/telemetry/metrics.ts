// Prometheus metrics (prom-client). Counters and gauges are read from the components' own stats at
// scrape time (collect callbacks), so the hot path only bumps plain numbers. Stage latency is a real histogram
// (christmas_stage_latency_seconds: _bucket, _sum, _count) whose bucket counts the hot path keeps itself
// (histogram.ts): prom-client's Histogram.observe costs ~550 ns a call on this machine, too much per tick, so
// the counts reach the registry through a metric object of type histogram. The HdrHistogram quantiles (µs
// resolution) are gauges with a `percentile` label: over the last closed minute, and since start (benchmarks).
// Process metrics use Node's default names (process_*, nodejs_*), as stock dashboards expect.
import client from 'prom-client';
import type { StageHistograms } from './histogram.js';
import { LATENCY_BUCKETS_SECONDS, STAGES } from './histogram.js';

/** What /metrics says about the build (christmas_build_info). */
interface BuildInfo {
  version: string;
  node: string;
  kernels: string;
}

/** GC pause buckets (seconds): 50 µs to 100 ms, resolving the 0.1–5 ms scavenges. */
const GC_BUCKETS_SECONDS = [5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1];

/** christmas_stage_latency_seconds: the stages' bucket counts as one Prometheus histogram. */
function stageHistogram(histograms: StageHistograms) {
  const name = 'christmas_stage_latency_seconds';
  const les = [...LATENCY_BUCKETS_SECONDS.map((s) => String(s)), '+Inf'];
  return {
    name,
    help: 'Per-stage latency (seconds); histogram_quantile over rate() gives window quantiles',
    type: 'histogram' as const,
    aggregator: 'sum' as const,
    reset() {
      /* the counts are the histograms' own */
    },
    get() {
      const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
      for (const stage of STAGES) {
        const h = histograms.byStage[stage];
        let cum = 0;
        h.bucketCounts.forEach((n, i) => {
          cum += n;
          values.push({ metricName: `${name}_bucket`, labels: { stage, le: les[i]! }, value: cum });
        });
        values.push({ metricName: `${name}_sum`, labels: { stage }, value: h.sum / 1e9 });
        values.push({ metricName: `${name}_count`, labels: { stage }, value: h.count });
      }
      return { name, help: this.help, type: this.type, aggregator: this.aggregator, values };
    },
  };
}

export interface MetricsSources {
  feeds: () => Array<{
    venue: string;
    stats: {
      frames: number;
      ticks: number;
      trades: number;
      quotes: number;
      duplicates: number;
      gaps: number;
      reconnects: number;
      staleEvents: number;
      malformed: Map<string, number>;
    };
    clockOffsetNs: number;
    state: string;
  }>;
  ticksBySymbol: () => Array<{ venue: string; symbol: string; kind: string; count: number }>;
  store: () => { stored: number; dropped: number; backlog: number; errors: number; batches: number } | undefined;
  persist: () =>
    | {
        rows: Record<string, number>;
        spooledRows: number;
        deadLetters: number;
        spoolBytes: number;
        bufferedRows: number;
        oldestAgeMs: number;
        dropped: Record<string, number>;
        heldRows: number;
      }
    | undefined;
  signals: () => {
    emitted: number;
    suppressed: Record<string, number>;
    clients: number;
    slowDrops: number;
    lastSeq: number;
  };
  compute: () => { mode: string; workerUtilization: number; restarts: number; lateWakes: number };
  /** The store/database writers' thread (undefined without either). */
  io?: () => { mode: string; restarts: number; unread: number } | undefined;
  loop: () => { lagMs: number; utilization: number; stalls: number };
  /** Strategy instances disabled after throwing, by strategy. */
  strategyErrors?: () => ReadonlyMap<string, number>;
  /** L2 books: each one's state and counts, the set's drops by reason, REST snapshot requests by venue. */
  books?: () => {
    books: Array<{ venue: string; symbol: string; state: string; applied: number; resyncs: number; levels: number }>;
    dropped: ReadonlyMap<string, number>;
    snapshotRequests: Array<{ venue: string; requested: number; failed: number; weight: number }>;
  };
  histograms: StageHistograms;
  build: BuildInfo;
}

export function buildRegistry(src: MetricsSources): client.Registry {
  const reg = new client.Registry();
  client.collectDefaultMetrics({ register: reg, gcDurationBuckets: GC_BUCKETS_SECONDS });
  // prom-client also registers gauge copies of these three with a `_total` suffix, which promtool rejects (a
  // gauge named like a counter); the copies without it stay.
  for (const n of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
    reg.removeSingleMetric(n);
  new client.Gauge({
    name: 'christmas_build_info',
    help: 'Always 1; the labels name the build',
    labelNames: ['version', 'node', 'kernels'],
    registers: [reg],
  }).set({ ...src.build }, 1);
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: client.Gauge<string>) => void) =>
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [reg],
      collect() {
        this.reset();
        collect(this);
      },
    });
  // Counters are monotonic values owned by the components; exported as counters via gauges' collect would
  // lose the type, so use Counter with a collect that sets the absolute value.
  const counter = (
    name: string,
    help: string,
    labelNames: string[],
    collect: (set: (labels: Record<string, string>, v: number) => void) => void,
  ) =>
    new client.Counter({
      name,
      help,
      labelNames,
      registers: [reg],
      collect() {
        this.reset();
        collect((labels, v) => {
          if (v > 0) this.inc(labels, v);
          else this.inc(labels, 0);
        });
      },
    });

  counter('christmas_feed_frames_total', 'WebSocket frames received', ['venue'], (set) => {
    for (const f of src.feeds()) set({ venue: f.venue }, f.stats.frames);
  });
  counter('christmas_ticks_total', 'Ticks accepted by venue, symbol and kind', ['venue', 'symbol', 'kind'], (set) => {
    for (const t of src.ticksBySymbol()) set({ venue: t.venue, symbol: t.symbol, kind: t.kind }, t.count);
  });
  counter(
    'christmas_feed_drops_total',
    'Frames or ticks dropped, by reason (duplicate, malformed kinds, poison checks); each drop counted once',
    ['venue', 'reason'],
    (set) => {
      for (const f of src.feeds()) {
        for (const [r, n] of f.stats.malformed) set({ venue: f.venue, reason: r }, n);
        set({ venue: f.venue, reason: 'duplicate' }, f.stats.duplicates);
      }
    },
  );
  counter('christmas_feed_gaps_total', 'Sequence gaps detected', ['venue'], (set) => {
    for (const f of src.feeds()) set({ venue: f.venue }, f.stats.gaps);
  });
  counter('christmas_feed_reconnects_total', 'Feed reconnects', ['venue'], (set) => {
    for (const f of src.feeds()) set({ venue: f.venue }, f.stats.reconnects);
  });
  counter('christmas_feed_stale_total', 'Stale (silent) events', ['venue'], (set) => {
    for (const f of src.feeds()) set({ venue: f.venue }, f.stats.staleEvents);
  });
  gauge('christmas_feed_clock_offset_seconds', 'Rolling median of receive minus exchange time', ['venue'], (g) => {
    for (const f of src.feeds()) if (Number.isFinite(f.clockOffsetNs)) g.set({ venue: f.venue }, f.clockOffsetNs / 1e9);
  });
  gauge('christmas_feed_up', '1 when the feed connection is live', ['venue'], (g) => {
    for (const f of src.feeds()) g.set({ venue: f.venue }, f.state === 'live' ? 1 : 0);
  });

  counter('christmas_store_ticks_total', 'Ticks written to Redis', [], (set) => {
    const s = src.store();
    if (s) set({}, s.stored);
  });
  counter('christmas_store_dropped_total', 'Ticks dropped from the Redis backlog (oldest first)', [], (set) => {
    const s = src.store();
    if (s) set({}, s.dropped);
  });
  counter('christmas_store_errors_total', 'Failed Redis batches', [], (set) => {
    const s = src.store();
    if (s) set({}, s.errors);
  });
  gauge('christmas_store_backlog_ticks', 'Ticks waiting for Redis', [], (g) => {
    const s = src.store();
    if (s) g.set(s.backlog);
  });

  counter('christmas_persist_rows_total', 'Rows written to the database', ['table'], (set) => {
    const p = src.persist();
    if (p) for (const [t, n] of Object.entries(p.rows)) set({ table: t }, n);
  });
  counter('christmas_persist_spooled_rows_total', 'Rows sent to the disk spool', [], (set) => {
    const p = src.persist();
    if (p) set({}, p.spooledRows);
  });
  counter('christmas_persist_dead_letters_total', 'Rows rejected by the database', [], (set) => {
    const p = src.persist();
    if (p) set({}, p.deadLetters);
  });
  counter(
    'christmas_persist_dropped_rows_total',
    'Rows lost: database down, spool refusing, memory buffer full',
    ['table', 'reason'],
    (set) => {
      const p = src.persist();
      if (p)
        for (const [k, n] of Object.entries(p.dropped)) {
          const [table, reason] = k.split(':');
          set({ table: table!, reason: reason! }, n);
        }
    },
  );
  gauge('christmas_persist_held_rows', 'Rows waiting in memory because the spool refuses batches', [], (g) => {
    const p = src.persist();
    if (p) g.set(p.heldRows);
  });
  gauge('christmas_persist_spool_bytes', 'Spool depth in bytes', [], (g) => {
    const p = src.persist();
    if (p) g.set(p.spoolBytes);
  });
  gauge('christmas_persist_lag_rows', 'Rows buffered in memory', [], (g) => {
    const p = src.persist();
    if (p) g.set(p.bufferedRows);
  });
  gauge('christmas_persist_lag_seconds', 'Age of the oldest buffered row', [], (g) => {
    const p = src.persist();
    if (p) g.set(p.oldestAgeMs / 1000);
  });

  counter('christmas_signals_total', 'Signals emitted', [], (set) => set({}, src.signals().emitted));
  counter(
    'christmas_strategy_errors_total',
    'Strategy instances that threw (each is disabled for its symbol; the others go on)',
    ['strategy'],
    (set) => {
      for (const [s, n] of src.strategyErrors?.() ?? []) set({ strategy: s }, n);
    },
  );
  counter('christmas_signals_suppressed_total', 'Signals suppressed by a risk gate', ['reason'], (set) => {
    for (const [r, n] of Object.entries(src.signals().suppressed)) set({ reason: r }, n);
  });
  gauge(
    'christmas_book_state',
    'L2 book state: 1 for the state the book is in (syncing, live, invalid)',
    ['venue', 'symbol', 'state'],
    (g) => {
      for (const b of src.books?.().books ?? [])
        for (const st of ['syncing', 'live', 'invalid'])
          g.set({ venue: b.venue, symbol: b.symbol, state: st }, b.state === st ? 1 : 0);
    },
  );
  counter('christmas_book_updates_total', 'L2 book updates applied while live', ['venue', 'symbol'], (set) => {
    for (const b of src.books?.().books ?? []) set({ venue: b.venue, symbol: b.symbol }, b.applied);
  });
  counter(
    'christmas_book_resyncs_total',
    'L2 book resyncs (a snapshot or resubscribe after leaving live)',
    ['venue', 'symbol'],
    (set) => {
      for (const b of src.books?.().books ?? []) set({ venue: b.venue, symbol: b.symbol }, b.resyncs);
    },
  );
  counter(
    'christmas_book_drops_total',
    'Book messages or levels dropped, and invalidations, by reason',
    ['reason'],
    (set) => {
      for (const [r, n] of src.books?.().dropped ?? []) set({ reason: r }, n);
    },
  );
  counter('christmas_book_snapshot_requests_total', 'REST depth snapshot requests sent', ['venue'], (set) => {
    for (const c of src.books?.().snapshotRequests ?? []) set({ venue: c.venue }, c.requested);
  });
  counter(
    'christmas_book_snapshot_failures_total',
    'REST depth snapshot requests that failed (retried)',
    ['venue'],
    (set) => {
      for (const c of src.books?.().snapshotRequests ?? []) set({ venue: c.venue }, c.failed);
    },
  );
  gauge('christmas_signal_clients', 'Connected signal socket clients', [], (g) => g.set(src.signals().clients));
  counter('christmas_signal_slow_consumers_total', 'Clients dropped as slow consumers', [], (set) =>
    set({}, src.signals().slowDrops),
  );
  gauge('christmas_signal_last_seq', 'Last signal sequence number', [], (g) => g.set(src.signals().lastSeq));

  gauge('christmas_event_loop_lag_seconds', 'Event-loop lag beyond a 1 ms timer (p99 over the last second)', [], (g) =>
    g.set(src.loop().lagMs / 1000),
  );
  gauge('christmas_event_loop_utilization', 'Event-loop utilization (0..1)', [], (g) => g.set(src.loop().utilization));
  counter('christmas_event_loop_stalls_total', 'Event-loop stalls over the limit', [], (set) =>
    set({}, src.loop().stalls),
  );
  gauge('christmas_compute_worker_utilization', 'Pool worker utilization (0..1)', ['mode'], (g) => {
    const c = src.compute();
    g.set({ mode: c.mode }, c.workerUtilization);
  });
  counter('christmas_compute_worker_restarts_total', 'Pool worker restarts', [], (set) =>
    set({}, src.compute().restarts),
  );
  counter(
    'christmas_compute_late_wakes_total',
    'Pool worker sleeps that ended by their 50 ms timeout with ticks waiting (a missed wake-up)',
    [],
    (set) => set({}, src.compute().lateWakes),
  );
  gauge(
    'christmas_io_unread_ticks',
    'Ticks handed to the store/database writers and not yet read by them (io thread ring + overflow)',
    ['mode'],
    (g) => {
      const io = src.io?.();
      if (io) g.set({ mode: io.mode }, io.unread);
    },
  );
  counter('christmas_io_thread_restarts_total', 'Restarts of the io thread after it failed', [], (set) => {
    const io = src.io?.();
    if (io) set({}, io.restarts);
  });

  reg.registerMetric(stageHistogram(src.histograms) as unknown as client.Metric);
  const PERCENTILES = [
    ['50', 0.5],
    ['90', 0.9],
    ['99', 0.99],
    ['99.9', 0.999],
  ] as const;
  gauge(
    'christmas_stage_latency_window_seconds',
    'Per-stage latency percentiles over the last closed one-minute window (HdrHistogram, 3 digits)',
    ['stage', 'percentile'],
    (g) => {
      for (const s of STAGES) {
        const h = src.histograms.byStage[s];
        if (!h.lastWindowCount) continue;
        for (const [p, q] of PERCENTILES) g.set({ stage: s, percentile: p }, h.windowQuantile(q) / 1e9);
      }
    },
  );
  gauge(
    'christmas_stage_latency_since_start_seconds',
    'Per-stage latency percentiles since start (HdrHistogram; for benchmarks: dashboards use the histogram)',
    ['stage', 'percentile'],
    (g) => {
      for (const s of STAGES) {
        const h = src.histograms.byStage[s];
        if (!h.count) continue;
        const vs = h.quantiles(PERCENTILES.map(([, q]) => q));
        PERCENTILES.forEach(([p], i) => g.set({ stage: s, percentile: p }, vs[i]! / 1e9));
      }
    },
  );
  gauge('christmas_stage_latency_max_seconds', 'Per-stage maximum latency since start', ['stage'], (g) => {
    for (const s of STAGES) {
      const h = src.histograms.byStage[s];
      if (h.count) g.set({ stage: s }, h.max / 1e9);
    }
  });
  return reg;
}
