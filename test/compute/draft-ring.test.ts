// The shard -> main draft ring: records come out in order and intact across many wrap-arounds of a small
// ring, a full ring makes the producer wait (and give up when told to stop), and waitAsync wakes the reader.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import { createDraftRing, DraftRingReader, DraftRingWriter } from '../../src/compute/draft-ring.js';
import type { DraftRecord } from '../../src/compute/draft-codec.js';
import type { SignalDraft } from '../../src/model/signal.js';

const draft = (i: number): SignalDraft => ({
  symbol: `S${i % 7}`,
  venue: 'binance',
  side: i % 2 ? 'buy' : 'sell',
  strategy: 'probe',
  price: 100 + i / 8,
  strength: (i % 10) / 10,
  ttlMs: i,
  reason: 'r'.repeat(i % 50),
  indicators: { a: i, b: -i / 3 },
  ...(i % 3 === 0 ? { book: true } : {}),
});

test('in order and intact across wrap-arounds (same thread, drained as it fills)', () => {
  const ring = createDraftRing(4096);
  const got: DraftRecord[] = [];
  const reader = new DraftRingReader(ring, (r) => got.push(r));
  const writer = new DraftRingWriter(ring);
  for (let i = 0; i < 5000; i++) {
    assert.ok(
      writer.write(
        {
          d: draft(i),
          e: i * 1e6,
          r: i * 1e6 + 1,
          f: i * 1e6 + 2,
          rr: (i % 257) - 128,
          at: i + 1,
          bl: i % 2 === 0,
          sp: i % 5 ? i / 7 : NaN,
        },
        () => false,
      ),
    );
    if (i % 7 === 0) reader.drain();
  }
  reader.drain();
  assert.is(got.length, 5000);
  got.forEach((r, i) => {
    assert.equal(r.d, draft(i));
    assert.is(r.at, i + 1);
    assert.is(r.f, i * 1e6 + 2);
    assert.is(r.rr, (i % 257) - 128, 'the exact receive remainder');
    assert.is(r.bl, i % 3 === 0 && i % 2 === 0, 'the book verdict of a book draft');
    assert.ok(Object.is(r.sp, i % 5 ? i / 7 : NaN), 'the spread the draft saw');
  });
});

test('the binary layout keeps every field: UTF-8, long strings, unset and special values, many keys, cached strings', () => {
  const ring = createDraftRing(1 << 16);
  const got: DraftRecord[] = [];
  const reader = new DraftRingReader(ring, (r) => got.push(r));
  const writer = new DraftRingWriter(ring);
  const many: Record<string, number> = {};
  for (let k = 0; k < 80; k++) many[`k${k}`] = k * 1.5; // more keys than the decoder caches
  const drafts: SignalDraft[] = [
    {
      symbol: 'BTCUSDT',
      venue: 'binance',
      side: 'flat',
      strategy: 'ema-cross',
      price: 0.1 + 0.2,
      strength: 1,
      ttlMs: 2000,
      reason: 'ema9 crossed ↑ ema21 (ü)',
      indicators: {
        nan: NaN,
        inf: -Infinity,
        negZero: -0,
        tiny: 5e-324,
        unset: undefined as unknown as number,
        none: null as unknown as number,
      },
    },
    {
      symbol: 'ETHUSDT',
      venue: 'binance',
      side: 'sell',
      strategy: 'ema-cross',
      price: 1e300,
      strength: 0,
      ttlMs: 0,
      reason: 'x'.repeat(3000),
      indicators: many,
    },
    {
      symbol: 'ETHUSDX',
      venue: 'bınance',
      side: 'buy',
      strategy: 'ema-crosS',
      price: -1,
      strength: 0.5,
      ttlMs: 1,
      reason: '',
      indicators: { k1: 1, k0: 0 },
    }, // same lengths as cached strings, other bytes
    {
      symbol: 'BTCUSDT',
      venue: 'binance',
      side: 'flat',
      strategy: 'ema-cross',
      price: 3,
      strength: 1,
      ttlMs: 2000,
      reason: 'ema9 crossed ↑ ema21 (ü)',
      indicators: {},
    },
  ];
  for (let i = 0; i < drafts.length; i++)
    writer.write(
      { d: drafts[i]!, e: 1.5e18 + i, r: 1.7e18 + i, f: -1, rr: i % 2 ? NaN : -i, at: i + 1, bl: false, sp: NaN },
      () => false,
    );
  reader.drain();
  assert.is(got.length, drafts.length);
  got.forEach((r, i) => {
    assert.equal(r.d, drafts[i], `draft ${i}`);
    assert.equal(Object.keys(r.d.indicators), Object.keys(drafts[i]!.indicators), `key order ${i}`);
    assert.is(r.e, 1.5e18 + i);
    assert.is(r.r, 1.7e18 + i);
    assert.is(r.f, -1);
    assert.ok(Object.is(r.rr, i % 2 ? NaN : -i), `remainder ${i}`);
    assert.is(r.at, i + 1);
  });
  assert.ok(Object.is(got[0]!.d.indicators.negZero, -0));
  assert.ok('unset' in got[0]!.d.indicators && got[0]!.d.indicators.unset === undefined);
  assert.is(got[0]!.d.indicators.none, null);
});

