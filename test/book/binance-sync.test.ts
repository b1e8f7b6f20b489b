// Binance spot book sync on the real 2021-04-05 session (10 symbols, REST snapshots, depth@100ms, bookTicker):
// after every applied diff, each book's best bid and ask equal the last bookTicker of that symbol at or before the
// diff's final update id, for both book implementations. The 2024 session has no snapshot: its book stays
// syncing. A dropped diff leads to invalid, one resync and a correct book again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameProcessor } from '../../src/feed/processor.js';
import { binanceAdapter } from '../../src/feed/binance/adapter.js';
import { BookSet } from '../../src/book/books.js';
import { ASK, BID, type L2Book } from '../../src/book/book.js';
import { TsBook } from '../../src/book/ts-book.js';
import { nativeModule } from '../../src/native/index.js';
import type { SyncedBook } from '../../src/book/synced-book.js';
import { recordRecvNs, type ReplayRecord } from '../../src/feed/replay/readers.js';
import { shared } from '../helpers.js';
import { playBinance, recordsOf } from './reference.js';

const session2021 = shared('messages/binance-spot-session-2021-04-05.cryptofeed.log');
const session2024 = shared('messages/binance-spot-session-20240808.log.gz');

const NativeBook = nativeModule().mod?.NativeBook;
const impls: Array<[string, () => L2Book]> = [
  ['typescript', () => new TsBook()],
  ['native', () => new NativeBook!()],
];

interface Quote {
  u: number;
  bid: number;
  ask: number;
}

/** Every bookTicker of the session per symbol, ordered by update id. */
function bookTickers(recs: ReplayRecord[]): Map<string, Quote[]> {
  const by = new Map<string, Quote[]>();
  for (const r of recs) {
    if (r.type !== 'frame' || !r.text.includes('@bookTicker')) continue;
    const d = (JSON.parse(r.text) as { data: { s: string; u: number; b: string; a: string } }).data;
    if (!by.has(d.s)) by.set(d.s, []);
    by.get(d.s)!.push({ u: d.u, bid: Number(d.b), ask: Number(d.a) });
  }
  for (const list of by.values()) list.sort((a, b) => a.u - b.u);
  return by;
}

/** The last quote with u <= id (binary search), or undefined. */
function quoteAt(list: Quote[] | undefined, id: number): Quote | undefined {
  if (!list) return undefined;
  let lo = 0,
    hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.u <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : list[lo - 1];
}

const recs2021 = await recordsOf(session2021);
const quotes2021 = bookTickers(recs2021);

for (const [name, makeBook] of impls) {
  test(`${name}: every applied diff of the 2021 session leaves best bid/ask equal to the bookTicker at its id`, () => {
    if (name === 'native') assert.ok(NativeBook, `native module not built: ${nativeModule().reason}`);
    let compared = 0,
      applied = 0;
    const mismatches: string[] = [];
    const symbols = new Set<string>();
    const { books } = playBinance(recs2021, {
      makeBook,
      onUpdate: (b: SyncedBook) => {
        applied++;
        const q = quoteAt(quotes2021.get(b.symbol), b.lastId);
        if (!q) return;
        compared++;
        symbols.add(b.symbol);
        const bid = b.book.bestPrice(BID),
          ask = b.book.bestPrice(ASK);
        if (bid !== q.bid || ask !== q.ask)
          mismatches.push(`${b.symbol} u=${b.lastId}: book ${bid}/${ask}, bookTicker u=${q.u} ${q.bid}/${q.ask}`);
      },
    });
    assert.equal(mismatches.slice(0, 5), [], `${mismatches.length} of ${compared} comparisons differ`);
    assert.is(symbols.size, 10, 'every one of the 10 symbols is compared');
    assert.ok(compared > 1000, `compared ${compared} updates`);
    console.log(`    ${name}: ${compared} comparisons over ${applied} applied updates`);
    assert.ok(applied >= compared);
    for (const b of books.all()) assert.is(b.state, 'live', `${b.symbol} ends live`);
    assert.is([...books.all()].length, 10);
    assert.is(books.dropped.get('gap'), undefined, 'the recorded session has no gap');
    assert.is(books.dropped.get('bad-level'), undefined);
    assert.is(books.dropped.get('crossed'), undefined);
  });
}

