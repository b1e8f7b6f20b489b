// The Binance byte fast path must give exactly the ticks JSON.parse gives, and decline anything it does not
// recognise: checked on every real trade/aggTrade/bookTicker frame and on a large set of mutated frames, both
// from bytes (live frames) and from text (replays, encoded into a scratch buffer).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shared } from '../helpers.js';
import { makeBinanceParser } from '../../src/feed/binance/parse.js';
import { fastBinanceBytes } from '../../src/feed/binance/parse-bytes.js';
import { parseDecimalBytes } from '../../src/feed/decimal-bytes.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { adapterFor } from '../../src/feed/adapters.js';
import type { Tick } from '../../src/model/tick.js';

const slow = makeBinanceParser('binance', false);
const fast = makeBinanceParser('binance', true);

/** The JSON.parse path's result (ticks or error message), the text fast path's, and the byte path's (undefined when it declined). */
function both(frame: string): { a: Tick[] | string; b: Tick[] | string; bytes: Tick[] | undefined } {
  const a: Tick[] = [],
    b: Tick[] = [],
    c: Tick[] = [];
  let ea: string | undefined, eb: string | undefined;
  try {
    slow(frame, 1, a);
  } catch (e) {
    ea = (e as Error).message;
  }
  try {
    fast(frame, 1, b);
  } catch (e) {
    eb = (e as Error).message;
  }
  const took = fastBinanceBytes('binance', Buffer.from(frame), 1, c);
  if (!took) assert.is(c.length, 0, 'a declined frame appends nothing');
  return { a: ea ?? a, b: eb ?? b, bytes: took ? c : undefined };
}

const lines = (rel: string) => readFileSync(shared(rel), 'utf8').split('\n').filter(Boolean);
const real = [
  ...lines('messages/binance-spot-trade.jsonl'),
  ...lines('messages/binance-usdm-trade.jsonl'),
  ...lines('messages/binance-spot-trade-legacy-2023-04-05.jsonl'),
  ...lines('messages/binance-spot-aggTrade.jsonl'),
  ...lines('messages/binance-spot-bookTicker.jsonl'),
  ...lines('messages/binance-usdm-bookTicker.jsonl'),
];

test('every real trade, aggTrade and bookTicker frame: byte fast path taken and identical to JSON.parse', () => {
  let taken = 0,
    quotes = 0;
  for (const f of real) {
    const r = both(f);
    assert.type(r.a, 'object', `the JSON.parse path accepts ${f}`);
    if (r.bytes) {
      taken++;
      assert.equal(r.bytes, r.a, f);
    }
    assert.equal(r.b, r.a);
    if ((r.a as Tick[])[0]?.kind === 'quote') quotes++;
  }
  assert.is(taken, real.length, 'the byte path handles every real frame shape');
  assert.ok(quotes > 1000, `bookTicker frames covered (${quotes})`);
  // raw (unwrapped) streams too
  for (const f of [real[0]!, real.at(-1)!]) {
    const raw = JSON.stringify(JSON.parse(f).data ?? JSON.parse(f));
    const r = both(raw);
    assert.ok(r.bytes, raw);
    assert.equal(r.bytes, r.a);
  }
});

test('the byte path declines what it does not fully understand, and the processor still parses it', () => {
  const base = real[0]!;
  const declined = [
    base.replace('"BTCUSDT"', '"BTC\\u0055SDT"'), // escape
    base.replace(',"s":', ', "s":'), // whitespace
    base.replace('"BTCUSDT"', '"BTCÜSDT"'), // non-ASCII
    base.replace('"m":true', '"m":null'),
    base.replace('"e":"trade"', '"e":"trade","x":{"y":1}'),
    base.replace('"e":"trade"', '"e":"trade","E":1'), // duplicate key: JSON.parse keeps the last
    base.replace('"p":"61685.99000000"', '"p":"6.1e4"'),
    base + '\n',
  ];
  for (const f of declined) {
    assert.not.ok(fastBinanceBytes('binance', Buffer.from(f), 1, []), f);
    const r = both(f);
    assert.equal(r.b, r.a, f);
  }
  const ticks: Tick[] = [];
  const p = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => ticks.push(t));
  for (const f of [base, ...declined, '{"e":"trade"', 'garbage']) p.onFrameBytes(Buffer.from(f), 5);
  assert.is(p.stats.frames, declined.length + 3);
  assert.is(p.stats.malformedTotal, 3, 'm:null and the two broken frames counted as malformed');
  assert.is(p.stats.duplicates, 6, 'the declined frames JSON.parse accepts repeat the trade id of the first');
  assert.equal(
    ticks.map((t) => t.symbol),
    ['BTCUSDT', 'BTCÜSDT'],
  );
});

