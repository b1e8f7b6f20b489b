// End to end: `serve-replay` process -> daemon (inline or pool) -> socket client process, at fixed tick
// rates, side by side with a do-nothing relay (WS in -> UDS out) in the same run. Latency per tick is the
// client's receive time minus the server's send time (CLOCK_MONOTONIC, shared by processes), joined on the
// trade id the probe strategy carries. Also reports the daemon's own recv->signal histogram and main-thread
// load. Budget: daemon p50 and p99 within 1.25x of the relay. The -placed pair runs the sender and the client on
// separate CPUs, the placement README advises.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/daemon/embedded/process.js';
import { startRedis } from '../../src/daemon/embedded/redis.js';
import { startPostgres } from '../../src/daemon/embedded/postgres.js';
import { parsePrometheus } from '../../src/daemon/commands/top.js';
import { pingPong } from './pingpong.js';
import {
  formatValue,
  mainThreadCpuUs,
  processCpuUs,
  percentile,
  repoRoot,
  shared,
  type BenchResult,
  type SuiteOptions,
} from '../lib.js';

const cli = path.join(repoRoot, 'dist', 'src', 'daemon', 'cli.js');
const relayJs = path.join(repoRoot, 'dist', 'bench', 'e2e', 'relay.js');
const clientJs = path.join(repoRoot, 'dist', 'bench', 'e2e', 'client.js');

/**
 * Node flags of both senders (relay and daemon): one fixed 16 MiB young generation. Node grows it on demand up
 * to that size, and a minor GC's pause grows with it (measured here: ~0.5 ms at 2 MiB, ~1.1 ms at 16 MiB, the
 * relay's and the daemon's alike; bench/README "Garbage collection"). The daemon reaches 16 MiB during its start-up and the relay only after
 * minutes, so without this the comparison measured a young relay against a grown daemon.
 */
const SENDER_NODE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

