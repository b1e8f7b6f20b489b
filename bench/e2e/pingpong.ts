// The machine's thread hand-off floor, DESIGN.md §3's "SharedArrayBuffer + Atomics.wait/notify ping-pong" row,
// measured in the same run as the end-to-end modes: the main thread stores and notifies, a worker blocked in
// Atomics.wait answers with a store and notify, the main thread waits for it with Atomics.waitAsync (as the
// pool's draft reader does). Back to back, and with 1 ms between rounds (every round then wakes two sleeping
// threads, as at 10k ticks/s).
import { Worker } from 'node:worker_threads';
import { percentile } from '../lib.js';

const workerSource = `const { workerData } = require('node:worker_threads');
const h = new Int32Array(workerData);
let seen = 0;
for (;;) { Atomics.wait(h, 0, seen); seen = Atomics.load(h, 0); if (seen < 0) break; Atomics.store(h, 1, seen); Atomics.notify(h, 1); }`;

export interface PingPong {
  p50Us: number;
  p99Us: number;
  rounds: number;
}

export async function pingPong(rounds: number, gapMs: number): Promise<PingPong> {
  const header = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(workerSource, { eval: true, workerData: header.buffer });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('online', () => resolve());
      worker.once('error', reject);
    });
    const warm = Math.min(1000, rounds >> 2);
    const latUs: number[] = [];
    for (let i = 1; i <= rounds + warm; i++) {
      const t0 = performance.now();
      Atomics.store(header, 0, i);
      Atomics.notify(header, 0);
      const r = Atomics.waitAsync(header, 1, i - 1, 5000);
      if (r.async && (await r.value) === 'timed-out')
        throw new Error('ping-pong: the worker did not answer within 5 s');
      if (Atomics.load(header, 1) !== i) throw new Error(`ping-pong: round ${i} answered ${Atomics.load(header, 1)}`);
      if (i > warm) latUs.push((performance.now() - t0) * 1000);
      if (gapMs > 0) await new Promise((res) => setTimeout(res, gapMs));
    }
    latUs.sort((a, b) => a - b);
    return { p50Us: percentile(latUs, 0.5), p99Us: percentile(latUs, 0.99), rounds };
  } finally {
    Atomics.store(header, 0, -1);
    Atomics.notify(header, 0);
    await worker.terminate();
  }
}
