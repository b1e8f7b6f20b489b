// Book sync for the stream-snapshot venues, on their real messages: Kraken v2 (the checksum guide's snapshot,
// updates checked by checksum, a mismatch -> invalid and a resync, the book cut to 10 levels), Bybit v5
// orderbook.50 (snapshot, contiguous u, u = 1 resets, a skipped u is a gap), Coinbase Exchange level2 (the real
// 2021-04-17 session: snapshots then l2updates, never crossed), and bad levels rejected and counted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { FrameProcessor } from '../../src/feed/processor.js';
import { adapterFor } from '../../src/feed/adapters.js';
import { readRecording } from '../../src/feed/replay/readers.js';
import { BookSet, type BookSetOptions } from '../../src/book/books.js';
import { TsBook } from '../../src/book/ts-book.js';
import { ASK, BID } from '../../src/book/book.js';
import type { VenueName } from '../../src/config/types.js';
import { shared } from '../helpers.js';

function setup(venue: VenueName, extra: Partial<BookSetOptions> = {}) {
  const resyncs: string[] = [];
  const states: string[] = [];
  const books = new BookSet({
    ...extra,
    makeBook: () => new TsBook(),
    resync: (_v, symbol, reason) => resyncs.push(`${symbol}:${reason}`),
    onState: (b, from, reason) => states.push(`${from}->${b.state}${reason ? `(${reason})` : ''}`),
  });
  const proc = new FrameProcessor(adapterFor({ venue }), () => undefined);
  proc.books = books;
  return { books, proc, resyncs, states };
}

