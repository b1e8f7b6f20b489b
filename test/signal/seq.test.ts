// Signal seq numbers: strictly increasing, never repeated across a clean stop or a crash, with the next
// block reserved ahead (off the hot path) so only the very first reservation is made inline.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SeqAllocator } from '../../src/signal/seq.js';
import { openCheckpoint } from '../../src/native/checkpoint.js';

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

for (const native of [true, false])
  test(`${native ? 'native' : 'typescript'} checkpoint: a killed process (same boot) continues right after the last number handed out; another boot id starts past the reserved block`, async () => {
    const f = file();
    const a = new SeqAllocator(f, 10_000, 0, { native });
    for (let i = 0; i < 250; i++) a.take();
    await a.settled();
    const crashedAt = a.last; // a.close() never called: the process died here
    const b = new SeqAllocator(f, 10_000, 0, { native });
    assert.is(b.take(), crashedAt + 1, 'no gap of numbers that never existed');
    await b.settled();
    // A machine crash: the checkpoint's boot id is not this boot's, so it may be stale: skip the reserved block.
    const cp = readFileSync(`${f}.last`);
    cp.writeDoubleLE(12345, 8);
    writeFileSync(`${f}.last`, cp);
    const reserved = Number(readFileSync(f, 'utf8'));
    const c = new SeqAllocator(f, 10_000, 0, { native });
    assert.is(c.take(), reserved + 1);
    assert.ok(reserved + 1 > b.last);
  });

test('native and TypeScript checkpoints write the same bytes', () => {
  const [fa, fb] = [file(), file()];
  for (const [f, native] of [
    [fa, true],
    [fb, false],
  ] as const) {
    const s = new SeqAllocator(f, 100, 0, { native });
    for (let i = 0; i < 7; i++) s.take();
  }
  assert.ok(readFileSync(`${fa}.last`).equals(readFileSync(`${fb}.last`)));
  assert.is(openCheckpoint(`${file()}.cp`, 2).kind, 'native', 'the native module maps the file (make build)');
  assert.is(readFileSync(`${fa}.last`).readDoubleLE(0), 7);
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
