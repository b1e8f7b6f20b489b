// Book features on the real 2021 Binance books, against exact rational arithmetic (BigInt at the venue's 8
// decimals): depth imbalance, depth-weighted microprice, depth within X bps, order-flow imbalance over a window;
// spread in ticks; and the two book strategies (imbalance on depth, ofi-momentum) on the same session.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRecording } from '../../src/feed/replay/readers.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { binanceAdapter } from '../../src/feed/binance/adapter.js';
import { BookSet } from '../../src/book/books.js';
import { TsBook } from '../../src/book/ts-book.js';
import { BookViewSlot } from '../../src/book/view.js';
import {
  depthImbalance,
  depthMicroprice,
  depthWithinBps,
  OrderFlowImbalance,
  spreadTicks,
} from '../../src/book/features.js';
import { ratio, scaled } from '../indicators/exact.js';
import { imbalance } from '../../src/strategy/imbalance.js';
import { ofiMomentum } from '../../src/strategy/ofi-momentum.js';
import { shared } from '../helpers.js';

const DEPTH = 10;
const S = 8; // Binance spot decimals
/** A level value back to the venue's decimal (shortest round-trip form), exact at scale 8. */
const dec = (x: number) => scaled(x.toFixed(S), S);

interface Snap {
  symbol: string;
  ms: number;
  top: Float64Array;
}

const snaps: Snap[] = [];
{
  const view = new BookViewSlot(DEPTH);
  const books = new BookSet({
    makeBook: () => new TsBook(),
    onUpdate: (b) => {
      view.fill(b);
      snaps.push({ symbol: b.symbol, ms: b.tsExchNs / 1e6, top: view.top.slice() });
    },
  });
  const proc = new FrameProcessor(binanceAdapter('binance'), () => undefined);
  proc.books = books;
  for await (const r of readRecording(shared('messages/binance-spot-session-2021-04-05.cryptofeed.log')))
    if (r.type === 'frame') proc.onFrame(r.text, r.recvNs);
    else if (r.type === 'snapshot') proc.onSnapshot(r.symbol, r.text, r.recvNs);
}

const levelsOf = (top: Float64Array, side: 0 | 1, n: number) => {
  const out: Array<{ p: bigint; q: bigint }> = [];
  for (let k = 0; k < n; k++) {
    const p = top[side * 2 * DEPTH + 2 * k]!;
    if (p !== p) break;
    out.push({ p: dec(p), q: dec(top[side * 2 * DEPTH + 2 * k + 1]!) });
  }
  return out;
};
const relClose = (a: number, b: number, rel: number) =>
  Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);

test('depth imbalance (5 levels, decay 1/2) equals the exact ratio on every real book update', () => {
  let n = 0;
  for (const s of snaps) {
    const got = depthImbalance(s.top, DEPTH, 5, 0.5);
    // weights 2^-k scaled by 2^4 to integers
    const w = (k: number) => 1n << BigInt(4 - k);
    let b = 0n,
      a = 0n;
    levelsOf(s.top, 0, 5).forEach((l, k) => (b += w(k) * l.q));
    levelsOf(s.top, 1, 5).forEach((l, k) => (a += w(k) * l.q));
    const want = ratio(b - a, b + a);
    // in [-1, 1]: within 8 ulps of 1 (the bid - ask cancellation rules out a relative bound near zero)
    assert.ok(Math.abs(got - want) <= 8 * Number.EPSILON, `${s.symbol}: ${got} vs exact ${want}`);
    n++;
  }
  assert.ok(n > 4000, `${n} updates`);
});

test('depth-weighted microprice (1 and 5 levels) equals the exact rational on every real book update', () => {
  for (const levels of [1, 5])
    for (const s of snaps) {
      const got = depthMicroprice(s.top, DEPTH, levels);
      const bl = levelsOf(s.top, 0, levels),
        al = levelsOf(s.top, 1, levels);
      const qb = bl.reduce((x, l) => x + l.q, 0n),
        qa = al.reduce((x, l) => x + l.q, 0n);
      const pqb = bl.reduce((x, l) => x + l.p * l.q, 0n),
        pqa = al.reduce((x, l) => x + l.p * l.q, 0n);
      // ((pqb/qb)·qa + (pqa/qa)·qb) / (qb + qa), prices and sizes both at scale 8
      const want = ratio(pqb * qa * qa + pqa * qb * qb, qa * qb * (qa + qb) * 10n ** BigInt(S));
      assert.ok(relClose(got, want, 1e-13), `${s.symbol} ${levels}: ${got} vs exact ${want}`);
      if (levels === 1) {
        const classic =
          (s.top[0]! * s.top[2 * DEPTH + 1]! + s.top[2 * DEPTH]! * s.top[1]!) / (s.top[1]! + s.top[2 * DEPTH + 1]!);
        assert.ok(relClose(got, classic, 1e-14), 'one level is the classic microprice');
      }
    }
});

test('depth within 10 bps per side equals the exact sum of the levels inside the band', () => {
  let nonTrivial = 0;
  for (const s of snaps)
    for (const side of [0, 1] as const) {
      const got = depthWithinBps(s.top, DEPTH, side, 10);
      const bid = dec(s.top[0]!),
        ask = dec(s.top[2 * DEPTH]!);
      // |p - mid| <= mid * 10 / 1e4  <=>  |2p - (bid+ask)| * 1e4 <= (bid+ask) * 10
      let sum = 0n,
        k = 0;
      for (const l of levelsOf(s.top, side, DEPTH)) {
        const d = 2n * l.p - (bid + ask);
        if ((d < 0n ? -d : d) * 10_000n > (bid + ask) * 10n) break;
        sum += l.q;
        k++;
      }
      if (k > 1) nonTrivial++;
      assert.ok(relClose(got, ratio(sum, 10n ** BigInt(S)), 1e-14), `${s.symbol}: ${got}`);
    }
  assert.ok(nonTrivial > 100, `${nonTrivial} bands hold more than one level`);
});