/** An independent CRC-32 (bit by bit, no table) of Kraken's checksum string for the expected levels. */
function crc(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    c ^= text.charCodeAt(i);
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
const digits = (v: number, d: number) =>
  v
    .toFixed(d)
    .replace('.', '')
    .replace(/^0+(?=\d)/, '');
const krakenSum = (asks: number[][], bids: number[][]) =>
  crc([...asks, ...bids].map(([p, q]) => digits(p!, 1) + digits(q!, 8)).join(''));

type KLevel = { price: number; qty: number };
const oracle = (
  JSON.parse(readFileSync(shared('messages/kraken-v2-samples.json'), 'utf8')) as {
    book_checksum_oracle: {
      message: { data: Array<{ symbol: string; bids: KLevel[]; asks: KLevel[]; checksum: number }> };
    };
  }
).book_checksum_oracle.message;

test('Kraken v2: the guide snapshot goes live with its checksum; updates are verified; a mismatch resyncs', () => {
  const { books, proc, resyncs, states } = setup('kraken');
  proc.onFrame(JSON.stringify(oracle), 1e18);
  const b = books.get('kraken', 'BTC/USD')!;
  assert.is(b.state, 'live', 'checksum 3310070434 verified');
  assert.equal(b.checksumDecimals, [1, 8], 'decimals from the snapshot levels');
  // a better bid enters: the 11th bid drops out; the update carries the checksum of the new top 10
  const d = oracle.data[0]!;
  const bids = [[45284.0, 0.5], ...d.bids.map((l) => [l.price, l.qty])].slice(0, 10);
  const asks = d.asks.map((l) => [l.price, l.qty]);
  const update = {
    channel: 'book',
    type: 'update',
    data: [
      {
        symbol: 'BTC/USD',
        bids: [{ price: 45284.0, qty: 0.5 }],
        asks: [],
        checksum: krakenSum(asks, bids),
        timestamp: '2023-10-06T17:35:56.000000Z',
      },
    ],
  };
  proc.onFrame(JSON.stringify(update), 1e18 + 1);
  assert.is(b.state, 'live');
  assert.is(b.book.levels(BID), 10, 'cut to the subscribed 10 levels');
  assert.is(b.book.bestPrice(BID), 45284.0);
  const bad = { ...update, data: [{ ...update.data[0]!, bids: [{ price: 45284.1, qty: 1 }], checksum: 12345 }] };
  proc.onFrame(JSON.stringify(bad), 1e18 + 2);
  assert.is(books.dropped.get('checksum'), 1);
  assert.equal(resyncs, ['BTC/USD:checksum']);
  assert.equal(states, ['syncing->live', 'live->invalid(checksum)', 'invalid->syncing(checksum)']);
});

test('Kraken checksum decimals from config win over the snapshot: a wrong setting fails the checksum', () => {
  const { books, proc } = setup('kraken', {
    checksumDecimals: (v, s) => (`${v}:${s}` === 'kraken:BTC/USD' ? [2, 8] : undefined),
  });
  proc.onFrame(JSON.stringify(oracle), 1e18);
  assert.is(books.dropped.get('checksum'), 1, '2 price decimals print other digits than Kraken checksummed');
  const right = setup('kraken', { checksumDecimals: () => [1, 8] });
  right.proc.onFrame(JSON.stringify(oracle), 1e18);
  assert.is(right.books.get('kraken', 'BTC/USD')!.state, 'live');
});

test('Bybit v5 orderbook.50: snapshot, contiguous deltas, u = 1 resets, a skipped u is a gap', () => {
  const samples = JSON.parse(readFileSync(shared('messages/bybit-v5-samples.json'), 'utf8')) as Record<
    string,
    { messages?: unknown[] }
  >;
  const msgs = samples
    .recorded_linear_inverse_v5_2023!.messages!.map((m) => JSON.stringify(m))
    .filter((m) => m.includes('orderbook.50.'));
  assert.is(msgs.length, 2, 'a recorded snapshot and its delta');
  const { books, proc, resyncs } = setup('bybit-linear');
  for (const m of msgs) proc.onFrame(m, 1e18);
  const b = books.get('bybit-linear', 'BTCPERP')!;
  assert.is(b.state, 'live');
  assert.is(b.lastId, 20683569);
  assert.is(b.book.bestSize(BID), 0.677, 'the delta replaced the bid size');
  assert.is(b.book.bestSize(ASK), 0.029);
  const delta = (u: number, bid: string) =>
    JSON.stringify({
      topic: 'orderbook.50.BTCPERP',
      type: 'delta',
      ts: 1680673821700,
      data: { s: 'BTCPERP', b: [[bid, '1']], a: [], u, seq: 1 },
    });
  proc.onFrame(delta(20683570, '28555.10'), 1e18);
  assert.is(b.book.levels(BID), 2);
  proc.onFrame(
    JSON.stringify({
      topic: 'orderbook.50.BTCPERP',
      type: 'delta',
      ts: 1680673821800,
      data: { s: 'BTCPERP', b: [['28550.00', '2']], a: [['28551.00', '3']], u: 1, seq: 2 },
    }),
    1e18,
  );
  assert.is(b.book.levels(BID), 1, 'u = 1: the book was reset to this message');
  assert.is(b.book.bestPrice(ASK), 28551.0);
  proc.onFrame(delta(3, '28549.00'), 1e18);
  assert.is(b.state, 'syncing');
  assert.equal(resyncs, ['BTCPERP:gap']);
});

test('Coinbase Exchange level2, the real 2021-04-17 session: 10 snapshots, every l2update applied, never crossed', async () => {
  const { books, proc } = setup('coinbase');
  let checked = 0;
  for await (const r of readRecording(shared('messages/coinbase-exchange-session-2021-04-17.cryptofeed.log'), {
    venue: 'coinbase',
  })) {
    if (r.type !== 'frame') continue;
    proc.onFrame(r.text, r.recvNs);
    if (r.text.startsWith('{"type":"l2update"')) {
      const sym = /"product_id":"([^"]+)"/.exec(r.text)![1]!;
      const b = books.get('coinbase', sym);
      if (b?.state === 'live') {
        assert.ok(b.book.bestPrice(BID) < b.book.bestPrice(ASK), `${sym} crossed`);
        checked++;
      }
    }
  }
  assert.is(books.snapshots, 10);
  assert.is([...books.all()].filter((b) => b.state === 'live').length, 10);
  assert.ok(checked > 9000, `${checked} updates checked`);
  assert.equal([...books.dropped.keys()], []);
});

