// Shared benchmark helpers: tinybench runs that time a fixed chunk of items per iteration (so sub-µs
// operations are measured above the timer's resolution) and report ns per item at p50 / p99.
import { Bench } from 'tinybench';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { Engine } from '../src/daemon/engine.js';
import { makePoolFactory } from '../src/compute/pool.js';
import { silentLogger } from '../src/telemetry/logger.js';
import type { ChristmasConfig } from '../src/config/types.js';
import type { Signal } from '../src/model/signal.js';

export interface BenchResult {
  suite: string;
  name: string;
  /** 'ns/item', 'items/s', 'µs', 'ratio' ... */
  unit: string;
  p50: number;
  p99?: number;
  mean?: number;
  /** Higher is better for throughput units; lower for latency units. */
  better: 'lower' | 'higher';
  note?: string;
}

export interface SuiteOptions {
  quick: boolean;
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');
export function shared(rel: string): string {
  const p = path.join(sharedData, rel);
  if (!existsSync(p)) throw new Error(`benchmark data missing: ${p} (../shared/data beside the clone)`);
  return p;
}

/** The non-empty lines of a file under ../shared/data (JSON-lines recordings). */
export function sharedLines(rel: string): string[] {
  return readFileSync(shared(rel), 'utf8').split('\n').filter(Boolean);
}

/**
 * CPU time of a process' main thread alone (this one by default), in µs: the scheduler's ns-exact run time of the thread
 * (/proc/self/task/<pid>/schedstat). process.cpuUsage() counts every thread (V8's GC and compiler helpers,
 * libuv's pool), which is not what a main-thread budget is about. Undefined where /proc has no schedstat.
 */
export function mainThreadCpuUs(pid = process.pid): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'latin1').split(' ')[0]) / 1e3;
  } catch {
    return undefined;
  }
}

/** CPU time of a whole process (every thread: main, workers, GC helpers, libuv) in µs, from /proc/<pid>/stat. */
export function processCpuUs(pid = process.pid): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * (1e6 / 100); // utime + stime, in clock ticks of 1/100 s (USER_HZ)
  } catch {
    return undefined;
  }
}

/** Runs each fn (which processes `items` items) and returns ns per item. */
export async function perItem(
  suite: string,
  cases: Array<{ name: string; items: number; fn: () => void; note?: string }>,
  o: SuiteOptions,
): Promise<BenchResult[]> {
  const bench = new Bench({ time: o.quick ? 300 : 1000, warmupTime: o.quick ? 100 : 200, iterations: 5 });
  for (const c of cases) bench.add(c.name, c.fn);
  await bench.run();
  return bench.tasks.map((t, i) => {
    const r = t.result as { state: string; latency?: { p50: number; p99: number; mean: number }; error?: Error };
    if (!r.latency) throw new Error(`${suite}/${t.name}: ${r.state} ${r.error?.message ?? ''}`);
    const n = cases[i]!.items;
    return {
      suite,
      name: t.name,
      unit: 'ns/item',
      p50: (r.latency.p50 * 1e6) / n,
      p99: (r.latency.p99 * 1e6) / n,
      mean: (r.latency.mean * 1e6) / n,
      better: 'lower' as const,
      note: cases[i]!.note,
    };
  });
}

/** Bytes in use in V8's young generation (where every short-lived object is allocated first). */
function youngUsedBytes(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === 'new_space') return s.space_used_size;
  return NaN;
}

/**
 * Heap bytes `fn` allocates per item: the young generation's growth across one call, in calls no minor GC
 * interrupted (the young generation shrank: measured again), after warm-up so the code is optimized. The
 * median of `samples` clean calls, less the meter's own allocation (the same measure around an empty call).
 * Deterministic for a given build (allocation, not time), so it stays meaningful on a noisy machine.
 */
export function heapBytesPerItem(fn: () => void, items: number, samples = 9, warmCalls = 200): number {
  for (let i = 0; i < warmCalls; i++) fn();
  const measure = (f: () => void): number => {
    const out: number[] = [];
    for (let tries = 0; out.length < samples && tries < samples * 20; tries++) {
      const before = youngUsedBytes();
      f();
      const after = youngUsedBytes();
      if (after >= before) out.push(after - before);
    }
    if (out.length < samples)
      throw new Error('heapBytesPerItem: a minor GC interrupted every measurement (too many items per call?)');
    return out.sort((a, b) => a - b)[out.length >> 1]!;
  };
  const empty = measure(() => undefined);
  return Math.max(0, measure(fn) - empty) / items;
}

/** A result's value as the tables print it: 2 decimals for ratios, k / M suffixes, '—' when missing. */
export function formatValue(x: number | undefined, unit: string): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (unit === 'ratio') return x.toFixed(2);
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * A started replay engine of `cfg` with no store, database or socket (what the in-process benches drive): pool
 * for compute.mode pool, stageTiming false as the replay and backtest commands run it.
 */
export async function startedReplayEngine(
  cfg: ChristmasConfig,
  { pool = false, stageTiming = true }: { pool?: boolean; stageTiming?: boolean } = {},
): Promise<Engine> {
  const engine = new Engine({
    config: cfg,
    log: silentLogger,
    store: false,
    persist: false,
    socket: false,
    replay: true,
    stageTiming,
    poolFactory: pool ? makePoolFactory(cfg, silentLogger) : undefined,
  });
  await engine.start();
  return engine;
}

/** A signal as the engine emits it (ema-cross on BTCUSDT), for the codec rows' encoders. */
export const sampleSignal: Signal = {
  seq: 1,
  id: 'christmas-1',
  tsNs: 1.7e18,
  symbol: 'BTCUSDT',
  venue: 'binance',
  side: 'buy',
  strategy: 'ema-cross',
  price: 61800.12,
  strength: 0.7,
  ttlMs: 2000,
  reason: 'ema12 crossed above ema26, rsi 55.1',
  indicators: { emaFast: 61800.1, emaSlow: 61799.9, rsi: 55.1 },
  latency: { tsExchNs: 1.7e18, tsRecvNs: 1.7e18, tsSignalNs: 1.7e18, tsRecvRemNs: NaN, tsSignalRemNs: NaN },
};