/** Spawns node; with `cpus`, under `taskset -c` (which execs node, so the PID is node's). */
function proc(
  args: string[],
  env: Record<string, string> = {},
  cpus?: string,
): { child: ChildProcess; out: () => string } {
  let out = '';
  const [cmd, argv] =
    cpus === undefined ? [process.execPath, args] : ['taskset', ['-c', cpus, process.execPath, ...args]];
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d) => {
    out += d.toString();
  });
  return { child, out: () => out };
}
const waitFor = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`e2e: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const stop = (c: ChildProcess) =>
  new Promise<void>((r) => {
    if (c.exitCode !== null) return r();
    c.once('exit', () => r());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
  });

export interface E2EOutcome {
  mode: Mode;
  rate: number;
  sent: number;
  delivered: number;
  p50us: number;
  p99us: number;
  p999us: number;
  inProcP50us?: number;
  inProcP99us?: number;
  /** recv -> signal built, from the signals received after warm-up (every mode alike). */
  steadyP50us: number;
  steadyP99us: number;
  steady: number[];
  /** p99 over the median of the feed leg (send -> sender's receive) and the client leg (signal built -> client). */
  feedLegP99us?: number;
  clientLegP99us?: number;
  /** The sender's (relay's or daemon's) main-thread minor GCs (scavenges) in the measured window: pauses per second and their mean, ms. */
  minorGcPerSec?: number;
  minorGcMeanMs?: number;
  mainUsPerTick?: number;
  mainCpuUsPerTick?: number;
  healthP99ms?: number;
  cdf: number[];
  lat: number[];
  runs: number;
  pairRatios?: Array<{ p50: number; p99: number }>;
}

export type Mode =
  'relay' | 'hop' | 'hop-rt' | 'inline' | 'pool' | 'pool-spin' | 'pool-rt' | 'relay-placed' | 'inline-placed';
/** The relay variants: no daemon, no metrics endpoint. */
const isRelay = (m: Mode) => m === 'relay' || m === 'hop' || m === 'hop-rt' || m === 'relay-placed';
/**
 * `-placed`: the sender (relay or daemon) runs on CPU 0 and the socket client on CPU 1, as README's systemd
 * section advises (an AF_UNIX write wakes its reader on the writer's core; on a shared core the client then
 * preempts the daemon at its signal write). The generator is not pinned: beside the client on CPU 1 it sent
 * only ~51k of 100k ticks/s (bench/results/2026-11-26-1c830a1.json). Needs 2 CPUs and taskset.
 */
const isPlaced = (m: Mode) => m.endsWith('-placed');
const baseMode = (m: Mode) => m.replace('-placed', '') as Exclude<Mode, 'relay-placed' | 'inline-placed'>;
/** The relay a mode is compared with: the one with the same placement. */
const relayOf = (m: Mode): Mode => (isPlaced(m) ? 'relay-placed' : 'relay');
/** Relay and inline (placed or not): run three times interleaved in full runs, with their tail legs reported. */
const isPaired = (m: Mode) => baseMode(m) === 'relay' || baseMode(m) === 'inline';
const canPlace = (): boolean => {
  try {
    return availableParallelism() >= 2 && spawnSync('taskset', ['-c', '1', 'true']).status === 0;
  } catch {
    return false;
  }
};

export async function once(mode: Mode, rate: number, seconds: number, dir: string): Promise<E2EOutcome> {
  const port = await freePort();
  const sock = path.join(dir, `${mode}-${rate}.sock`);
  const sendLog = path.join(dir, `${mode}-${rate}.send`),
    recvLog = path.join(dir, `${mode}-${rate}.recv`);
  const server = proc([
    cli,
    'serve-replay',
    shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'),
    '--port',
    String(port),
    '--rate',
    String(rate),
    '--loop',
    '--send-log',
    sendLog,
    '--ping-ms',
    '60000',
  ]);
  await waitFor(() => server.out().includes('listening'), 20_000, 'replay server');
  const url = `ws://127.0.0.1:${port}/stream`;
  let engine: ReturnType<typeof proc>;
  let mport = 0;
  if (isRelay(mode)) {
    engine = proc(
      [
        ...SENDER_NODE_FLAGS,
        relayJs,
        url,
        sock,
        ...(baseMode(mode) === 'relay' ? [] : ['--hop']),
        ...(mode === 'hop-rt' ? ['--rt', '10'] : []),
      ],
      {},
      isPlaced(mode) ? '0' : undefined,
    );
    await waitFor(() => engine.out().includes('listening'), 10_000, 'relay');
  } else {
    mport = await freePort();
    const cfgFile = path.join(dir, `${mode}.json`);
    writeFileSync(
      cfgFile,
      JSON.stringify({
        instance: `bench-${mode}`,
        feeds: [
          {
            venue: 'binance',
            url,
            symbols: ['BTCUSDT'],
            channels: ['trade'],
            staleAfterMs: 60_000,
            maxConnectionAgeMs: 0,
          },
        ],
        strategies: [{ name: 'probe', type: 'probe', params: { everyN: 1 } }],
        risk: {
          maxSpreadBps: 10_000,
          cooldownMs: 0,
          maxSignalsPerSec: 1_000_000,
          maxSignalsPerSecPerSymbol: 1_000_000,
          gapQuietMs: 0,
          killSwitchFile: '',
        },
        signals: {
          socket: sock,
          replayRing: 10_000,
          maxClientBufferBytes: 1 << 28,
          seqFile: path.join(dir, `${mode}.seq`),
        },
        compute: {
          mode: mode.startsWith('pool') ? 'pool' : 'inline',
          workers: 1,
          ringSlots: 1 << 16,
          spinUs: mode === 'pool-spin' ? 200 : 0,
          realtimePriority: mode === 'pool-rt' ? 10 : 0,
        },
        log: { level: 'warn' },
        metrics: { listen: `127.0.0.1:${mport}` },
      }),
    );
    engine = proc(
      [...SENDER_NODE_FLAGS, cli, 'run', '--config', cfgFile, '--no-store', '--no-persist'],
      { CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool') },
      isPlaced(mode) ? '0' : undefined,
    );
    await waitFor(
      () => {
        try {
          readFileSync(sock);
          return false;
        } catch (e) {
          return (e as NodeJS.ErrnoException).code !== 'ENOENT';
        }
      },
      20_000,
      'daemon socket',
    );
  }
  const client = proc([clientJs, sock, recvLog], {}, isPlaced(mode) ? '1' : undefined);
  await waitFor(() => client.out().includes('connected'), 10_000, 'client');
  const scrape = async () =>
    mport ? parsePrometheus(await (await fetch(`http://127.0.0.1:${mport}/metrics`)).text()) : [];
  await new Promise((r) => setTimeout(r, 1000)); // warm-up
  const s0 = await scrape();
  const cpu0 = engine.child.pid ? mainThreadCpuUs(engine.child.pid) : undefined;
  const t0 = Date.now();
  // /health must answer within 100 ms under full load: poll it every 50 ms through the run.
  const healthMs: number[] = [];
  let polling = mport > 0;
  const poll = (async () => {
    while (polling) {
      const h0 = performance.now();
      try {
        await (await fetch(`http://127.0.0.1:${mport}/health`)).text();
        healthMs.push(performance.now() - h0);
      } catch {
        healthMs.push(Infinity);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  polling = false;
  await poll;
  const s1 = await scrape();
  const cpu1 = engine.child.pid ? mainThreadCpuUs(engine.child.pid) : undefined;
  const t1 = Date.now();
  const elapsed = (t1 - t0) / 1000;
  await stop(server.child);
  await stop(client.child);
  await stop(engine.child);
  const sends = new Map<number, bigint>();
  for (const l of readFileSync(sendLog, 'utf8').split('\n')) {
    if (!l) continue;
    const [id, ns] = l.split(' ');
    sends.set(Number(id), BigInt(ns!));
  }
  const lat: number[] = [];
  const recvLines = readFileSync(recvLog, 'utf8').split('\n').filter(Boolean);
  const skip = Math.floor(recvLines.length * 0.2); // the first 20 % are warm-up
  // Steady-state in-process latency from the signals themselves (the sender's receive -> signal built, its own
  // clock), over the same post-warm-up window as the end-to-end figure, the same way for every mode.
  // Where the tail forms: the feed leg (generator's send -> sender's receive) and the client leg (signal built
  // -> client's receive) cross clocks (the sender's epoch clock, CLOCK_MONOTONIC), so each is taken relative to
  // its own median; their p99 over that median says which side of the daemon the slow ticks were late on.
  const steady: number[] = [],
    feedLeg: number[] = [],
    clientLeg: number[] = [];
  for (const l of recvLines.slice(skip)) {
    const [id, ns, sRecv, sSignal] = l.split(' ');
    const s = sends.get(Number(id));
    if (s !== undefined) lat.push(Number(BigInt(ns!) - s) / 1000);
    const d = (Number(sSignal) - Number(sRecv)) / 1000;
    if (Number.isFinite(d)) steady.push(d);
    if (s !== undefined && Number.isFinite(d)) {
      feedLeg.push((Number(sRecv) - Number(s)) / 1000);
      clientLeg.push((Number(ns) - Number(sSignal)) / 1000);
    }
  }
  lat.sort((a, b) => a - b);
  steady.sort((a, b) => a - b);
  const overMedian = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return percentile(xs, 0.99) - percentile(xs, 0.5);
  };
  const cdf = Array.from({ length: 201 }, (_, i) => percentile(lat, Math.min(0.9999, i / 200)));
  const out: E2EOutcome = {
    mode,
    rate,
    sent: sends.size,
    delivered: recvLines.length,
    p50us: percentile(lat, 0.5),
    p99us: percentile(lat, 0.99),
    p999us: percentile(lat, 0.999),
    cdf,
    lat,
    runs: 1,
    steadyP50us: percentile(steady, 0.5),
    steadyP99us: percentile(steady, 0.99),
    steady,
    feedLegP99us: overMedian(feedLeg),
    clientLegP99us: overMedian(clientLeg),
  };
  // The relay has no metrics: its CPU is per offered tick (the generator holds its rate; the daemon's count is exact).
  if (isRelay(mode)) {
    if (cpu0 !== undefined && cpu1 !== undefined) out.mainCpuUsPerTick = (cpu1 - cpu0) / (rate * elapsed);
    const inproc = /^inproc (\{.*\})$/m.exec(engine.out());
    if (inproc) {
      const j = JSON.parse(inproc[1]!) as { p50Us: number; p99Us: number };
      out.inProcP50us = j.p50Us;
      out.inProcP99us = j.p99Us;
    }
    const gc = /^gc (\{.*\})$/m.exec(engine.out());
    if (gc) {
      const inWindow = (JSON.parse(gc[1]!) as { minor: Array<[number, number]> }).minor.filter(
        ([atMs]) => atMs >= t0 && atMs <= t1,
      );
      out.minorGcPerSec = inWindow.length / elapsed;
      out.minorGcMeanMs = inWindow.length ? inWindow.reduce((a, [, ms]) => a + ms, 0) / inWindow.length : NaN;
    }
  }
  if (s1.length) {
    const q = (qq: string) =>
      (s1.find(
        (x) =>
          x.name === 'christmas_stage_latency_since_start_seconds' &&
          x.labels.stage === 'recv_to_signal' &&
          x.labels.percentile === qq,
      )?.value ?? NaN) * 1e6;
    out.inProcP50us = q('50');
    out.inProcP99us = q('99');
    const ticks = (s: typeof s1) =>
      s.filter((x) => x.name === 'christmas_ticks_total').reduce((a, x) => a + x.value, 0);
    const elu = s1.find((x) => x.name === 'christmas_event_loop_utilization')?.value ?? NaN;
    const dt = ticks(s1) - ticks(s0);
    out.mainUsPerTick = dt > 0 ? (elu * elapsed * 1e6) / dt : NaN;
    if (cpu0 !== undefined && cpu1 !== undefined && dt > 0) out.mainCpuUsPerTick = (cpu1 - cpu0) / dt;
    healthMs.sort((a, b) => a - b);
    out.healthP99ms = percentile(healthMs, 0.99);
    const gc = (s: typeof s1, suffix: 'count' | 'sum') =>
      s.find((x) => x.name === `nodejs_gc_duration_seconds_${suffix}` && x.labels.kind === 'minor')?.value ?? 0;
    const minors = gc(s1, 'count') - gc(s0, 'count');
    out.minorGcPerSec = minors / elapsed;
    out.minorGcMeanMs = minors > 0 ? ((gc(s1, 'sum') - gc(s0, 'sum')) / minors) * 1e3 : NaN;
  }
  return out;
}

const median = (xs: number[]) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)]! : NaN;
};

