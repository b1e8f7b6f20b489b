// One suite, both book implementations (native/book.cc and book/ts-book.ts): the same operations give the same
// levels, tops and checksums, bit for bit; Kraken's published checksum example; bad levels are skipped and
// counted; and the loader's choice follows CHRISTMAS_NO_NATIVE / native.disabled.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { ASK, BID, topCounts, type L2Book } from '../../src/book/book.js';
import { TsBook } from '../../src/book/ts-book.js';
import { crc32Ascii } from '../../src/book/crc32.js';
import { nativeModule, newBook, useNativeKernels } from '../../src/native/index.js';
import { shared } from '../helpers.js';

const NativeBook = nativeModule().mod?.NativeBook;
const impls: Array<[string, () => L2Book]> = [
  ['typescript', () => new TsBook(4)],
  ['native', () => new NativeBook!(4)],
];

test('the native book is built', () => {
  assert.ok(NativeBook, `native module not built: ${nativeModule().reason}`);
});

test('newBook follows the kernels choice (native.disabled / CHRISTMAS_NO_NATIVE)', () => {
  useNativeKernels(false);
  assert.instance(newBook(), TsBook);
  useNativeKernels(true);
  if (process.env.CHRISTMAS_NO_NATIVE !== '1') assert.not.instance(newBook(), TsBook);
});

interface KrakenLevel {
  price: number;
  qty: number;
}
const oracle = (
  JSON.parse(readFileSync(shared('messages/kraken-v2-samples.json'), 'utf8')) as {
    book_checksum_oracle: {
      message: { data: Array<{ bids: KrakenLevel[]; asks: KrakenLevel[]; checksum: number }> };
      checksum_string: string;
    };
  }
).book_checksum_oracle;

const pairs = (levels: KrakenLevel[]) => Float64Array.from(levels.flatMap((l) => [l.price, l.qty]));

test('CRC-32 of the guide string is the published checksum', () => {
  assert.is(crc32Ascii(oracle.checksum_string), oracle.message.data[0]!.checksum);
  assert.is(crc32Ascii('123456789'), 0xcbf43926); // the standard check value
});

for (const [name, make] of impls) {
  test(`${name}: Kraken's checksum example gives 3310070434`, () => {
    const d = oracle.message.data[0]!;
    const b = make();
    assert.is(b.apply(BID, pairs(d.bids), d.bids.length), 0);
    assert.is(b.apply(ASK, pairs(d.asks), d.asks.length), 0);
    assert.is(b.krakenChecksum(1, 8), 3310070434);
    assert.is(d.checksum, 3310070434);
    // one changed size changes it
    b.apply(BID, Float64Array.of(45283.5, 0.2), 1);
    assert.is.not(b.krakenChecksum(1, 8), 3310070434);
  });

  test(`${name}: deletes, replaces, keeps each side best first; bad levels skipped and counted`, () => {
    const b = make();
    assert.is(b.apply(BID, Float64Array.of(100, 1, 101, 2, 99, 3, 102, 0), 4), 0);
    assert.is(b.apply(ASK, Float64Array.of(103, 1, 105, 2, 104, 3), 3), 0);
    const out = new Float64Array(4 * 3);
    const c = topCounts(b.top(out, 3));
    assert.equal(c, { bids: 3, asks: 3 });
    assert.equal([...out], [101, 2, 100, 1, 99, 3, 103, 1, 104, 3, 105, 2]);
    assert.is(b.apply(BID, Float64Array.of(101, 0, 100, 5, -1, 1, 98, -2, NaN, 1, 97, Infinity, 0, 1), 7), 5);
    assert.is(b.bestPrice(BID), 100);
    assert.is(b.bestSize(BID), 5);
    assert.is(b.levels(BID), 2);
    const wide = new Float64Array(4 * 4);
    assert.equal(topCounts(b.top(wide, 4)), { bids: 2, asks: 3 });
    assert.ok(Number.isNaN(wide[4]) && Number.isNaN(wide[15]));
    b.clear();
    assert.ok(Number.isNaN(b.bestPrice(ASK)) && Number.isNaN(b.bestSize(BID)));
    assert.is(b.levels(ASK), 0);
  });
}

test('native and TypeScript books agree bit for bit over 5,000 random frames (about 100,000 level updates)', () => {
  if (!NativeBook) return assert.unreachable('native module not built');
  const a = new TsBook(2),
    n = new NativeBook(2);
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const levels = new Float64Array(2 * 40);
  const outA = new Float64Array(4 * 25),
    outN = new Float64Array(4 * 25);
  for (let op = 0; op < 5000; op++) {
    const side = rnd() < 0.5 ? BID : ASK;
    const count = 1 + Math.floor(rnd() * 40);
    for (let i = 0; i < count; i++) {
      const tick = Math.floor(rnd() * 400);
      levels[2 * i] = side === BID ? 50_000 - tick * 0.01 : 50_000.01 + tick * 0.01;
      levels[2 * i + 1] = rnd() < 0.3 ? 0 : rnd() < 0.01 ? -1 : Math.round(rnd() * 1e8) / 1e8;
    }
    assert.is(n.apply(side, levels, count), a.apply(side, levels, count));
    if (op % 25 === 0) {
      assert.is(n.top(outN, 25), a.top(outA, 25));
      assert.equal(Array.from(outN), Array.from(outA));
      assert.is(n.krakenChecksum(2, 8), a.krakenChecksum(2, 8));
      assert.is(n.levels(BID), a.levels(BID));
      assert.is(n.levels(ASK), a.levels(ASK));
    }
  }
  assert.ok(a.levels(BID) > 100 && a.levels(ASK) > 100, 'the books grew past their initial capacity');
});

test('checksum digits agree on ties and past 2^53 (the integer path and the printf / toFixed path)', () => {
  if (!NativeBook) return assert.unreachable('native module not built');
  for (const [price, size, pd, sd] of [
    [100.5, 0.5, 0, 0],
    [2.5, 1.5, 0, 0],
    [0.49999999999999994, 3, 0, 0],
    [1e17, 1e12, 2, 8],
    [123.456, 0.000001, 1, 3],
  ] as const) {
    const a = new TsBook(),
      n = new NativeBook();
    for (const b of [a, n]) {
      b.apply(BID, Float64Array.of(price, size), 1);
      b.apply(ASK, Float64Array.of(price * 2, size * 3), 1);
    }
    assert.is(n.krakenChecksum(pd, sd), a.krakenChecksum(pd, sd), `${price} ${size} at ${pd}/${sd}`);
  }
});

test('native argument errors are TypeErrors/RangeErrors, not crashes', () => {
  if (!NativeBook) return assert.unreachable('native module not built');
  const n = new NativeBook();
  assert.throws(() => n.apply(2 as 0, new Float64Array(2), 1), /side must be 0/);
  assert.throws(() => n.apply(BID, [1, 2] as unknown as Float64Array, 1), /Float64Array/);
  assert.throws(() => n.apply(BID, new Float64Array(2), 2), /count must be/);
  assert.throws(() => n.top(new Float64Array(3), 1), /depth must be/);
});

test.run();
