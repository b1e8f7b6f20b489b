// The do-nothing relay for the end-to-end comparison: WS in -> UDS out in the same process topology as the
// daemon. It subscribes like the daemon, and for every trade frame writes one signal frame carrying the trade
// id to every socket client: the same encoder and the same fields as the daemon's probe signals, so the client
// process decodes the same bytes either way. No parsing beyond the id, no compute, no risk, no I/O.
// `--hop` sends every tick through a worker thread and back first (hop-worker.ts: shared rings, Atomics
// wait/notify/waitAsync, the pool's hand-off), `--rt N` runs that thread SCHED_FIFO: the machine's floor
// under `compute.mode: pool`, measured in the same run. On SIGTERM it prints its own receive -> written
// latency ("inproc {p50Us, p99Us, n}"), the figure the daemon reports as recv_to_signal, and its minor GCs
// ("gc {minor: [[epochMs, durationMs], ...]}"), the pauses the daemon reports in its GC metrics.
import { WebSocket } from 'ws';
import { createServer, type Socket } from 'node:net';
import { unlinkSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { constants as perfConstants, performance, PerformanceObserver } from 'node:perf_hooks';
import { encodeFrame, FrameDecoder } from '../../src/signal/framing.js';
import { encodeSignalFrame } from '../../src/signal/signal-frame.js';
import { signalId, type Signal } from '../../src/model/signal.js';
import { nowNs } from '../../src/telemetry/clock.js';
import { percentile } from '../lib.js';
import { createHopBuffers, HOP_IN_W, HOP_OUT_W, HOP_SLEEPING, HOP_STOP } from './hop-ring.js';
import { WAKE_EVERY } from '../../src/model/tick-ring.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { hop: { type: 'boolean', default: false }, rt: { type: 'string', default: '0' } },
});
const hop = opts.hop,
  realtimePriority = Number(opts.rt);
const [url, socketPath] = positionals;
if (!url || !socketPath) {
  process.stderr.write('usage: relay.js <ws url> <socket> [--hop [--rt N]]\n');
  process.exit(64);
}
try {
  unlinkSync(socketPath!);
} catch {
  /* none */
}
const clients = new Set<Socket>();
const server = createServer((s) => {
  const dec = new FrameDecoder();
  s.on('data', (d) => {
    const r = dec.push(d);
    if (r.ok && r.messages.some((m) => m.type === 'hello')) {
      s.write(encodeFrame({ type: 'welcome', v: 1, seq: 0, instance: 'relay', startedAt: '' }));
      clients.add(s);
    }
  });
  s.on('close', () => clients.delete(s));
  s.on('error', () => clients.delete(s));
});
server.listen(socketPath, () => process.stdout.write('listening\n'));

const minorGcs: Array<[number, number]> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (
      ((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind ===
      perfConstants.NODE_PERFORMANCE_GC_MINOR
    )
      minorGcs.push([performance.timeOrigin + e.startTime, e.duration]);
}).observe({ entryTypes: ['gc'] });

const LAT_CAPACITY = 4_000_000;
const latUs = new Float64Array(LAT_CAPACITY);
let latN = 0;
let seq = 0;
function emit(tradeId: number, recvNs: number): void {
  const ns = nowNs();
  const s: Signal = {
    seq: ++seq,
    id: signalId('relay', seq),
    tsNs: ns,
    symbol: 'BTCUSDT',
    venue: 'binance',
    side: 'buy',
    strategy: 'probe',
    price: 61234.5,
    strength: 0,
    ttlMs: 1,
    reason: 'latency probe',
    indicators: { tradeId },
    latency: { tsExchNs: recvNs, tsRecvNs: recvNs, tsSignalNs: ns, tsRecvRemNs: NaN, tsSignalRemNs: NaN },
  };
  const frame = encodeSignalFrame(s);
  for (const c of clients) c.write(frame);
  if (latN < LAT_CAPACITY) latUs[latN++] = (nowNs() - recvNs) / 1000;
}