/** One mode's runs at one rate as one outcome: latencies pooled, per-run figures as medians. */
function merge(runs: E2EOutcome[]): E2EOutcome {
  const lat = runs.flatMap((r) => r.lat).sort((a, b) => a - b);
  const steady = runs.flatMap((r) => r.steady).sort((a, b) => a - b);
  const med = (f: (r: E2EOutcome) => number | undefined) => median(runs.map((r) => f(r) ?? NaN));
  return {
    mode: runs[0]!.mode,
    rate: runs[0]!.rate,
    runs: runs.length,
    sent: runs.reduce((a, r) => a + r.sent, 0),
    delivered: runs.reduce((a, r) => a + r.delivered, 0),
    p50us: percentile(lat, 0.5),
    p99us: percentile(lat, 0.99),
    p999us: percentile(lat, 0.999),
    cdf: Array.from({ length: 201 }, (_, i) => percentile(lat, Math.min(0.9999, i / 200))),
    lat,
    steadyP50us: percentile(steady, 0.5),
    steadyP99us: percentile(steady, 0.99),
    steady,
    feedLegP99us: med((r) => r.feedLegP99us),
    clientLegP99us: med((r) => r.clientLegP99us),
    inProcP50us: med((r) => r.inProcP50us),
    inProcP99us: med((r) => r.inProcP99us),
    minorGcPerSec: med((r) => r.minorGcPerSec),
    minorGcMeanMs: med((r) => r.minorGcMeanMs),
    mainUsPerTick: med((r) => r.mainUsPerTick),
    mainCpuUsPerTick: med((r) => r.mainCpuUsPerTick),
    healthP99ms: med((r) => r.healthP99ms),
  };
}

