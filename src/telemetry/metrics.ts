// Prometheus metrics (prom-client). Counters and gauges are read from the components' own stats at
// scrape time (collect callbacks), so the hot path only bumps plain numbers. Histograms are exported as
// quantile gauges from HdrHistogram plus count/sum.
import client from 'prom-client';
import type { StageHistograms } from './histogram.js';
import { STAGES } from './histogram.js';

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
  histograms: StageHistograms;
}

export function buildRegistry(src: MetricsSources): client.Registry {
  const reg = new client.Registry();
  client.collectDefaultMetrics({ register: reg, prefix: 'christmas_' });
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
  counter('christmas_feed_drops_total', 'Frames or ticks dropped, by reason', ['venue', 'reason'], (set) => {
    for (const f of src.feeds()) {
      for (const [r, n] of f.stats.malformed) set({ venue: f.venue, reason: r }, n);
      set({ venue: f.venue, reason: 'duplicate' }, f.stats.duplicates);
    }
  });
  counter('christmas_feed_gaps_total', 'Sequence gaps detected', ['venue'], (set) => {
    for (const f of src.feeds()) set({ venue: f.venue }, f.stats.gaps);
  });
  counter('christmas_feed_duplicates_total', 'Duplicate ticks dropped', ['venue'], (set) => {
    for (const f of src.feeds()) set({ venue: f.venue }, f.stats.duplicates);
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
  counter('christmas_signals_suppressed_total', 'Signals suppressed by a risk gate', ['reason'], (set) => {
    for (const [r, n] of Object.entries(src.signals().suppressed)) set({ reason: r }, n);
  });
  gauge('christmas_signal_clients', 'Connected signal socket clients', [], (g) => g.set(src.signals().clients));
  counter('christmas_signal_slow_consumers_total', 'Clients dropped as slow consumers', [], (set) =>
    set({}, src.signals().slowDrops),
  );
  gauge('christmas_signal_last_seq', 'Last signal sequence number', [], (g) => g.set(src.signals().lastSeq));

  gauge('christmas_event_loop_lag_seconds', 'Event-loop lag (p99 over the last interval)', [], (g) =>
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

  gauge('christmas_stage_latency_seconds', 'Per-stage latency quantiles (HdrHistogram)', ['stage', 'quantile'], (g) => {
    for (const s of STAGES) {
      const h = src.histograms.byStage[s];
      if (!h.count) continue;
      const qs = [0.5, 0.9, 0.99, 0.999],
        vs = h.quantiles(qs);
      qs.forEach((q, i) => g.set({ stage: s, quantile: String(q) }, vs[i]! / 1e9));
    }
  });
  gauge(
    'christmas_stage_latency_window_seconds',
    'Per-stage latency quantiles over the last closed one-minute window',
    ['stage', 'quantile'],
    (g) => {
      for (const s of STAGES) {
        const h = src.histograms.byStage[s];
        if (!h.lastWindowCount) continue;
        for (const q of [0.5, 0.99, 0.999]) g.set({ stage: s, quantile: String(q) }, h.windowQuantile(q) / 1e9);
      }
    },
  );
  gauge('christmas_stage_latency_seconds_max', 'Per-stage maximum latency', ['stage'], (g) => {
    for (const s of STAGES) {
      const h = src.histograms.byStage[s];
      if (h.count) g.set({ stage: s }, h.max / 1e9);
    }
  });
  counter('christmas_stage_latency_count', 'Samples per stage', ['stage'], (set) => {
    for (const s of STAGES) set({ stage: s }, src.histograms.byStage[s].count);
  });
  counter('christmas_stage_latency_seconds_sum', 'Sum of latencies per stage', ['stage'], (set) => {
    for (const s of STAGES) set({ stage: s }, src.histograms.byStage[s].sum / 1e9);
  });
  return reg;
}
