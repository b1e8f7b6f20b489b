// The relay's thread hop (bench only): a worker that copies each (trade id, receive time) pair from the
// relay's input ring to its output ring and nothing else, with the pool's hand-off protocol (sleep with
// Atomics.wait behind a SLEEPING flag, publish each tick with a store and Atomics.notify). What the relay
// pays through it is the machine's cost of two thread hand-offs, the floor under `compute.mode: pool`.
import { workerData } from 'node:worker_threads';
import { setThreadRealtime } from '../../src/compute/thread-priority.js';
import { HOP_IN_R, HOP_IN_W, HOP_OUT_W, HOP_SLEEPING, HOP_STOP, type HopBuffers } from './hop-ring.js';

const d = workerData as HopBuffers & { realtimePriority: number };
const header = new Int32Array(d.header);
const input = new Float64Array(d.input),
  output = new Float64Array(d.output);
const mask = d.capacity - 1;
if (d.realtimePriority > 0) {
  const rt = setThreadRealtime(d.realtimePriority);
  if (!rt.ok) process.stderr.write(`hop worker: SCHED_FIFO refused: ${rt.reason}\n`);
}
let read = 0;
while (Atomics.load(header, HOP_STOP) === 0) {
  let write = Atomics.load(header, HOP_IN_W);
  if (write === read) {
    Atomics.store(header, HOP_SLEEPING, 1);
    write = Atomics.load(header, HOP_IN_W);
    if (write === read) Atomics.wait(header, HOP_IN_W, write, 50);
    Atomics.store(header, HOP_SLEEPING, 0);
    continue;
  }
  while (read !== write) {
    const o = (read & mask) * 2;
    output[o] = input[o]!;
    output[o + 1] = input[o + 1]!;
    read = (read + 1) | 0;
    Atomics.store(header, HOP_OUT_W, read);
    Atomics.notify(header, HOP_OUT_W);
  }
  Atomics.store(header, HOP_IN_R, read);
}
