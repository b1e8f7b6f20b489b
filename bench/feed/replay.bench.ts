// Research replay speed (issue 22): `christmas replay --speed max` over real trade CSVs and a Binance session, in-process (the engine
// with its default strategies, no store, database or socket) against a bare read of the same file (its lines
// split into fields, nothing else) in the same run; and the CLI's start-up before it works (`--version`, a
// process spawned to exit, and a replay of a two-trade file spawned to exit). Medians of several runs each. On the SPY file also without strategies, so the
// replay's own cost and the default strategies' show apart. Each file is read and replayed once before the
// measured runs (JIT warm-up).
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { ReplayDriver } from '../../src/daemon/replay-driver.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { repoRoot, shared, type BenchResult, type SuiteOptions, startedReplayEngine } from '../lib.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function bareRead(file: string): Promise<number> {
  const t0 = performance.now();
  const input = file.endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  let fields = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) fields += line.split(',').length;
  if (fields === 0) throw new Error(`bare read of ${file}: no lines`);
  return performance.now() - t0;
}

/** The replay's time; `strategies: false` runs none (the reader, feed checks and engine alone). */
async function replayInProcess(file: string, strategies = true): Promise<{ ms: number; ticks: number }> {
  const cfg = loadConfig({ env: {}, overrides: strategies ? {} : { strategies: [] } });
  const engine = await startedReplayEngine(cfg, { stageTiming: false });
  const t0 = performance.now();
  await new ReplayDriver(engine, silentLogger, { files: [file], speed: 0 }).run();
  const ms = performance.now() - t0;
  await engine.stop(2000);
  return { ms, ticks: engine.ticks };
}

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const files = [shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv')];
  if (!o.quick)
    files.push(
      shared('ticks/lean-SPY-trade-ticks-20131008.csv.gz'),
      shared('messages/binance-spot-session-20240808.log.gz'), // JSON frames: trades, quotes and depth diffs
    );
  const runs = o.quick ? 3 : 5;
  const out: BenchResult[] = [];
  for (const file of files) {
    const name = path.basename(file);
    const bare: number[] = [],
      rep: number[] = [],
      repNone: number[] = [];
    const withoutStrategies = file.endsWith('.csv.gz'); // the SPY file: how much of the time the strategies are
    let ticks = 0;
    // One pass of each first, not counted: a file this short is otherwise mostly JIT warm-up, and a research
    // replay of a long file runs warm. The cold pass's time is in the note.
    const coldBare = await bareRead(file);
    const cold = (await replayInProcess(file)).ms;
    if (withoutStrategies) await replayInProcess(file, false);
    for (let i = 0; i < runs; i++) {
      bare.push(await bareRead(file));
      const r = await replayInProcess(file);
      rep.push(r.ms);
      ticks = r.ticks;
      if (withoutStrategies) repNone.push((await replayInProcess(file, false)).ms);
    }
    const b = median(bare),
      r = median(rep);
    out.push(
      {
        suite: 'replay',
        name: `replay --speed max, ${name}: ticks per second`,
        unit: 'ticks/s',
        p50: (ticks / r) * 1000,
        better: 'higher',
        note: `${ticks} ticks, median of ${runs}; goal >= 1M`,
      },
      {
        suite: 'replay',
        name: `replay --speed max, ${name}: time over a bare read of the same file`,
        unit: 'ratio',
        p50: r / b,
        better: 'lower',
        note: `replay ${r.toFixed(0)} ms vs bare read ${b.toFixed(0)} ms, same run, after a warm-up pass (cold: ${cold.toFixed(0)} vs ${coldBare.toFixed(0)} ms); goal <= 1.5`,
      },
    );
    if (withoutStrategies)
      out.push({
        suite: 'replay',
        name: `replay --speed max, ${name}, no strategies: time over a bare read of the same file`,
        unit: 'ratio',
        p50: median(repNone) / b,
        better: 'lower',
        note: `replay without strategies ${median(repNone).toFixed(0)} ms vs bare read ${b.toFixed(0)} ms: the reader, feed checks and engine alone`,
      });
  }
  const cli = path.join(repoRoot, 'dist', 'src', 'daemon', 'cli.js');
  const starts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [cli, '--version']);
    starts.push(performance.now() - t0);
  }
  // A whole command that works: replay of a two-trade file, no services, spawned to exit (start-up, the two ticks
  // through the engine, the drain and the exit).
  const tinyDir = mkdtempSync(path.join(tmpdir(), 'christmas-bench-tiny-'));
  const tiny = path.join(tinyDir, 'binance-spot-BTCUSDT-trades-tiny.csv');
  writeFileSync(tiny, readFileSync(files[0]!, 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
  const replays: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'replay', tiny, '--no-store', '--no-persist', '--no-socket']);
    replays.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`replay of ${tiny} exited ${r.status}: ${r.stderr.toString().slice(-300)}`);
  }
  rmSync(tinyDir, { recursive: true, force: true });
  const bareNode: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bareNode.push(performance.now() - t0);
  }
  out.push({
    suite: 'replay',
    name: 'CLI start-up: christmas --version, process spawned to exit',
    unit: 'ms',
    p50: median(starts),
    better: 'lower',
    note: `node -e 0 takes ${median(bareNode).toFixed(0)} ms here; goal <= 150 ms before a command works`,
  });
  out.push({
    suite: 'replay',
    name: 'CLI start-up: christmas replay of a two-trade file, process spawned to exit',
    unit: 'ms',
    p50: median(replays),
    better: 'lower',
    note: `node -e 0 takes ${median(bareNode).toFixed(0)} ms here: ${(median(replays) - median(bareNode)).toFixed(0)} ms are the command's own (load, config, engine, two ticks, drain, exit); goal <= 150 ms before a command works`,
  });
  return out;
}