test('bad levels are skipped and counted; a crossed book is invalid and resyncs that symbol only', () => {
  const { books, proc, resyncs } = setup('binance');
  proc.onSnapshot(
    'ABCUSDT',
    JSON.stringify({
      lastUpdateId: 10,
      bids: [
        ['100.0', '1'],
        ['99.0', '2'],
      ],
      asks: [['101.0', '1']],
    }),
    1e18,
  );
  proc.onSnapshot('XYZUSDT', JSON.stringify({ lastUpdateId: 5, bids: [['1.0', '1']], asks: [['2.0', '1']] }), 1e18);
  const diff = (U: number, u: number, b: string[][], a: string[][], s = 'ABCUSDT') =>
    JSON.stringify({ e: 'depthUpdate', E: 1617647603472, s, U, u, b, a });
  proc.onFrame(
    diff(
      11,
      11,
      [
        ['98.0', '-5'],
        ['97.0', 'abc'],
        ['96.0', '1'],
      ],
      [],
    ),
    1e18,
  );
  assert.is(books.dropped.get('bad-level'), 2);
  const b = books.get('binance', 'ABCUSDT')!;
  assert.is(b.state, 'live');
  assert.is(b.book.levels(BID), 3);
  proc.onFrame(diff(12, 12, [['101.5', '1']], []), 1e18);
  assert.is(books.dropped.get('crossed'), 1);
  assert.is(b.state, 'syncing');
  assert.equal(resyncs, ['ABCUSDT:crossed']);
  assert.is(books.get('binance', 'XYZUSDT')!.state, 'live', 'the other symbol is untouched');
});

test('Coinbase Advanced Trade level2: snapshot and updates per event; a skipped sequence_num resyncs each book of the connection on its next message; a new connection is no gap', () => {
  const { books, proc, resyncs, states } = setup('coinbase-advanced');
  let seq = 0;
  const l2 = (type: 'snapshot' | 'update', product: string, updates: Array<[string, string, string]>, at = seq++) =>
    JSON.stringify({
      channel: 'l2_data',
      client_id: '',
      timestamp: '2023-02-09T20:32:50.714964855Z',
      sequence_num: at,
      events: [
        {
          type,
          product_id: product,
          updates: updates.map(([side, price_level, new_quantity]) => ({
            side,
            event_time: '1970-01-01T00:00:00Z',
            price_level,
            new_quantity,
          })),
        },
      ],
    });
  const heartbeat = (at = seq++) =>
    JSON.stringify({ channel: 'heartbeats', timestamp: '2023-02-09T20:32:51Z', sequence_num: at, events: [] });
  proc.onFrame(
    l2('snapshot', 'BTC-USD', [
      ['bid', '21921.73', '0.06317902'],
      ['bid', '21921.3', '0.002'],
      ['offer', '21921.74', '1.5'],
    ]),
    1e18,
  );
  proc.onFrame(
    l2('snapshot', 'ETH-USD', [
      ['bid', '1600.1', '2'],
      ['offer', '1600.2', '3'],
    ]),
    1e18,
  );
  const btc = books.get('coinbase-advanced', 'BTC-USD')!,
    eth = books.get('coinbase-advanced', 'ETH-USD')!;
  assert.is(btc.state, 'live');
  assert.is(eth.state, 'live');
  assert.is(btc.book.levels(BID), 2);
  assert.is(btc.tsExchNs, Date.UTC(2023, 1, 9, 20, 32, 50) * 1e6 + 714964855, 'the envelope time');
  proc.onFrame(
    l2('update', 'BTC-USD', [
      ['bid', '21921.73', '0'],
      ['offer', '21921.8', '4'],
    ]),
    1e18,
  );
  assert.is(btc.book.bestPrice(BID), 21921.3, 'new_quantity 0 removes the level');
  assert.is(btc.book.levels(ASK), 2);
  proc.onFrame(heartbeat(), 1e18); // other channels count in the same sequence
  proc.onFrame(l2('update', 'ETH-USD', [['bid', '1600.0', '1']]), 1e18);
  assert.is(eth.book.levels(BID), 2);
  assert.equal(resyncs, [], 'contiguous across channels and products');
  seq++; // one message of the connection lost
  proc.onFrame(l2('update', 'BTC-USD', [['bid', '21920', '1']]), 1e18);
  assert.is(btc.state, 'syncing');
  assert.equal(resyncs, ['BTC-USD:gap'], 'the book that heard next resyncs');
  proc.onFrame(heartbeat(), 1e18);
  proc.onFrame(l2('update', 'ETH-USD', [['bid', '1599', '1']]), 1e18);
  assert.equal(resyncs, ['BTC-USD:gap', 'ETH-USD:gap'], "the lost message may have been ETH-USD's too");
  proc.onFrame(
    l2('snapshot', 'BTC-USD', [
      ['bid', '21900', '1'],
      ['offer', '21901', '1'],
    ]),
    1e18,
  );
  proc.onFrame(l2('update', 'BTC-USD', [['bid', '21899', '1']]), 1e18);
  assert.is(btc.state, 'live', 'live again after its fresh snapshot');
  assert.is(btc.book.levels(BID), 2);
  seq = 0; // a reconnect: numbering starts again, and the subscriptions bring snapshots
  proc.onFrame(
    l2('snapshot', 'ETH-USD', [
      ['bid', '1601', '1'],
      ['offer', '1602', '1'],
    ]),
    1e18,
  );
  proc.onFrame(l2('update', 'ETH-USD', [['offer', '1603', '1']]), 1e18);
  proc.onFrame(l2('update', 'BTC-USD', [['offer', '21902', '1']]), 1e18);
  assert.is(eth.state, 'live');
  assert.is(btc.state, 'live');
  assert.is(resyncs.length, 2, 'no gap at the new numbering');
  assert.equal(states, [
    'syncing->live',
    'syncing->live',
    'live->invalid(gap)', // BTC-USD
    'invalid->syncing(gap)',
    'live->invalid(gap)', // ETH-USD
    'invalid->syncing(gap)',
    'syncing->live', // BTC-USD's new snapshot
    'syncing->live', // ETH-USD's, on the new connection
  ]);
  assert.throws(
    () => adapterFor({ venue: 'coinbase-advanced' }).parse(l2('update', 'BTC-USD', [['ask', '1', '1']]), 1, []),
    /not bid or offer/,
  );
});

