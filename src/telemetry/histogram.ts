// Per-stage latency histograms (HdrHistogram, 3 significant digits, 1 ns .. 100 s) and, beside them, the sample
// counts per Prometheus bucket (LATENCY_BUCKETS_SECONDS) that /metrics exports as a real histogram. Recording
// does not allocate (one recordValue and a binary search over 25 bounds); quantiles are read on scrape. Values are nanoseconds. Each stage records into its current window;
// rotate() (once a minute, from the daemon) closes the window: it becomes the `last window` (what a drift
// check or a dashboard wants: quantiles that move) and is added to the since-start total. Quantiles since
// start merge the total with the open window on read, so recording stays one recordValue. hdr-histogram-js' WebAssembly build records
// in ~18 ns against ~95 ns for its JS one (measured here); the JS build is the fallback if WASM cannot start.
// hdr-histogram-js is loaded, and its WebAssembly started, by prepare() (an engine that times its stages, at
// start) or at a stage's first record: a command that times nothing (replay, backtest) pays neither (together
// about a fifth of a replay's start-up). Only the builder and the WebAssembly loader are loaded: the package's
// index also loads its log and encoding codecs.
import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';

type HistogramBuild = typeof import('hdr-histogram-js/dist/HistogramBuilder.js').build;

let buildHistogram: HistogramBuild | undefined;
let wasm = false;
/** Loads hdr-histogram-js and starts its WebAssembly build (once). */
function builder(): HistogramBuild {
  if (buildHistogram === undefined) {
    const require = createRequire(import.meta.url);
    buildHistogram = (require('hdr-histogram-js/dist/HistogramBuilder.js') as { build: HistogramBuild }).build;
    try {
      (require('hdr-histogram-js/dist/wasm/index.js') as { initWebAssemblySync(): void }).initWebAssemblySync();
      wasm = true;
    } catch {
      wasm = false;
    }
  }
  return buildHistogram;
}

const build = (): Histogram =>
  builder()({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 100e9,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    autoResize: false,
    useWebAssembly: wasm,
  });

/** The open window, the closed windows summed, the last closed window, and scratch for since-start reads. */
interface Windows {
  open: Histogram;
  total: Histogram;
  last: Histogram;
  merged: Histogram;
}

/**
 * Bucket bounds (seconds) of the Prometheus histogram christmas_stage_latency_seconds: 100 ns to 10 s in
 * 1-2.5-5 steps, so histogram_quantile resolves the µs stages and the ms batches alike.
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  1e-7, 2.5e-7, 5e-7, 1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2,
  5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const BOUNDS_NS = Float64Array.from(LATENCY_BUCKETS_SECONDS, (s) => Math.round(s * 1e9));

export class LatencyHistogram {
  /** Samples per Prometheus bucket (not cumulative; the last one is +Inf), since start. */
  readonly bucketCounts = new Float64Array(BOUNDS_NS.length + 1);
  /** Built at the first record: until then every window is empty. */
  private w: Windows | undefined;
  private windowCount = 0;
  /** Samples in the last closed window. */
  lastWindowCount = 0;
  count = 0;
  sum = 0;
  constructor(readonly stage: string) {}
  private windows(): Windows {
    return (this.w ??= { open: build(), total: build(), last: build(), merged: build() });
  }
  /** Builds the windows now (a daemon at start), so the first record pays no load. */
  prepare(): void {
    this.windows();
  }
  record(ns: number): void {
    if (!(ns >= 1)) ns = 1;
    else if (ns > 100e9) ns = 100e9;
    this.windows().open.recordValue(ns);
    let lo = 0,
      hi = BOUNDS_NS.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ns <= BOUNDS_NS[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const b = this.bucketCounts;
    b[lo] = b[lo]! + 1;
    this.windowCount++;
    this.count++;
    this.sum += ns;
  }
  /** Since start. */
  quantile(q: number): number {
    return this.quantiles([q])[0]!;
  }
  /** Several quantiles since start with one merge. */
  quantiles(qs: readonly number[]): number[] {
    const w = this.w;
    if (!this.count || w === undefined) return qs.map(() => NaN);
    const m = w.merged;
    m.reset();
    m.add(w.total);
    m.add(w.open);
    return qs.map((q) => m.getValueAtPercentile(q * 100));
  }
  /** Over the last closed window (NaN before the first rotation or when it was empty). */
  windowQuantile(q: number): number {
    return this.lastWindowCount && this.w ? this.w.last.getValueAtPercentile(q * 100) : NaN;
  }
  get max(): number {
    return this.count && this.w ? Math.max(this.w.total.maxValue, this.w.open.maxValue) : NaN;
  }
  /** Closes the open window. */
  rotate(): void {
    const w = this.w;
    if (w !== undefined) {
      w.last.reset();
      w.last.add(w.open);
      w.total.add(w.open);
      w.open.reset();
    }
    this.lastWindowCount = this.windowCount;
    this.windowCount = 0;
  }
  reset(): void {
    const w = this.w;
    if (w !== undefined) {
      w.open.reset();
      w.total.reset();
      w.last.reset();
    }
    this.windowCount = 0;
    this.lastWindowCount = 0;
    this.count = 0;
    this.sum = 0;
    this.bucketCounts.fill(0);
  }
}

/**
 * exch_to_recv: receive minus exchange time, above the venue's rolling median (clock offset removed);
 * recv_to_tick: frame received to normalized tick; tick_to_indicators: indicators + strategy rules per tick
 * (inline mode: measured around compute); indicators_to_signal: risk gates and signal assembly;
 * signal_to_socket: fan-out to every client; recv_to_signal: the whole in-process path.
 */
export const STAGES = [
  'exch_to_recv',
  'recv_to_tick',
  'tick_to_indicators',
  'indicators_to_signal',
  'signal_to_socket',
  'recv_to_signal',
  'redis_batch',
  'db_batch',
] as const;
export type Stage = (typeof STAGES)[number];

export class StageHistograms {
  readonly byStage: Record<Stage, LatencyHistogram>;
  constructor() {
    this.byStage = Object.fromEntries(STAGES.map((s) => [s, new LatencyHistogram(s)])) as Record<
      Stage,
      LatencyHistogram
    >;
  }
  /** Loads hdr-histogram-js and builds every stage's windows, off the hot path (a daemon that times its stages). */
  prepare(): void {
    for (const s of STAGES) this.byStage[s].prepare();
  }
  record(stage: Stage, ns: number): void {
    this.byStage[stage].record(ns);
  }
  rotate(): void {
    for (const s of STAGES) this.byStage[s].rotate();
  }
}

/** Length of one latency window (the `last window` quantiles). */
export const LATENCY_WINDOW_MS = 60_000;
