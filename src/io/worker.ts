// The io thread (io-thread.ts): reads ticks from the SharedArrayBuffer ring every millisecond while they flow
// (every 5 ms when idle) and hands them to the same WriterSet that inline mode runs on the main thread.
// Logs go back to the main thread's logger as lines; stats and batch durations every 200 ms.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import type { ChristmasConfig } from '../config/types.js';
import type { Signal } from '../model/signal.js';
import type { BookDelta, BookTop } from '../model/book-top.js';
import type { Flavor } from '../persist/schema.js';
import { H_READ, H_WRITE, readSlot, type RingBuffers } from '../model/tick-ring.js';
import { WriterSet, type PersistStats, type SinkOptions, type StoreStats } from './writers.js';
import { InjectedCrashError } from '../model/errors.js';

export interface IoWorkerData {
  config: ChristmasConfig;
  opts: SinkOptions;
  ring: RingBuffers;
  names: Array<{ venue: string; symbol: string }>;
  logLevel: string;
}
export interface IoWorkerStats {
  store: StoreStats | undefined;
  persist: PersistStats | undefined;
  redisStatus: string | undefined;
}
type Batches = { redis: number[]; db: number[] };

export type ToIoWorker =
  | { type: 'name'; idx: number; venue: string; symbol: string }
  | { type: 'signals'; list: Signal[] }
  | { type: 'book-tops'; list: BookTop[] }
  | { type: 'book-snapshots'; list: BookTop[] }
  | { type: 'book-deltas'; list: BookDelta[] }
  | { type: 'drain'; deadlineMs: number; write: number }
  /** Tests: fail the thread with an uncaught error, as a bug in a writer would. */
  | { type: 'crash' };

export type FromIoWorker =
  | {
      type: 'ready';
      flavor: Flavor | undefined;
      seqFloor: number;
      hasStore: boolean;
      hasPersist: boolean;
      stats: IoWorkerStats;
    }
  | { type: 'fatal'; code: string; retryable: boolean; message: string; found?: number; known?: number }
  | { type: 'log'; line: string }
  | { type: 'stats'; stats: IoWorkerStats; batches: Batches }
  | { type: 'drained'; storeLeft: number; persistLeft: number; stats: IoWorkerStats; batches: Batches };

const POLL_BUSY_MS = 1,
  POLL_IDLE_MS = 5,
  STATS_MS = 200;

async function main(): Promise<void> {
  const port = parentPort!;
  const data = workerData as IoWorkerData;
  const send = (m: FromIoWorker) => port.postMessage(m);
  const log = pino(
    { level: data.logLevel, name: 'christmas' },
    { write: (line: string) => send({ type: 'log', line }) },
  );
  const names = data.names.slice();
  const header = new Int32Array(data.ring.header),
    slots = new Float64Array(data.ring.slots),
    capacity = data.ring.capacity;
  let writers: WriterSet;
  try {
    writers = await WriterSet.open(data.config, data.opts, log);
  } catch (err) {
    const e = err as { code?: string; retryable?: boolean; message: string; found?: number; known?: number };
    send({
      type: 'fatal',
      code: e.code ?? 'E_IO_THREAD',
      retryable: e.retryable ?? false,
      message: e.message,
      found: e.found,
      known: e.known,
    });
    return;
  }
  let batches: Batches = { redis: [], db: [] };
  writers.onBatch = (kind, ms) => {
    batches[kind].push(ms);
  };
  const stats = (): IoWorkerStats => ({
    store: writers.storeStats(),
    persist: writers.persistStats(),
    redisStatus: writers.redisStatus(),
  });
  const takeBatches = () => {
    const b = batches;
    batches = { redis: [], db: [] };
    return b;
  };

  let read = Atomics.load(header, H_READ);
  let tickErrors = 0;
  /** Reads every published tick (up to `until` when given); stops early at a symbol whose name has not arrived. */
  const drainRing = (until?: number): number => {
    const write = until ?? Atomics.load(header, H_WRITE);
    let n = 0;
    while (((write - read) | 0) > 0) {
      const r = readSlot(slots, read, capacity, names);
      if (!r) break;
      try {
        writers.addTick(r.tick);
      } catch (err) {
        // A writer bug or an unencodable tick: this tick is logged and skipped, the thread and its batches go on.
        if (++tickErrors === 1 || tickErrors % 1000 === 0) {
          log.error(
            { err: (err as Error).message, venue: r.tick.venue, symbol: r.tick.symbol, id: r.tick.id, tickErrors },
            'io thread could not take a tick; skipped (logged every 1000th)',
          );
        }
      }
      read = (read + 1) | 0;
      if ((++n & 4095) === 0) Atomics.store(header, H_READ, read);
    }
    Atomics.store(header, H_READ, read);
    return n;
  };

  let stopping = false;
  let pollTimer: NodeJS.Timeout | undefined;
  const poll = () => {
    pollTimer = undefined;
    if (stopping) return;
    const n = drainRing();
    pollTimer = setTimeout(poll, n > 0 ? POLL_BUSY_MS : POLL_IDLE_MS);
  };
  const statsTimer = setInterval(() => send({ type: 'stats', stats: stats(), batches: takeBatches() }), STATS_MS);

  port.on('message', (m: ToIoWorker) => {
    if (m.type === 'name') {
      names[m.idx] = { venue: m.venue, symbol: m.symbol };
      return;
    }
    if (m.type === 'signals') {
      for (const s of m.list) writers.addSignal(s);
      return;
    }
    if (m.type === 'book-tops') {
      writers.addBookTops(m.list);
      return;
    }
    if (m.type === 'book-snapshots') {
      writers.addBookSnapshots(m.list);
      return;
    }
    if (m.type === 'book-deltas') {
      writers.addBookDeltas(m.list);
      return;
    }
    if (m.type === 'crash') {
      setImmediate(() => {
        throw new InjectedCrashError('io thread crash (test)');
      });
      return;
    }
    if (m.type === 'drain') {
      stopping = true;
      clearTimeout(pollTimer);
      drainRing(m.write); // names are posted before their ticks, so every one has arrived by now
      void writers.stop(m.deadlineMs).then((left) => {
        clearInterval(statsTimer);
        send({ type: 'drained', ...left, stats: stats(), batches: takeBatches() });
        port.close();
      });
    }
  });
  send({
    type: 'ready',
    flavor: writers.flavor,
    seqFloor: writers.seqFloor,
    hasStore: writers.hasStore,
    hasPersist: writers.hasPersist,
    stats: stats(),
  });
  poll();
}

void main();
