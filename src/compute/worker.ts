// Pool worker entry (Piscina). `default` is a shard's long-running task: it waits on the tick ring with
// Atomics.wait, runs each tick through the ComputeCore in order, writes drafts to the shard's draft ring
// (draft-ring.ts; the main thread reads it with Atomics.waitAsync), and posts a state snapshot on its
// MessagePort every `snapshotEvery` ticks so a crashed shard can be rebuilt. With depth streams the ring also
// carries book messages (book/book-ring.ts): the shard keeps its symbols' books (book/shard-books.ts), runs
// onBook, posts their outbox after each batch, and hands the books to its next task when it is stopped.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { StrategyConfig } from '../config/types.js';
import type { SignalDraft } from '../model/signal.js';
import { ComputeCore } from './core.js';
import { loadStrategyModules } from '../strategy/modules.js';
import { H_CONTROL, H_LAUNCHES, H_READ, H_SLEEPING, H_WRITE, readSlot } from '../model/tick-ring.js';
import { DraftRingWriter, type DraftRingBuffers } from './draft-ring.js';
import { setThreadRealtime } from './thread-priority.js';
import { InjectedCrashError, RingError } from '../model/errors.js';
import { isBookSlot, readBookSlot, readFrameStart } from '../book/book-ring.js';
import { ShardBooks, type BookOutbox, type ShardBookOptions } from '../book/shard-books.js';
import type { BookSetState } from '../book/books.js';
import { emptyMessage } from '../book/message.js';
import { useNativeKernels } from '../native/index.js';

/** The books part of a shard task (depth streams configured). */
export interface ShardBookTask {
  opts: ShardBookOptions;
  /** The level arena of this shard's book messages. */
  arena: SharedArrayBuffer;
  /** The books of the task before this one (a relaunch that kept them). */
  state?: BookSetState;
  /** Book messages at ring positions below this are already in `state`, or were dropped with a crashed task. */
  from: number;
}

/** What a shard task ends with: its ring position, and its books for the next task. */
export interface ShardResult {
  read: number;
  books?: BookSetState;
}

export interface ShardTask {
  header: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  capacity: number;
  port: MessagePort;
  strategies: StrategyConfig[];
  snapshot?: Record<string, unknown>;
  /** Ring position of the snapshot; ticks before it are already in the snapshot's state. */
  startAt: number;
  /** Drafts for ticks at positions < suppressBefore were already delivered (crash recovery replay). */
  suppressBefore: number;
  names: Array<{ venue: string; symbol: string }>;
  snapshotEvery: number;
  /** Poll the ring this long before sleeping (compute.spinUs). */
  spinUs: number;
  /** SCHED_FIFO priority for this thread while the task runs (compute.realtimePriority; 0 = normal scheduler). */
  realtimePriority: number;
  drafts: DraftRingBuffers;
  /** Float64[0]: ns this shard spent computing; [1]: sleeps that timed out with ticks waiting (missed wake-ups). */
  counters: SharedArrayBuffer;
  /** native.disabled is false (the books and kernels of this thread may be native). */
  nativeAllowed: boolean;
  books?: ShardBookTask;
}

export interface SnapshotMessage {
  type: 'snapshot';
  at: number;
  state: Record<string, unknown>;
}
/** The shard could not take its real-time priority (it runs on, under the normal scheduler). */
export interface RealtimeFailedMessage {
  type: 'realtime-failed';
  reason: string;
}
/** A strategy instance threw and was disabled (ComputeCore.onStrategyError). */
export interface StrategyErrorMessage {
  type: 'strategy-error';
  strategy: string;
  venue: string;
  symbol: string;
  message: string;
}

/**
 * A shard's long-running task. With compute.realtimePriority the thread runs SCHED_FIFO while the task runs
 * and goes back to the normal scheduler when it ends (Piscina may give the thread a batch task next).
 */
export default async function shard(task: ShardTask): Promise<ShardResult> {
  useNativeKernels(task.nativeAllowed);
  await loadStrategyModules(task.strategies); // user modules are imported in this thread too
  if (task.realtimePriority <= 0) return runShard(task);
  const rt = setThreadRealtime(task.realtimePriority);
  if (!rt.ok) task.port.postMessage({ type: 'realtime-failed', reason: rt.reason } satisfies RealtimeFailedMessage);
  try {
    return runShard(task);
  } finally {
    if (rt.ok) setThreadRealtime(0);
  }
}