test('fuzz: 60k mutated frames give the same ticks (or the same rejection) on both paths', () => {
  const seed0 = Number(process.env.FUZZ_SEED ?? 20261122);
  let seed = seed0;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = '0123456789.-e"{}[],:tTpqmMsSabX\\ ';
  let fellBack = 0,
    bytesTaken = 0;
  for (let i = 0; i < 60_000; i++) {
    let f = real[rnd(real.length)]!;
    const ops = 1 + rnd(3);
    for (let k = 0; k < ops; k++) {
      const pos = rnd(f.length);
      switch (rnd(4)) {
        case 0:
          f = f.slice(0, pos) + f.slice(pos + 1);
          break;
        case 1:
          f = f.slice(0, pos) + alphabet[rnd(alphabet.length)] + f.slice(pos);
          break;
        case 2:
          f = f.slice(0, pos) + alphabet[rnd(alphabet.length)] + f.slice(pos + 1);
          break;
        default:
          f = f.slice(0, pos);
      }
    }
    const r = both(f);
    if (typeof r.a === 'string') {
      assert.type(r.b, 'string', `(FUZZ_SEED=${seed0}) text fast path accepted a frame JSON.parse rejects: ${f}`);
      if (r.bytes !== undefined)
        assert.unreachable(`(FUZZ_SEED=${seed0}) byte path accepted a frame JSON.parse rejects: ${f}`);
      fellBack++;
      continue;
    }
    assert.equal(r.b, r.a, `(FUZZ_SEED=${seed0}) different ticks for ${f}`);
    if (r.bytes !== undefined) {
      bytesTaken++;
      assert.equal(r.bytes, r.a, `(FUZZ_SEED=${seed0}) byte path gave different ticks for ${f}`);
    }
  }
  assert.ok(fellBack > 1000, 'the fuzz reached the rejection paths');
  assert.ok(bytesTaken > 1000, `the fuzz reached the byte path's acceptances (${bytesTaken})`);
});

test('the hand-written decimal parser equals Number() exactly, or declines (NaN) and leaves it to JSON.parse', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let declined = 0;
  for (let i = 0; i < 300_000; i++) {
    const ip = String(rnd(10 ** (1 + rnd(9))));
    const fd = rnd(10);
    const s = fd ? `${ip}.${String(rnd(10 ** Math.min(fd, 9))).padStart(fd, '0')}${'0'.repeat(rnd(5))}` : ip;
    const v = parseDecimalBytes(Buffer.from(s), 0, s.length);
    if (Number.isNaN(v)) {
      declined++;
      continue;
    }
    if (v !== Number(s)) assert.unreachable(`${s}: ${v} vs ${Number(s)}`);
  }
  // Digits that only fit once the point's trailing zeros are set aside, and digits that do not fit at all.
  for (const s of [
    '1.50000000000000000000000',
    '0.000000000000000000001000',
    '9007199254740991',
    '900719925474099.10',
  ]) {
    const v = parseDecimalBytes(Buffer.from(s), 0, s.length);
    assert.is(v, Number(s), s);
  }
  for (const s of ['9007199254740993', '12345678901234567.5', '0.00000000000000000000001']) {
    assert.ok(Number.isNaN(parseDecimalBytes(Buffer.from(s), 0, s.length)), `declines "${s}"`);
  }
  for (const bad of ['', '.', '1.', '.5', '01', '1..2', '-1', '+1', '1e5', '1,5', ' 1', '0x10', '١']) {
    const b = Buffer.from(bad);
    assert.ok(Number.isNaN(parseDecimalBytes(b, 0, b.length)), `declines "${bad}"`);
  }
  assert.ok(declined < 30_000, `${declined} declined`);
});

test.run();