// The hop: ticks go out through `input`, come back through `output`. Wakes follow the pool's policy: the
// turn's first tick at once, then every WAKE_EVERY-th (the pool's own constant), and once more at the end of the turn.
const CAPACITY = 1 << 20,
  MASK = CAPACITY - 1;
const hopBuffers = hop ? createHopBuffers(CAPACITY) : undefined;
const header = hopBuffers ? new Int32Array(hopBuffers.header) : new Int32Array(8);
const input = hopBuffers ? new Float64Array(hopBuffers.input) : new Float64Array(0);
const output = hopBuffers ? new Float64Array(hopBuffers.output) : new Float64Array(0);
let written = 0,
  drained = 0,
  unwoken = 0,
  wokenThisTurn = false,
  turnScheduled = false,
  waiting = false;
const wake = () => {
  unwoken = 0;
  if (Atomics.load(header, HOP_SLEEPING) === 1) Atomics.notify(header, HOP_IN_W, 1);
};
const afterTurn = () => {
  turnScheduled = false;
  wokenThisTurn = false;
  if (unwoken > 0) wake();
};
function drain(): void {
  const w = Atomics.load(header, HOP_OUT_W);
  while (drained !== w) {
    const o = (drained & MASK) * 2;
    emit(output[o]!, output[o + 1]!);
    drained = (drained + 1) | 0;
  }
}
function watch(): void {
  if (waiting) return;
  const seen = Atomics.load(header, HOP_OUT_W);
  if (seen !== drained) {
    drain();
    queueMicrotask(watch);
    return;
  }
  const r = Atomics.waitAsync(header, HOP_OUT_W, seen, 1000);
  if (!r.async) {
    drain();
    queueMicrotask(watch);
    return;
  }
  waiting = true;
  void r.value.then(() => {
    waiting = false;
    drain();
    watch();
  });
}
function submit(tradeId: number, recvNs: number): void {
  const o = (written & MASK) * 2;
  input[o] = tradeId;
  input[o + 1] = recvNs;
  written = (written + 1) | 0;
  Atomics.store(header, HOP_IN_W, written);
  if (!wokenThisTurn) {
    wokenThisTurn = true;
    wake();
  } else if (++unwoken >= WAKE_EVERY) wake();
  if (!turnScheduled) {
    turnScheduled = true;
    queueMicrotask(afterTurn);
  }
  if (Atomics.load(header, HOP_OUT_W) !== drained) drain(); // busy: collect what came back without a wake-up
}
let worker: Worker | undefined;
if (hopBuffers) {
  worker = new Worker(fileURLToPath(new URL('./hop-worker.js', import.meta.url)), {
    workerData: { ...hopBuffers, realtimePriority },
  });
  worker.on('error', (e) => {
    process.stderr.write(`hop worker: ${e.message}\n`);
    process.exit(1);
  });
  watch();
}

const re = /"t":(\d+)/;
function connectWs(): void {
  const ws = new WebSocket(url!, { perMessageDeflate: false });
  ws.on('open', () => ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 })));
  ws.on('message', (data) => {
    const recvNs = nowNs();
    const text = data.toString();
    const m = re.exec(text);
    if (!m) return;
    if (hopBuffers) submit(Number(m[1]), recvNs);
    else emit(Number(m[1]), recvNs);
  });
  ws.on('close', () => setTimeout(connectWs, 50));
  ws.on('error', () => undefined);
}
// The feed connects once the hop's thread runs (as the daemon starts its pool before its feeds).
if (worker) worker.once('online', connectWs);
else connectWs();

process.on('SIGTERM', () => {
  const lat = Array.from(latUs.subarray(0, latN)).sort((a, b) => a - b); // every tick since start, as the daemon's histogram
  writeSync(
    1,
    `inproc ${JSON.stringify({ p50Us: percentile(lat, 0.5), p99Us: percentile(lat, 0.99), n: lat.length })}\n`,
  );
  writeSync(1, `gc ${JSON.stringify({ minor: minorGcs })}\n`);
  Atomics.store(header, HOP_STOP, 1);
  Atomics.notify(header, HOP_IN_W);
  server.close();
  process.exit(0);
});