test("appended drafts stay invisible until commit (a tick's drafts are published together)", () => {
  const ring = createDraftRing(1 << 14);
  const got: number[] = [];
  const reader = new DraftRingReader(ring, (r) => got.push(r.at));
  const writer = new DraftRingWriter(ring);
  writer.append({ d: draft(1), e: 1, r: 1, f: 1, rr: 0, at: 7, bl: false, sp: NaN }, () => false);
  writer.append({ d: draft(2), e: 1, r: 1, f: 1, rr: 0, at: 7, bl: false, sp: NaN }, () => false);
  assert.is(reader.drain(), 0);
  writer.commit();
  assert.is(reader.drain(), 2);
  assert.equal(got, [7, 7]);
  // A writer created after a crash starts from the published position: uncommitted records are gone.
  writer.append({ d: draft(3), e: 1, r: 1, f: 1, rr: 0, at: 8, bl: false, sp: NaN }, () => false);
  const after = new DraftRingWriter(ring);
  after.write({ d: draft(4), e: 1, r: 1, f: 1, rr: 0, at: 9, bl: false, sp: NaN }, () => false);
  reader.drain();
  assert.equal(got, [7, 7, 9]);
});

test('a full ring blocks the producer until drained, and it gives up when asked to stop', () => {
  const ring = createDraftRing(1024);
  const writer = new DraftRingWriter(ring);
  let n = 0;
  while (writer.write({ d: draft(1), e: 1, r: 1, f: 1, rr: 0, at: ++n, bl: false, sp: NaN }, () => true)) {
    /* fill */
  }
  assert.ok(n > 2 && n < 20, `${n} records fit in 1 KiB`);
});

test('waitAsync wakes the main thread when a worker writes', async () => {
  const ring = createDraftRing(1 << 16);
  const got: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => {
    done = r;
  });
  const reader = new DraftRingReader(ring, (r) => {
    got.push(r.at);
    if (got.length === 200) done();
  });
  reader.watch();
  const w = new Worker(
    `
    const { workerData } = require('node:worker_threads');
    import(workerData.mod).then(({ DraftRingWriter }) => {
      const wr = new DraftRingWriter(workerData.ring);
      for (let i = 1; i <= 200; i++) { wr.write({ d: { symbol: 'X', venue: 'v', side: 'buy', strategy: 's', price: i, strength: 1, ttlMs: 1, reason: '', indicators: {} }, e: 0, r: 0, f: 0, rr: 0, at: i }, () => false); if (i % 50 === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); }
    });`,
    { eval: true, workerData: { ring, mod: new URL('../../src/compute/draft-ring.js', import.meta.url).href } },
  );
  await Promise.race([
    all,
    new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${got.length} drafts arrived`)), 10_000)),
  ]);
  reader.close();
  await w.terminate();
  assert.equal(
    got,
    Array.from({ length: 200 }, (_, i) => i + 1),
  );
});

test.run();
