// The replay ring's byte arena: every held frame is a byte-exact copy of what was pushed, the held seqs are
// always the newest contiguous run, both bounds (frames and bytes) hold, wraps waste less than one frame,
// and replay copies survive later overwrites of the arena.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SignalRing } from '../../src/signal/ring.js';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function frameFor(seq: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (seq * 31 + i * 7) & 0xff;
  return b;
}

test('random frame sizes against a model: exact bytes, newest contiguous run, both bounds, little waste', () => {
  for (const [capacity, capacityBytes, maxLen] of [
    [50, 4096, 300],
    [1000, 4096, 64],
    [7, 1 << 16, 2000],
    [200, 1000, 999],
  ] as const) {
    const r = rng(capacity * 7919 + capacityBytes);
    const ring = new SignalRing(capacity, capacityBytes);
    const lens: number[] = [0];
    for (let seq = 1; seq <= 3000; seq++) {
      const len = 1 + Math.floor(r() * maxLen);
      lens.push(len);
      ring.push(seq, `S${seq % 3}`, frameFor(seq, len));
      const held = [...ring.from(0)];
      assert.ok(held.length >= 1 && held.length <= capacity, `count bound (${held.length})`);
      assert.is(held.at(-1)!.seq, seq, 'the newest frame is always held');
      let bytes = 0;
      held.forEach((h, i) => {
        assert.is(h.seq, held[0]!.seq + i, 'contiguous seqs');
        assert.is(h.symbol, `S${h.seq % 3}`);
        assert.ok(h.frame.equals(frameFor(h.seq, lens[h.seq]!)), `frame ${h.seq} intact`);
        bytes += h.frame.length;
      });
      assert.ok(bytes <= capacityBytes, 'byte bound');
      assert.is(ring.bytesHeld, bytes);
      assert.is(ring.minSeq, held[0]!.seq);
      assert.is(ring.maxSeq, seq);
      // What was evicted had to go: the oldest held frame's predecessor would not have fit beside the rest
      // (the count bound was full, or the bytes, less at most one frame's worth of tail lost at a wrap).
      const prev = held[0]!.seq - 1;
      if (prev >= 1 && held.length < capacity)
        assert.ok(bytes + lens[prev]! + 2 * maxLen > capacityBytes, `evicted ${prev} needlessly (held ${bytes} bytes)`);
    }
  }
});

test('from(seq) starts at the first held seq >= fromSeq; older asks start at the oldest held', () => {
  const ring = new SignalRing(10, 1 << 16);
  for (let seq = 1; seq <= 25; seq++) ring.push(seq, 'X', frameFor(seq, 10));
  assert.equal(
    [...ring.from(20)].map((f) => f.seq),
    [20, 21, 22, 23, 24, 25],
  );
  assert.equal([...ring.from(1)].map((f) => f.seq)[0], 16);
  assert.equal([...ring.from(26)], []);
});

test('a replayed frame is a copy: overwriting the arena later does not change it', () => {
  const ring = new SignalRing(4, 256);
  ring.push(1, 'X', frameFor(1, 100));
  const [first] = [...ring.from(1)];
  for (let seq = 2; seq <= 20; seq++) ring.push(seq, 'X', frameFor(seq, 100));
  assert.ok(first!.frame.equals(frameFor(1, 100)));
  assert.is(ring.minSeq, 19, 'two 100-byte frames fit in 256 bytes');
});

test('a frame larger than the whole arena is counted and not held; the ring keeps what it had', () => {
  const ring = new SignalRing(10, 1024);
  ring.push(1, 'X', frameFor(1, 100));
  ring.push(2, 'X', frameFor(2, 2000));
  assert.is(ring.tooLarge, 1);
  assert.equal(
    [...ring.from(0)].map((f) => f.seq),
    [1],
  );
});

test.run();
