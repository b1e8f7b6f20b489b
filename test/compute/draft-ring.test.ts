// The shard -> main draft ring: records come out in order and intact across many wrap-arounds of a small
// ring, a full ring makes the producer wait (and give up when told to stop), and waitAsync wakes the reader.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import { createDraftRing, DraftRingReader, DraftRingWriter, type DraftRecord } from '../../src/compute/draft-ring.js';
import type { SignalDraft } from '../../src/model/signal.js';

const draft = (i: number): SignalDraft => ({ symbol: `S${i % 7}`, venue: 'binance', side: i % 2 ? 'buy' : 'sell', strategy: 'probe', price: 100 + i / 8,
  strength: (i % 10) / 10, ttlMs: i, reason: 'r'.repeat(i % 50), indicators: { a: i, b: -i / 3 } });

test('in order and intact across wrap-arounds (same thread, drained as it fills)', () => {
  const ring = createDraftRing(4096);
  const got: DraftRecord[] = [];
  const reader = new DraftRingReader(ring, (r) => got.push(r));
  const writer = new DraftRingWriter(ring);
  for (let i = 0; i < 5000; i++) {
    assert.ok(writer.write({ d: draft(i), e: i * 1e6, r: i * 1e6 + 1, f: i * 1e6 + 2, at: i + 1 }, () => false));
    if (i % 7 === 0) reader.drain();
  }
  reader.drain();
  assert.is(got.length, 5000);
  got.forEach((r, i) => { assert.equal(r.d, draft(i)); assert.is(r.at, i + 1); assert.is(r.f, i * 1e6 + 2); });
});

test('appended drafts stay invisible until commit (a tick\'s drafts are published together)', () => {
  const ring = createDraftRing(1 << 14);
  const got: number[] = [];
  const reader = new DraftRingReader(ring, (r) => got.push(r.at));
  const writer = new DraftRingWriter(ring);
  writer.append({ d: draft(1), e: 1, r: 1, f: 1, at: 7 }, () => false);
  writer.append({ d: draft(2), e: 1, r: 1, f: 1, at: 7 }, () => false);
  assert.is(reader.drain(), 0);
  writer.commit();
  assert.is(reader.drain(), 2);
  assert.equal(got, [7, 7]);
  // A writer created after a crash starts from the published position: uncommitted records are gone.
  writer.append({ d: draft(3), e: 1, r: 1, f: 1, at: 8 }, () => false);
  const after = new DraftRingWriter(ring);
  after.write({ d: draft(4), e: 1, r: 1, f: 1, at: 9 }, () => false);
  reader.drain();
  assert.equal(got, [7, 7, 9]);
});

test('a full ring blocks the producer until drained, and it gives up when asked to stop', () => {
  const ring = createDraftRing(1024);
  const writer = new DraftRingWriter(ring);
  let n = 0;
  while (writer.write({ d: draft(1), e: 1, r: 1, f: 1, at: ++n }, () => true)) { /* fill */ }
  assert.ok(n > 2 && n < 20, `${n} records fit in 1 KiB`);
});

test('waitAsync wakes the main thread when a worker writes', async () => {
  const ring = createDraftRing(1 << 16);
  const got: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => { done = r; });
  const reader = new DraftRingReader(ring, (r) => { got.push(r.at); if (got.length === 200) done(); });
  reader.watch();
  const w = new Worker(`
    const { workerData } = require('node:worker_threads');
    import(workerData.mod).then(({ DraftRingWriter }) => {
      const wr = new DraftRingWriter(workerData.ring);
      for (let i = 1; i <= 200; i++) { wr.write({ d: { symbol: 'X', venue: 'v', side: 'buy', strategy: 's', price: i, strength: 1, ttlMs: 1, reason: '', indicators: {} }, e: 0, r: 0, f: 0, at: i }, () => false); if (i % 50 === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); }
    });`, { eval: true, workerData: { ring, mod: new URL('../../src/compute/draft-ring.js', import.meta.url).href } });
  await Promise.race([all, new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${got.length} drafts arrived`)), 10_000))]);
  reader.close();
  await w.terminate();
  assert.equal(got, Array.from({ length: 200 }, (_, i) => i + 1));
});

test.run();