test('order-flow imbalance over 1 s equals the exact windowed sum of Cont-Kukanov-Stoikov terms', () => {
  const bySymbol = new Map<string, Snap[]>();
  for (const s of snaps) bySymbol.set(s.symbol, [...(bySymbol.get(s.symbol) ?? []), s]);
  let checked = 0;
  for (const list of bySymbol.values()) {
    const ofi = new OrderFlowImbalance(1000);
    const terms: Array<{ ms: number; e: bigint }> = [];
    let prev: { bp: bigint; bq: bigint; ap: bigint; aq: bigint } | undefined;
    for (const s of list) {
      const got = ofi.update(s.top[0]!, s.top[1]!, s.top[2 * DEPTH]!, s.top[2 * DEPTH + 1]!, s.ms);
      const cur = {
        bp: dec(s.top[0]!),
        bq: dec(s.top[1]!),
        ap: dec(s.top[2 * DEPTH]!),
        aq: dec(s.top[2 * DEPTH + 1]!),
      };
      let e = 0n;
      if (prev) {
        if (cur.bp >= prev.bp) e += cur.bq;
        if (cur.bp <= prev.bp) e -= prev.bq;
        if (cur.ap <= prev.ap) e -= cur.aq;
        if (cur.ap >= prev.ap) e += prev.aq;
      }
      prev = cur;
      terms.push({ ms: s.ms, e });
      const want = terms.filter((t) => s.ms - t.ms < 1000).reduce((x, t) => x + t.e, 0n);
      const scale = Math.max(1, Math.abs(ratio(cur.bq + cur.aq, 10n ** BigInt(S))));
      assert.ok(
        Math.abs(got - ratio(want, 10n ** BigInt(S))) <= 1e-12 * scale,
        `ofi ${got} vs ${ratio(want, 10n ** 8n)}`,
      );
      checked++;
    }
  }
  assert.ok(checked > 4000);
});

test('spread in ticks: an integer count of the tick size', () => {
  const zil = snaps.find((s) => s.symbol === 'ZILUSDT')!;
  assert.is(spreadTicks(zil.top, DEPTH, 0.00001), Math.round((zil.top[2 * DEPTH]! - zil.top[0]!) / 0.00001));
  assert.ok(spreadTicks(zil.top, DEPTH, 0.00001) >= 1);
  assert.ok(Number.isNaN(spreadTicks(new Float64Array(4 * DEPTH).fill(NaN), DEPTH, 0.01)));
});

test('book strategies on the session: imbalance reads depth (book drafts), ofi-momentum signals with its reasons', () => {
  const view = {
    venue: 'binance',
    symbol: '',
    updateId: 0,
    tsExchNs: 0,
    tsRecvNs: 0,
    tsRecvRemNs: NaN,
    depth: DEPTH,
    top: new Float64Array(4 * DEPTH),
  };
  const imb = imbalance('imb', { threshold: 0.6 });
  const ofi = ofiMomentum('ofi', { windowMs: 1000, threshold: 2, levels: 3 });
  const inst = new Map<string, { i: ReturnType<typeof imb.create>; o: ReturnType<typeof ofi.create> }>();
  let imbDrafts = 0,
    ofiDrafts = 0,
    id = 0;
  for (const s of snaps) {
    if (!inst.has(s.symbol))
      inst.set(s.symbol, { i: imb.create('binance', s.symbol), o: ofi.create('binance', s.symbol) });
    const x = inst.get(s.symbol)!;
    view.symbol = s.symbol;
    view.updateId = ++id;
    view.tsExchNs = s.ms * 1e6;
    view.top.set(s.top);
    const a = x.i.onBook!(view),
      b = x.o.onBook!(view);
    if (a) {
      imbDrafts++;
      assert.is(a.book, true);
      assert.ok(Math.abs(a.indicators.imbalance!) >= 0.6);
      assert.is(a.side === 'buy', a.indicators.imbalance! > 0);
      assert.is(a.price, a.side === 'buy' ? s.top[2 * DEPTH] : s.top[0]);
    }
    if (b) {
      ofiDrafts++;
      assert.is(b.book, true);
      assert.ok(Math.abs(b.indicators.ofiScaled!) >= 2);
      assert.is(b.side === 'buy', b.indicators.microprice! > b.indicators.mid!);
    }
  }
  assert.ok(imbDrafts > 20 && ofiDrafts > 20, `${imbDrafts} imbalance, ${ofiDrafts} ofi drafts`);
  // Once a symbol has a book, its quotes no longer drive the imbalance strategy.
  const one = imb.create('binance', 'ZILUSDT');
  one.onBook!({ ...view, symbol: 'ZILUSDT', top: snaps.find((s) => s.symbol === 'ZILUSDT')!.top });
  const q = {
    kind: 'quote',
    venue: 'binance',
    symbol: 'ZILUSDT',
    tsExchNs: 1,
    tsRecvNs: 1,
    bid: 1,
    bidSize: 100,
    ask: 1.01,
    askSize: 1,
    id: 1,
  } as const;
  assert.is(one.onTick(q as never), undefined);
});

test.run();