/**
 * Full runs measure the relay and inline modes three times each, interleaved (relay, inline, relay, ...), so
 * a slow phase of this shared VM lands on both; their latencies are pooled and each pair's ratio is kept too.
 */
export async function runE2E(o: SuiteOptions): Promise<E2EOutcome[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-e2e-'));
  const rates = o.quick ? [10_000] : [10_000, 50_000, 100_000];
  const seconds = o.quick ? 3 : 8;
  const repeats = o.quick ? 1 : 3;
  const outcomes: E2EOutcome[] = [];
  // hop: the relay sends each tick through a worker thread and back (the pool's hand-off with nothing
  // computed: the machine's floor under pool mode), run just before pool; hop-rt: the same with the worker
  // SCHED_FIFO, just before pool-rt. pool-spin: the shard worker polls its ring for 200 µs before sleeping
  // (compute.spinUs); pool-rt: the shard thread runs SCHED_FIFO (compute.realtimePriority 10); full runs only.
  const placed: Mode[] = canPlace() ? ['relay-placed', 'inline-placed'] : [];
  const modes: readonly Mode[] = o.quick
    ? ['relay', 'inline', ...placed, 'hop', 'pool']
    : ['relay', 'inline', ...placed, 'hop', 'pool', 'pool-spin', 'hop-rt', 'pool-rt'];
  for (const rate of rates) {
    const runs = new Map<Mode, E2EOutcome[]>();
    for (let r = 0; r < repeats; r++) {
      for (const mode of modes) {
        if (r > 0 && !isPaired(mode)) continue;
        const x = await once(mode, rate, seconds, dir);
        runs.set(mode, [...(runs.get(mode) ?? []), x]);
      }
    }
    for (const mode of modes) {
      const m = merge(runs.get(mode)!);
      if (mode !== relayOf(mode)) {
        const rel = runs.get(relayOf(mode))!,
          mine = runs.get(mode)!;
        m.pairRatios = mine.map((x, i) => ({ p50: x.p50us / rel[i]!.p50us, p99: x.p99us / rel[i]!.p99us }));
      }
      outcomes.push(m);
    }
  }
  return outcomes;
}