test('the 2024 session has diffs but no snapshot: its book stays syncing and reports nothing', async () => {
  const recs = await recordsOf(session2024);
  let updates = 0;
  const { books } = playBinance(recs, { makeBook: () => new TsBook(), onUpdate: () => updates++ });
  const all = [...books.all()];
  assert.is(all.length, 1);
  assert.is(all[0]!.symbol, 'BTCUSDT');
  assert.is(all[0]!.state, 'syncing');
  assert.ok(all[0]!.pending.length > 100, `${all[0]!.pending.length} diffs buffered`);
  assert.is(updates, 0);
});

test('a dropped diff mid-session: invalid (gap), one resync from a fresh snapshot, then correct again', () => {
  const target = 'ZILUSDT';
  const diffs = recs2021
    .map((r, i) => [r, i] as const)
    .filter(([r]) => r.type === 'frame' && r.text.includes(`"${target.toLowerCase()}@depth`));
  const dropAt = diffs[Math.floor(diffs.length / 2)]![1];
  // The venue's book, for the resync: the same rules over the complete stream.
  const venue = playBinance(recs2021.slice(0, 0), { makeBook: () => new TsBook() }).books;
  const venueProc = new FrameProcessor(binanceAdapter('binance'), () => undefined);
  venueProc.books = venue;
  const transitions: string[] = [];
  const resyncs: string[] = [];
  let compared = 0,
    afterResync = 0;
  const mismatches: string[] = [];
  const books = new BookSet({
    makeBook: () => new TsBook(),
    onState: (b, from, reason) => {
      if (b.symbol === target) transitions.push(`${from}->${b.state}${reason ? `(${reason})` : ''}`);
    },
    resync: (_venue, symbol, reason) => {
      if (reason !== 'initial') resyncs.push(symbol);
    },
    onUpdate: (b) => {
      const q = quoteAt(quotes2021.get(b.symbol), b.lastId);
      if (!q) return;
      compared++;
      if (b.symbol === target && b.resyncs > 0) afterResync++;
      if (b.book.bestPrice(BID) !== q.bid || b.book.bestPrice(ASK) !== q.ask)
        mismatches.push(`${b.symbol} ${b.lastId}`);
    },
  });
  const proc = new FrameProcessor(binanceAdapter('binance'), () => undefined);
  proc.books = books;
  let snapshotDue = -1;
  recs2021.forEach((r, i) => {
    if (r.type === 'frame') venueProc.onFrame(r.text, r.recvNs);
    else if (r.type === 'snapshot') venueProc.onSnapshot(r.symbol, r.text, r.recvNs);
    if (i === dropAt) return;
    if (r.type === 'frame') proc.onFrame(r.text, r.recvNs);
    else if (r.type === 'snapshot') proc.onSnapshot(r.symbol, r.text, r.recvNs);
    // The resync's REST answer arrives a few records after the request, as the venue's book then stands.
    if (resyncs.length > 0 && snapshotDue < 0) snapshotDue = i + 25;
    if (i === snapshotDue) {
      const vb = venue.get('binance', target)!;
      const out = new Float64Array(4 * 5000);
      const packed = vb.book.top(out, 5000);
      const nb = packed & 0xffff,
        na = packed >>> 16;
      const level = (k: number): [string, string] => [String(out[2 * k]), String(out[2 * k + 1])];
      const bids = Array.from({ length: nb }, (_, k) => level(k));
      const asks = Array.from({ length: na }, (_, k) => level(5000 + k));
      proc.onSnapshot(target, JSON.stringify({ lastUpdateId: vb.lastId, bids, asks }), recordRecvNs(r));
    }
  });
  assert.equal(resyncs, [target], 'one resync, of that symbol only');
  assert.equal(transitions, ['syncing->live', 'live->invalid(gap)', 'invalid->syncing(gap)', 'syncing->live']);
  assert.is(books.dropped.get('gap'), 1);
  assert.ok(afterResync > 10, `${afterResync} comparisons after the resync`);
  assert.equal(mismatches, [], `${mismatches.length} of ${compared} differ`);
  assert.is(books.get('binance', target)!.state, 'live');
});

test.run();
