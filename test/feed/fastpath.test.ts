// The hand-written Binance trade extractor must give exactly the ticks JSON.parse gives, and fall back on
// anything it does not recognise: checked on every real frame and on a large set of mutated frames.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shared } from '../helpers.js';
import { fastBinanceTrade, makeBinanceParser, parseDecimal } from '../../src/feed/binance/parse.js';
import type { Tick } from '../../src/model/tick.js';

const slow = makeBinanceParser('binance', false);
const fast = makeBinanceParser('binance', true);

function both(frame: string): { a: Tick[] | string; b: Tick[] | string } {
  const a: Tick[] = [], b: Tick[] = [];
  let ea: string | undefined, eb: string | undefined;
  try { slow(frame, 1, a); } catch (e) { ea = (e as Error).message; }
  try { fast(frame, 1, b); } catch (e) { eb = (e as Error).message; }
  return { a: ea ?? a, b: eb ?? b };
}

const real = [...readFileSync(shared('messages/binance-spot-trade.jsonl'), 'utf8').split('\n'), ...readFileSync(shared('messages/binance-usdm-trade.jsonl'), 'utf8').split('\n'),
  ...readFileSync(shared('messages/binance-spot-trade-legacy-2023-04-05.jsonl'), 'utf8').split('\n')].filter(Boolean);

test('every real trade frame: fast path taken and identical to JSON.parse', () => {
  let taken = 0;
  for (const f of real) {
    const out: Tick[] = [];
    if (fastBinanceTrade('binance', f, 1, out)) taken++;
    const r = both(f);
    assert.equal(r.b, r.a);
  }
  assert.is(taken, real.length, 'the extractor handles every real frame shape');
  // raw (unwrapped) streams too
  const raw = JSON.stringify(JSON.parse(real[0]!).data);
  assert.ok(fastBinanceTrade('binance', raw, 1, []));
  assert.equal(both(raw).b, both(raw).a);
});

test('fuzz: 60k mutated frames give the same ticks (or the same rejection) on both paths', () => {
  const seed0 = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000_007);
  let seed = seed0;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const alphabet = '0123456789.-e"{}[],:tTpqmMsSabX\\ ';
  let fellBack = 0;
  for (let i = 0; i < 60_000; i++) {
    let f = real[rnd(real.length)]!;
    const ops = 1 + rnd(3);
    for (let k = 0; k < ops; k++) {
      const pos = rnd(f.length);
      switch (rnd(4)) {
        case 0: f = f.slice(0, pos) + f.slice(pos + 1); break;
        case 1: f = f.slice(0, pos) + alphabet[rnd(alphabet.length)] + f.slice(pos); break;
        case 2: f = f.slice(0, pos) + alphabet[rnd(alphabet.length)] + f.slice(pos + 1); break;
        default: f = f.slice(0, pos);
      }
    }
    const r = both(f);
    if (typeof r.a === 'string') { assert.type(r.b, 'string', `(FUZZ_SEED=${seed0}) fast path accepted a frame JSON.parse rejects: ${f}`); fellBack++; continue; }
    assert.equal(r.b, r.a, `(FUZZ_SEED=${seed0}) different ticks for ${f}`);
  }
  assert.ok(fellBack > 1000, 'the fuzz reached the rejection paths');
});

test('the hand-written decimal parser equals Number() exactly, or declines (NaN) and leaves it to JSON.parse', () => {
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  let declined = 0;
  for (let i = 0; i < 300_000; i++) {
    const ip = String(rnd(10 ** (1 + rnd(9))));
    const fd = rnd(10);
    const s = fd ? `${ip}.${String(rnd(10 ** Math.min(fd, 9))).padStart(fd, '0')}${'0'.repeat(rnd(5))}` : ip;
    const v = parseDecimal(s, 0, s.length);
    if (Number.isNaN(v)) { declined++; continue; }
    if (v !== Number(s)) assert.unreachable(`${s}: ${v} vs ${Number(s)}`);
  }
  for (const bad of ['', '.', '1.', '.5', '01', '1..2', '-1', '+1', '1e5', '1,5', ' 1', '0x10', '١']) assert.ok(Number.isNaN(parseDecimal(bad, 0, bad.length)), `declines "${bad}"`);
  assert.ok(declined < 30_000, `${declined} declined`);
});

test.run();
