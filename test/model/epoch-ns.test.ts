// Exact epoch ns from a float64 and its remainder: the uint64 bytes and the digits equal BigInt arithmetic, and
// a time without a remainder is its nearest whole µs, on random times around now and at the word boundaries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exactNsText, nearestUsRemNs, writeExactNsBE } from '../../src/model/epoch-ns.js';

/** Deterministic xorshift, so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const split = (exact: bigint) => {
  const ns = Number(exact);
  return { ns, rem: Number(exact - BigInt(ns)) };
};
const bytesOf = (ns: number, rem: number) => {
  const b = new Uint8Array(8);
  writeExactNsBE(b, 0, ns, rem);
  return Buffer.from(b).readBigUInt64BE(0);
};

test('ns + remainder is written exactly: 20,000 random times around now, and across 32-bit word carries', () => {
  const r = rng(7);
  const cases: bigint[] = [];
  for (let i = 0; i < 20_000; i++)
    cases.push(1_700_000_000_000_000_000n + BigInt(Math.floor(r() * 2 ** 30)) * BigInt(Math.floor(r() * 2 ** 30)));
  for (const hi of [0x17d0_0000n, 0x18ff_ffffn])
    for (const d of [-300n, -1n, 0n, 1n, 300n]) cases.push((hi << 32n) + d); // remainders that cross the low word
  let withRemainder = 0;
  for (const exact of cases) {
    const { ns, rem } = split(exact);
    if (rem !== 0) withRemainder++;
    assert.ok(Math.abs(rem) <= 512, `remainder ${rem}`); // half a float64 step: 256 at 2^61, 512 above
    assert.is(bytesOf(ns, rem), exact, `bytes of ${exact}`);
    assert.is(exactNsText(ns, rem), exact.toString(), `digits of ${exact}`);
  }
  assert.ok(withRemainder > cases.length * 0.9, 'the float64s alone are almost never exact');
});

test('without a remainder a time is its nearest whole µs: random µs and ms venue times come back exactly', () => {
  const r = rng(11);
  for (let i = 0; i < 20_000; i++) {
    const us = 1_600_000_000_000_000 + Math.floor(r() * 3e14); // 2020..2030, whole µs
    const exact = BigInt(us) * 1000n;
    const ns = us * 1000; // what a parser computes: the nearest float64
    assert.is(bytesOf(ns, NaN), exact, `µs ${us}`);
    assert.is(exactNsText(ns, NaN), exact.toString());
    assert.is(BigInt(ns) + BigInt(nearestUsRemNs(ns)), exact);
    const ms = Math.floor(us / 1000);
    assert.is(bytesOf(ms * 1e6, NaN), BigInt(ms) * 1_000_000n, `ms ${ms}`);
  }
});

test('small and non-integer values are written as plain digits', () => {
  assert.is(exactNsText(0, NaN), '0');
  assert.is(exactNsText(12345, 0), '12345');
  assert.is(exactNsText(1.5, NaN), '2');
});

test.run();
