// Where books should live (issue 21): the real 2021 Binance session (depth@100ms diffs with REST snapshots,
// bookTicker, aggTrade) through a replay engine running ofi-momentum on every book, inline (books and strategies
// on the main thread) against compute.mode pool with POOL_WORKERS shards (the main thread parses and copies each book
// message into its shard's ring; the shard keeps the book and runs onBook), at 1, 10 and 100 symbols (streamsOf). Per
// mode: the main thread's time per frame (what bounds a live feed's rate) and the wall time until every draft is
// back (throughput), medians of the passes after one warm-up pass of each, modes interleaved so a slow phase of
// the VM lands on both.
import { loadConfig } from '../../src/config/load.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { binanceAdapter } from '../../src/feed/binance/adapter.js';
import { percentile, type BenchResult, type SuiteOptions, startedReplayEngine } from '../lib.js';

/** Shards of the pool runs: the default compute.workers, which with the main thread fills these 2-vCPU machines. */
const POOL_WORKERS = 1;

export interface SessionRecord {
  kind: 'frame' | 'snapshot';
  text: string;
  recvNs: number;
  symbol: string;
}

const symbolOf = (r: SessionRecord): string => r.symbol || /"s":"([A-Z0-9]+)"/.exec(r.text)?.[1] || '';

/** A record under another symbol name (frames: the payload's symbol and stream; snapshots: their symbol). */
function renamed(r: SessionRecord, sym: string, to: string): SessionRecord {
  if (r.kind === 'snapshot') return { ...r, symbol: to };
  return {
    ...r,
    text: r.text
      .replace(`"s":"${sym}"`, `"s":"${to}"`)
      .replace(`"stream":"${sym.toLowerCase()}@`, `"stream":"${to.toLowerCase()}@`),
  };
}

/**
 * The session at `n` symbols, about 100,000 frames each (a pool shard's JIT warms within a pass, as it does in a
 * long-running daemon): the busiest symbol (1) or all 10 (10) played again and again, each time under new names
 * (fresh books, `n` of them at a time), or each of the 10 symbols ten times under other names, interleaved (100).
 */
function streamsOf(records: SessionRecord[], n: 1 | 10 | 100): SessionRecord[] {
  let base = records;
  if (n === 1) {
    const count = new Map<string, number>();
    for (const r of records) count.set(symbolOf(r), (count.get(symbolOf(r)) ?? 0) + 1);
    const busiest = [...count].filter(([s]) => s).sort((a, b) => b[1] - a[1])[0]![0];
    base = records.filter((r) => symbolOf(r) === busiest);
  }
  const out: SessionRecord[] = [];
  if (n === 100) {
    for (const r of records) {
      const sym = symbolOf(r);
      out.push(r);
      if (sym) for (let k = 1; k < 10; k++) out.push(renamed(r, sym, `${sym}X${k}`));
    }
    return out;
  }
  const times = Math.max(1, Math.round(100_000 / base.length));
  for (let k = 0; k < times; k++)
    for (const r of base) {
      const sym = symbolOf(r);
      out.push(k === 0 || !sym ? r : renamed(r, sym, `${sym}R${k}`));
    }
  return out;
}

interface Pass {
  mainNsPerFrame: number;
  wallMs: number;
  frames: number;
  signals: number;
  books: number;
}

async function pass(records: SessionRecord[], mode: 'inline' | 'pool'): Promise<Pass> {
  const cfg = loadConfig({
    env: {},
    overrides: {
      strategies: [{ name: 'ofi', type: 'ofi-momentum', symbols: ['*'], params: {} }],
      'risk.cooldownMs': 0,
      'compute.mode': mode,
      'compute.workers': POOL_WORKERS,
    },
  });
  const engine = await startedReplayEngine(cfg, { pool: true });
  const proc = new FrameProcessor(binanceAdapter('binance'), (t) => engine.onTick(t, NaN));
  proc.books = engine.bookInput;
  let mainNs = 0,
    frames = 0;
  const t0 = performance.now();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const s = process.hrtime.bigint();
    if (r.kind === 'snapshot') proc.onSnapshot(r.symbol, r.text, r.recvNs);
    else {
      proc.onFrame(r.text, r.recvNs);
      frames++;
    }
    mainNs += Number(process.hrtime.bigint() - s);
    if ((i & 255) === 255) await new Promise((res) => setImmediate(res)); // a live loop's turns: drafts are collected
  }
  await engine.compute.flush(60_000);
  const wallMs = performance.now() - t0;
  const signals = engine.emitted;
  if (process.env.MODES_DEBUG) console.log(mode, JSON.stringify(engine.risk.suppressed), engine.risk.passed);
  await engine.stop(2000);
  const books = engine.bookSummary().books.filter((b) => b.state === 'live').length;
  return { mainNsPerFrame: mainNs / frames, wallMs, frames, signals, books };
}

export async function bookModes(records: SessionRecord[], o: SuiteOptions): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of [1, 10, 100] as const) {
    const recs = streamsOf(records, n);
    const runs: Record<'inline' | 'pool', Pass[]> = { inline: [], pool: [] };
    const passes = o.quick ? 2 : 5;
    for (const mode of ['inline', 'pool'] as const) await pass(recs, mode); // warm-up, not counted
    for (let p = 0; p < passes; p++)
      for (const mode of p % 2 ? (['pool', 'inline'] as const) : (['inline', 'pool'] as const))
        runs[mode].push(await pass(recs, mode));
    const med = (mode: 'inline' | 'pool', f: (x: Pass) => number) =>
      percentile(
        runs[mode].map(f).sort((a, b) => a - b),
        0.5,
      );
    const hi = (mode: 'inline' | 'pool', f: (x: Pass) => number) =>
      percentile(
        runs[mode].map(f).sort((a, b) => a - b),
        0.99,
      );
    const frames = runs.inline[0]!.frames;
    for (const mode of ['inline', 'pool'] as const) {
      const r0 = runs[mode][0]!;
      out.push({
        suite: 'book',
        name: `books at ${n} symbol(s), ${mode}: main-thread time per frame (2021 session, ofi-momentum onBook)`,
        unit: 'ns/item',
        p50: med(mode, (x) => x.mainNsPerFrame),
        p99: hi(mode, (x) => x.mainNsPerFrame),
        better: 'lower',
        note:
          `${frames} frames, ${r0.books} live books, ${r0.signals} signals a pass; ` +
          (mode === 'pool'
            ? `pool/inline ${(med('pool', (x) => x.mainNsPerFrame) / med('inline', (x) => x.mainNsPerFrame)).toFixed(2)}x`
            : 'books and strategies on the main thread'),
      });
      out.push({
        suite: 'book',
        name: `books at ${n} symbol(s), ${mode}: frames/s until every draft is back`,
        unit: 'items/s',
        p50: frames / (med(mode, (x) => x.wallMs) / 1000),
        p99: frames / (hi(mode, (x) => x.wallMs) / 1000),
        better: 'higher',
        note:
          mode === 'pool'
            ? `pool/inline wall ${(med('pool', (x) => x.wallMs) / med('inline', (x) => x.wallMs)).toFixed(2)}x`
            : `wall median ${med(mode, (x) => x.wallMs).toFixed(0)} ms`,
      });
    }
  }
  return out;
}