function runShard(task: ShardTask): ShardResult {
  const header = new Int32Array(task.header);
  const slots = new Float64Array(task.slots);
  const core = new ComputeCore(task.strategies);
  core.onStrategyError = (strategy, venue, symbol, message) =>
    task.port.postMessage({ type: 'strategy-error', strategy, venue, symbol, message } satisfies StrategyErrorMessage);
  if (task.snapshot) core.restore(task.snapshot);
  const names = task.names.slice();
  let read = task.startAt;
  Atomics.store(header, H_READ, read);
  let sinceSnapshot = 0;
  const counters = new Float64Array(task.counters);
  const out = new DraftRingWriter(task.drafts);
  const stopping = () => Atomics.load(header, H_CONTROL) !== 0;
  const bt = task.books;
  const books = bt ? new ShardBooks(bt.opts, core, bt.state) : undefined;
  const arena = bt ? new Float64Array(bt.arena) : undefined;
  const bookMessage = emptyMessage();
  const post = (m: BookOutbox) => task.port.postMessage(m);
  /** Takes the names of symbols registered after this task started (already queued on the port). */
  const registered = (): boolean => {
    let any = false;
    for (let m = receiveMessageOnPort(task.port); m; m = receiveMessageOnPort(task.port)) {
      const msg = m.message as { type: string; idx: number; venue: string; symbol: string };
      if (msg.type === 'register') names[msg.idx] = { venue: msg.venue, symbol: msg.symbol };
      any = true;
    }
    return any;
  };
  const spreadOf = (d: SignalDraft) => core.spreadBps(d.venue, d.symbol);
  const nameOf = (idx: number) => names[idx] ?? (registered() ? names[idx] : undefined);
  const ended = (at: number): ShardResult => {
    books?.flush(post, true);
    return { read: at, books: books?.exportState() };
  };
  // Running: the pool's start() waits for this before the feeds connect.
  Atomics.add(header, H_LAUNCHES, 1);
  Atomics.notify(header, H_LAUNCHES);
  for (;;) {
    const control = Atomics.load(header, H_CONTROL);
    if (control === 1) break;
    if (control === 2) {
      Atomics.store(header, H_CONTROL, 0);
      throw new InjectedCrashError('injected worker crash (test)');
    }
    let write = Atomics.load(header, H_WRITE);
    if (write === read && task.spinUs > 0) {
      const until = performance.now() + task.spinUs / 1000;
      while (write === read && performance.now() < until && Atomics.load(header, H_CONTROL) === 0)
        write = Atomics.load(header, H_WRITE);
    }
    if (write === read) {
      // Declare the sleep, then re-check: the producer either sees SLEEPING and notifies, or we see its write.
      Atomics.store(header, H_SLEEPING, 1);
      write = Atomics.load(header, H_WRITE);
      if (
        write === read &&
        Atomics.wait(header, H_WRITE, write, 50) === 'timed-out' &&
        Atomics.load(header, H_WRITE) !== read
      )
        counters[1] = counters[1]! + 1;
      Atomics.store(header, H_SLEEPING, 0);
      books?.flush(post); // due samples and counters of an idle shard
      continue;
    }
    const started = performance.now();
    while (read !== write) {
      if (books !== undefined && isBookSlot(slots, read, task.capacity)) {
        const after = (read + 1) | 0;
        if (((read - bt!.from) | 0) >= 0) {
          const n = nameOf(readBookSlot(slots, read, task.capacity, arena!, header, bookMessage));
          if (!n) throw new RingError(`ring slot ${read}: unknown symbol index of a book message`);
          bookMessage.venue = n.venue;
          bookMessage.symbol = n.symbol;
          books.apply(bookMessage);
          const drafts = books.drafts;
          if (read >= task.suppressBefore && drafts.length > 0) {
            const f = readFrameStart(slots, read, task.capacity);
            for (const x of drafts)
              if (
                !out.append({ d: x.d, e: x.e, r: x.r, rr: x.rr, f, at: after, bl: true, sp: spreadOf(x.d) }, stopping)
              )
                return ended(read);
            out.commit();
          }
        }
        read = after;
        sinceSnapshot++; // the ring's room is counted from the last snapshot, book slots too
        continue;
      }
      let slot = readSlot(slots, read, task.capacity, names);
      if (!slot && registered()) slot = readSlot(slots, read, task.capacity, names);
      if (!slot) throw new RingError(`ring slot ${read}: unknown symbol index`);
      const drafts: SignalDraft[] = core.onTick(slot.tick);
      const after = (read + 1) | 0;
      if (read >= task.suppressBefore) {
        for (const d of drafts)
          if (
            !out.append(
              {
                d,
                e: slot.tick.tsExchNs,
                r: slot.tick.tsRecvNs,
                rr: slot.tick.tsRecvRemNs,
                f: slot.frameStartNs,
                at: after,
                bl: d.book === true && books !== undefined && books.live(d.venue, d.symbol),
                sp: spreadOf(d),
              },
              stopping,
            )
          )
            return ended(read);
        out.commit(); // the tick's drafts become visible together
      }
      read = after;
      sinceSnapshot++;
    }
    counters[0] = counters[0]! + (performance.now() - started) * 1e6;
    // Progress is visible in H_READ, stored after the drafts (and the books' outbox) so a reader that sees it
    // finds them in the ring (and on the port).
    books?.flush(post);
    Atomics.store(header, H_READ, read);
    if (sinceSnapshot >= task.snapshotEvery) {
      sinceSnapshot = 0;
      task.port.postMessage({ type: 'snapshot', at: read, state: core.snapshot() } satisfies SnapshotMessage);
    }
  }
  return ended(read);
}
