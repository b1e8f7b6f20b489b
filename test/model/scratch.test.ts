// Scratch arrays on the hot path are emptied by emptyScratch, which must empty them and keep their backing
// store: refilling one then allocates nothing (a length = 0 reset would allocate a new store per refill).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emptyScratch } from '../../src/model/scratch.js';
import { heapBytesPerItem } from '../../bench/lib.js';

test('empties the array, whatever it held', () => {
  for (const n of [0, 1, 3, 40]) {
    const a = Array.from({ length: n }, (_, i) => ({ i }));
    emptyScratch(a);
    assert.is(a.length, 0, `from ${n}`);
  }
});

test('refilling an emptied scratch array allocates nothing per refill', () => {
  const N = 1024,
    item = { x: 1 };
  for (const fill of [1, 8]) {
    const a: object[] = [];
    const b = heapBytesPerItem(() => {
      for (let i = 0; i < N; i++) {
        emptyScratch(a);
        for (let j = 0; j < fill; j++) a.push(item);
      }
    }, N);
    assert.ok(b < 8, `${fill} per refill: ${b} B per refill`);
  }
});

test.run();