/**
 * Sustained load through the whole pipeline: the daemon with its default strategies, Redis and PostgreSQL,
 * fed at `rate` trades/s. Reports what it kept up with (accepted / sent), the worst Redis backlog and database
 * lag seen, and the main thread's CPU per tick.
 */
async function fullPipeline(
  rate: number,
  seconds: number,
  dir: string,
  ioMode: 'thread' | 'inline',
): Promise<BenchResult[]> {
  const redis = await startRedis();
  const pgs = await startPostgres();
  const port = await freePort(),
    mport = await freePort();
  // --coalesce: the generator writes each send turn in one syscall, so it takes less of the two cores the
  // pipeline is measured on (latency is not measured here, only what the daemon keeps up with).
  const server = proc([
    cli,
    'serve-replay',
    shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'),
    '--port',
    String(port),
    '--rate',
    String(rate),
    '--loop',
    '--ping-ms',
    '60000',
    '--coalesce',
  ]);
  let engine: ReturnType<typeof proc> | undefined;
  try {
    await waitFor(() => server.out().includes('listening'), 20_000, 'replay server');
    const cfgFile = path.join(dir, 'full.json');
    writeFileSync(
      cfgFile,
      JSON.stringify({
        instance: 'bench-full',
        feeds: [
          {
            venue: 'binance',
            url: `ws://127.0.0.1:${port}/stream`,
            symbols: ['BTCUSDT'],
            channels: ['trade'],
            staleAfterMs: 60_000,
            maxConnectionAgeMs: 0,
          },
        ],
        redis: { url: redis.url, maxTicksPerSymbol: 100_000 },
        database: { url: pgs.url },
        signals: { socket: path.join(dir, 'full.sock'), seqFile: path.join(dir, 'full.seq') },
        spool: { dir: path.join(dir, `full-spool-${ioMode}`) },
        io: { mode: ioMode },
        log: { level: 'warn' },
        metrics: { listen: `127.0.0.1:${mport}` },
      }),
    );
    engine = proc([cli, 'run', '--config', cfgFile]);
    const scrape = async () => parsePrometheus(await (await fetch(`http://127.0.0.1:${mport}/metrics`)).text());
    let s0: ReturnType<typeof parsePrometheus> = [];
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      try {
        s0 = await scrape();
        if (s0.some((x) => x.name === 'christmas_ticks_total')) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    s0 = await scrape();
    const cpu0 = engine.child.pid ? mainThreadCpuUs(engine.child.pid) : undefined;
    const proc0 = engine.child.pid ? processCpuUs(engine.child.pid) : undefined;
    const t0 = Date.now();
    let maxBacklog = 0,
      maxLagRows = 0,
      maxSpool = 0,
      elu = 0,
      samples = 0;
    while (Date.now() - t0 < seconds * 1000) {
      await new Promise((r) => setTimeout(r, 500));
      const m = await scrape();
      const g = (n: string) => m.find((x) => x.name === n)?.value ?? 0;
      maxBacklog = Math.max(maxBacklog, g('christmas_store_backlog_ticks'));
      maxLagRows = Math.max(maxLagRows, g('christmas_persist_lag_rows'));
      maxSpool = Math.max(maxSpool, g('christmas_persist_spool_bytes'));
      elu += g('christmas_event_loop_utilization');
      samples++;
    }
    const s1 = await scrape();
    const cpu1 = engine.child.pid ? mainThreadCpuUs(engine.child.pid) : undefined;
    const proc1 = engine.child.pid ? processCpuUs(engine.child.pid) : undefined;
    const elapsed = (Date.now() - t0) / 1000;
    const ticks = (s: typeof s1) =>
      s.filter((x) => x.name === 'christmas_ticks_total').reduce((a, x) => a + x.value, 0);
    const accepted = ticks(s1) - ticks(s0);
    const tag = `full pipeline (Redis + PostgreSQL + 4 strategies, io ${ioMode}) @ ${rate / 1000}k ticks/s`;
    return [
      {
        suite: 'e2e',
        name: `${tag}: ticks accepted per second`,
        unit: 'ticks/s',
        p50: accepted / elapsed,
        better: 'higher',
        note: `offered ${rate}/s`,
      },
      {
        suite: 'e2e',
        name: `${tag}: worst Redis backlog`,
        unit: 'ticks',
        p50: maxBacklog,
        better: 'lower',
        note: 'bounded lag',
      },
      {
        suite: 'e2e',
        name: `${tag}: worst database lag (rows buffered)`,
        unit: 'rows',
        p50: maxLagRows,
        better: 'lower',
        note: `spool peak ${maxSpool} bytes`,
      },
      {
        suite: 'e2e',
        name: `${tag}: main-thread CPU per tick (schedstat)`,
        unit: 'µs/tick',
        p50: cpu0 !== undefined && cpu1 !== undefined && accepted > 0 ? (cpu1 - cpu0) / accepted : NaN,
        better: 'lower',
        note: 'budget <= 4',
      },
      {
        suite: 'e2e',
        name: `${tag}: whole-process CPU per tick (all threads)`,
        unit: 'µs/tick',
        p50: proc0 !== undefined && proc1 !== undefined && accepted > 0 ? (proc1 - proc0) / accepted : NaN,
        better: 'lower',
        note: 'context: the io thread moves work, it does not remove it',
      },
      {
        suite: 'e2e',
        name: `${tag}: main-thread µs per tick (ELU)`,
        unit: 'µs/tick',
        p50: samples ? ((elu / samples) * 1e6) / (accepted / elapsed) : NaN,
        better: 'lower',
        note: 'wall time the loop was busy, including time waiting for a CPU',
      },
    ];
  } finally {
    await stop(server.child);
    if (engine) await stop(engine.child);
    await redis.stop();
    await pgs.stop();
  }
}

/** The sender's main-thread minor GCs in the measured window (both senders run with SENDER_NODE_FLAGS). */
const gcRow = (tag: string, x: E2EOutcome): BenchResult => ({
  suite: 'e2e',
  name: `${tag}: main-thread minor GC pause, mean`,
  unit: 'ms',
  p50: x.minorGcMeanMs ?? NaN,
  better: 'lower',
  note: `context: ${formatValue(x.minorGcPerSec ?? NaN, 'ms')} per second, each a stop of the hot path; young generation fixed at 16 MiB for relay and daemon alike`,
});

/** Latency CDFs of the last e2e run, for --plot. */
export let lastOutcomes: E2EOutcome[] = [];

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const res: BenchResult[] = [];
  // The hand-off floor first, on a machine at rest: DESIGN.md §3 measured it at p50 10 µs, p99 15 µs.
  for (const [label, rounds, gapMs] of [
    ['back to back', o.quick ? 5000 : 20_000, 0],
    ['1 ms apart', o.quick ? 500 : 2000, 1],
  ] as const) {
    const pp = await pingPong(rounds, gapMs);
    res.push({
      suite: 'e2e',
      name: `floor: Atomics ping-pong main <-> worker, ${label}`,
      unit: 'µs',
      p50: pp.p50Us,
      p99: pp.p99Us,
      better: 'lower',
      note: `${pp.rounds} rounds; DESIGN.md §3: p50 10, p99 15 (its budgets assume that floor)`,
    });
  }
  const outs = await runE2E(o);
  lastOutcomes = outs;
  if (!o.quick)
    for (const io of ['thread', 'inline'] as const)
      res.push(...(await fullPipeline(100_000, 10, mkdtempSync(path.join(tmpdir(), 'christmas-full-')), io)));
  for (const x of outs) {
    const relay = outs.find((r) => r.mode === relayOf(x.mode) && r.rate === x.rate)!;
    // The pool's floor: the relay with the same thread hop (pool-rt's has its thread SCHED_FIFO too).
    const floor = outs.find((r) => r.mode === (x.mode === 'pool-rt' ? 'hop-rt' : 'hop') && r.rate === x.rate);
    const tag = `${x.mode} @ ${x.rate / 1000}k ticks/s`;
    const placement = isPlaced(x.mode) ? ' (sender on CPU 0, client on CPU 1)' : '';
    const runs = x.runs > 1 ? `; ${x.runs} interleaved runs pooled` : '';
    res.push({
      suite: 'e2e',
      name: `${tag}: end-to-end p50`,
      unit: 'µs',
      p50: x.p50us,
      p99: x.p99us,
      mean: x.p999us,
      better: 'lower',
      note: `p99.9 in "mean" column; delivered ${x.delivered} of ${x.sent} sent${runs}${placement}`,
    });
    if (isPaired(x.mode)) {
      const runsNote = x.runs > 1 ? ', median of the runs' : '';
      res.push({
        suite: 'e2e',
        name: `${tag}: tail legs, p99 over the median: feed (send -> receive)`,
        unit: 'µs',
        p50: x.feedLegP99us ?? NaN,
        better: 'lower',
        note: `context: where the e2e tail forms${runsNote}`,
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: tail legs, p99 over the median: client (signal built -> client)`,
        unit: 'µs',
        p50: x.clientLegP99us ?? NaN,
        better: 'lower',
        note: `context: where the e2e tail forms${runsNote}`,
      });
    }
    if (isRelay(x.mode)) {
      res.push({
        suite: 'e2e',
        name: `${tag}: main-thread CPU per tick (schedstat)`,
        unit: 'µs/tick',
        p50: x.mainCpuUsPerTick ?? NaN,
        better: 'lower',
        note: "context: what the daemon's main-thread CPU per tick compares with",
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: in-process recv->signal built, steady state`,
        unit: 'µs',
        p50: x.steadyP50us,
        p99: x.steadyP99us,
        better: 'lower',
        note:
          baseMode(x.mode) === 'relay'
            ? 'floor: parse the id, build the signal'
            : `floor: the same plus a hand-off to a worker thread and back${x.mode === 'hop-rt' ? ' (SCHED_FIFO)' : ''}, as pool mode does`,
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: in-process recv->signal written, since start`,
        unit: 'µs',
        p50: x.inProcP50us ?? NaN,
        p99: x.inProcP99us,
        better: 'lower',
        note: 'context: every tick from the first, start-up and JIT warm-up included',
      });
      res.push(gcRow(tag, x));
    }
    if (x.mode === 'hop' || x.mode === 'hop-rt') {
      res.push({
        suite: 'e2e',
        name: `${tag}: p50 / relay p50`,
        unit: 'ratio',
        p50: x.p50us / relay.p50us,
        better: 'lower',
        note: 'context: what one thread hop costs end to end',
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: p99 / relay p99`,
        unit: 'ratio',
        p50: x.p99us / relay.p99us,
        better: 'lower',
        note: 'context: what one thread hop costs end to end',
      });
    }
    if (floor && x.mode.startsWith('pool')) {
      res.push({
        suite: 'e2e',
        name: `${tag}: in-process p50 / ${floor.mode} in-process p50 (steady state)`,
        unit: 'ratio',
        p50: x.steadyP50us / floor.steadyP50us,
        better: 'lower',
        note: `pool over its floor, same run: ${formatValue(x.steadyP50us, 'µs')} vs ${formatValue(floor.steadyP50us, 'µs')} µs`,
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: in-process p99 / ${floor.mode} in-process p99 (steady state)`,
        unit: 'ratio',
        p50: x.steadyP99us / floor.steadyP99us,
        better: 'lower',
        note: `pool over its floor, same run: ${formatValue(x.steadyP99us, 'µs')} vs ${formatValue(floor.steadyP99us, 'µs')} µs`,
      });
    }
    if (!isRelay(x.mode)) {
      const pairs = (k: 'p50' | 'p99') =>
        x.pairRatios && x.pairRatios.length > 1
          ? `; run by run: ${x.pairRatios.map((p) => p[k].toFixed(2)).join(', ')}`
          : '';
      res.push({
        suite: 'e2e',
        name: `${tag}: p50 / ${relay.mode} p50`,
        unit: 'ratio',
        p50: x.p50us / relay.p50us,
        better: 'lower',
        note: `budget <= 1.25${pairs('p50')}${placement}`,
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: p99 / ${relay.mode} p99`,
        unit: 'ratio',
        p50: x.p99us / relay.p99us,
        better: 'lower',
        note: `budget <= 1.25${pairs('p99')}${placement}`,
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: in-process recv->signal built, steady state`,
        unit: 'µs',
        p50: x.steadyP50us,
        p99: x.steadyP99us,
        better: 'lower',
        note: "context: the e2e window (after warm-up), to the signal's tsSignalNs: before the risk gate, encode and socket write",
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: in-process recv->signal written, since start`,
        unit: 'µs',
        p50: x.inProcP50us ?? NaN,
        p99: x.inProcP99us,
        better: 'lower',
        note: `${baseMode(x.mode) === 'inline' ? 'budget p50 <= 10, p99 <= 40' : 'budget p50 <= 30, p99 <= 100'}; the daemon's recv_to_signal histogram: every tick from the first, start-up and JIT warm-up included`,
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: main-thread CPU per tick (schedstat)`,
        unit: 'µs/tick',
        p50: x.mainCpuUsPerTick ?? NaN,
        better: 'lower',
        note: "context: a signal encoded and written per tick (the <= 4 µs budget is the full pipeline's)",
      });
      res.push({
        suite: 'e2e',
        name: `${tag}: main-thread µs per tick (ELU)`,
        unit: 'µs/tick',
        p50: x.mainUsPerTick ?? NaN,
        better: 'lower',
        note: 'wall time the loop was busy, including time waiting for a CPU',
      });
      res.push(gcRow(tag, x));
      res.push({
        suite: 'e2e',
        name: `${tag}: /health response p99`,
        unit: 'ms',
        p50: x.healthP99ms ?? NaN,
        better: 'lower',
        note: 'budget <= 100 ms',
      });
    }
  }
  return res;
}
