// Hot-piece codecs: Redis member encode (msgpack tick), signal frame encode, COPY row encode and the rules per
// tick (codec-rows.ts); and the heap bytes the hot path's own pieces allocate per item (frame -> tick, the default
// strategies, a signal's frame: heap-rows.ts), which set how often minor GCs stop the main thread (README "Garbage
// collection"). Each file runs in a process of its own: both kinds of row move with what the bench process ran
// before (their headers say how much).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult, SuiteOptions } from '../lib.js';

/** The rows one of this suite's files prints, run in a fresh process. */
function rowsOf(file: string, args: string[] = []): BenchResult[] {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file}: exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as BenchResult[];
}

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  return [...rowsOf('./codec-rows.js', o.quick ? ['--quick'] : []), ...rowsOf('./heap-rows.js')];
}
