// The heap meter behind the bench's "heap allocated per item" rows must see what a function allocates and
// nothing else: zero for a function that allocates nothing, the size of what it keeps creating otherwise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { heapBytesPerItem } from '../../bench/lib.js';

const N = 1024;
const sink: unknown[] = new Array(N).fill(undefined);

test('a loop that allocates nothing measures under 8 B per item', () => {
  // Small-integer arithmetic allocates in no tier (a double sum would box a heap number per iteration until the
  // optimising compiler has run: a measure of the JIT's timing, not of the meter).
  const xs = new Int32Array(N).map((_, i) => i % 1000);
  let total = 0;
  const b = heapBytesPerItem(() => {
    let acc = 0;
    for (let i = 0; i < N; i++) acc = (acc + xs[i]!) | 0;
    total = acc;
  }, N);
  assert.ok(b < 8, `${b} B/item`);
  assert.ok(total > 0);
});

test('one small object per item measures its size; two measure twice that', () => {
  const one = heapBytesPerItem(() => {
    for (let i = 0; i < N; i++) sink[i] = { a: i, b: i, c: i, d: i };
  }, N);
  const two = heapBytesPerItem(() => {
    for (let i = 0; i < N; i++) {
      sink[i] = { a: i, b: i, c: i, d: i };
      sink[N - 1 - i] = { a: i, b: i, c: i, d: i };
    }
  }, N);
  // A 4-field object: a 3-word header and 4 fields, 56 B in Node's default build (8-byte words), 28 B where
  // V8's pointers are compressed; 72 B before the optimising compiler has run (a 16 B allocation memento each).
  assert.ok(one >= 24 && one <= 80, `one object: ${one} B/item`);
  assert.ok(Math.abs(two - 2 * one) <= 8, `two objects: ${two} B/item vs one: ${one}`);
});

test.run();