test('depth subscriptions and per-symbol book resubscribes for each venue', () => {
  const kr = adapterFor({ venue: 'kraken' });
  assert.ok(
    kr
      .subscribeMessages(['BTC/USD'], ['trade', 'depth'])
      .some((m) => m.includes('"channel":"book"') && m.includes('"depth":10')),
  );
  assert.equal(
    kr.resubscribeBook!('BTC/USD').map((m) => (JSON.parse(m) as { method: string }).method),
    ['unsubscribe', 'subscribe'],
  );
  const by = adapterFor({ venue: 'bybit' });
  assert.ok(by.subscribeMessages(['BTCUSDT'], ['depth']).join().includes('orderbook.50.BTCUSDT'));
  assert.ok(by.resubscribeBook!('BTCUSDT')[0]!.includes('"op":"unsubscribe"'));
  const cb = adapterFor({ venue: 'coinbase' });
  assert.ok(cb.subscribeMessages(['BTC-USD'], ['trade', 'depth'])[0]!.includes('level2_batch'));
  assert.not.ok(
    cb.subscribeMessages(['BTC-USD'], ['trade', 'quote'])[0]!.includes('level2'),
    'no book channel without depth',
  );
  const ca = adapterFor({ venue: 'coinbase-advanced' });
  assert.ok(ca.subscribeMessages(['BTC-USD'], ['trade', 'depth']).some((m) => m.includes('"channel":"level2"')));
  assert.equal(
    ca.resubscribeBook!('BTC-USD').map((m) => JSON.parse(m) as unknown),
    [
      { type: 'unsubscribe', product_ids: ['BTC-USD'], channel: 'level2' },
      { type: 'subscribe', product_ids: ['BTC-USD'], channel: 'level2' },
    ],
  );
  const bn = adapterFor({ venue: 'binance' });
  assert.ok(bn.subscribeMessages(['BTCUSDT'], ['depth'])[0]!.includes('btcusdt@depth@100ms'));
  assert.is(bn.resubscribeBook, undefined, 'Binance resyncs from REST');
});

test.run();
