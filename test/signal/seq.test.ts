// Signal seq numbers: strictly increasing, never repeated across a clean stop or a crash, with the next
// block reserved ahead (off the hot path) so only the very first reservation is made inline.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SeqAllocator } from '../../src/signal/seq.js';

const file = () => path.join(mkdtempSync(path.join(tmpdir(), 'christmas-seq-')), 'x.seq');
const turn = () => new Promise((r) => setImmediate(r));

test('blocks are reserved ahead: one inline reservation, then none while the disk keeps up', async () => {
  const f = file();
  const a = new SeqAllocator(f, 100);
  let prev = 0;
  for (let i = 0; i < 1000; i++) {
    const s = a.take();
    assert.ok(s > prev);
    prev = s;
    if (i % 10 === 0) {
      await turn();
      await a.settled();
    }
  }
  assert.is(a.inlineReservations, 1, 'only the first block');
  assert.ok(Number(readFileSync(f, 'utf8')) >= a.last, 'the file covers every number handed out');
});

test('a crash (no close) skips at most the reserved block; a clean stop continues right after the last', async () => {
  const f = file();
  const a = new SeqAllocator(f, 100);
  for (let i = 0; i < 250; i++) {
    a.take();
    if (i % 10 === 0) await a.settled();
  }
  await a.settled();
  const crashedAt = a.last;
  const b = new SeqAllocator(f, 100); // a.close() never called
  const first = b.take();
  assert.ok(first > crashedAt, `${first} > ${crashedAt}`);
  assert.ok(first <= crashedAt + 201, 'within the blocks reserved');
  for (let i = 0; i < 10; i++) b.take();
  await b.settled();
  b.close();
  const c = new SeqAllocator(f, 100);
  assert.is(c.take(), b.last + 1);
  assert.is(new SeqAllocator(file(), 100, 5000).take(), 5001, 'the database floor counts');
});

test('inline reservation still works when the block runs out before the one ahead is written', () => {
  const a = new SeqAllocator(file(), 10);
  const seen = new Set<number>();
  for (let i = 0; i < 100; i++) seen.add(a.take()); // no turn: the async reservations never complete in between
  assert.is(seen.size, 100);
  assert.ok(a.inlineReservations >= 10);
});

test.run();
