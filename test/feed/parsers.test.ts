// Venue parsers on the real recordings in shared data: counts, first/last values, aggressor side, both
// clocks; malformed input of every kind is a counted drop, never a throw out of the processor.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shared, repoRoot } from '../helpers.js';
import path from 'node:path';
import { adapterFor } from '../../src/feed/adapters.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import type { Tick } from '../../src/model/tick.js';
import type { VenueName } from '../../src/config/types.js';

function run(
  venue: VenueName,
  lines: string[],
  recvNs = 1_700_000_000_000_000_000,
): { ticks: Tick[]; p: FrameProcessor } {
  const ticks: Tick[] = [];
  // Sample files mix sessions years apart (not one stream's clock): no clock-offset check here.
  const p = new FrameProcessor(adapterFor({ venue }), (t) => ticks.push(t), undefined, undefined, undefined, {
    clockWindowMs: Infinity,
  });
  for (const l of lines) p.onFrame(l, recvNs);
  return { ticks, p };
}
const jsonl = (rel: string) => readFileSync(shared(rel), 'utf8').split('\n').filter(Boolean);
const samples = (rel: string, key: string): string[] => {
  const d = JSON.parse(readFileSync(shared(rel), 'utf8')) as Record<string, { messages?: unknown[] }>;
  return (d[key]!.messages ?? []).map((m) => JSON.stringify(m));
};

test('Binance spot trade: 10147 frames, contiguous ids, m=true -> sell, exchange time from T', () => {
  const lines = jsonl('messages/binance-spot-trade.jsonl');
  const { ticks, p } = run('binance', lines);
  assert.is(ticks.length, lines.length);
  assert.is(p.stats.malformedTotal, 0);
  const first = ticks[0]!;
  assert.equal(
    [first.symbol, first.kind, first.id, first.price, first.size, first.side],
    ['BTCUSDT', 'trade', 3735693016, 61685.99, 0.00017, 'sell'],
  );
  assert.is(first.tsExchNs, 1723161601437 * 1e6);
  assert.is(first.tsRecvNs, 1_700_000_000_000_000_000);
  assert.is(ticks[1]!.side, 'buy');
  const last = JSON.parse(lines[lines.length - 1]!).data;
  assert.is(ticks[ticks.length - 1]!.id, last.t);
  assert.is(ticks[ticks.length - 1]!.price, Number(last.p));
  assert.is(p.stats.gaps, 0);
});

test('Binance spot bookTicker, aggTrade, legacy trade; USD-M trade and bookTicker', () => {
  const bt = run('binance', jsonl('messages/binance-spot-bookTicker.jsonl'));
  assert.is(bt.ticks.length, 5000);
  assert.equal(
    [
      bt.ticks[0]!.kind,
      bt.ticks[0]!.bid,
      bt.ticks[0]!.bidSize,
      bt.ticks[0]!.ask,
      bt.ticks[0]!.askSize,
      bt.ticks[0]!.id,
    ],
    ['quote', 61685.99, 1.25869, 61686, 2.44816, 50093421613],
  );
  const agg = run('binance', jsonl('messages/binance-spot-aggTrade.jsonl'));
  assert.is(agg.p.stats.malformedTotal, 0);
  assert.ok(agg.ticks.length > 1000);
  assert.equal([agg.ticks[0]!.symbol, agg.ticks[0]!.id, agg.ticks[0]!.side], ['ZILUSDT', 18938405, 'buy']);
  const legacy = run('binance', jsonl('messages/binance-spot-trade-legacy-2023-04-05.jsonl'));
  assert.is(legacy.ticks.length + legacy.p.stats.duplicates, 3144);
  assert.is(legacy.p.stats.malformedTotal, 0);
  const um = run('binance-usdm', jsonl('messages/binance-usdm-trade.jsonl'));
  assert.is(um.p.stats.malformedTotal, 0);
  assert.equal(
    [um.ticks[0]!.venue, um.ticks[0]!.price, um.ticks[0]!.size, um.ticks[0]!.side, um.ticks[0]!.tsExchNs],
    ['binance-usdm', 61800.3, 0.006, 'buy', 1723161256322e6],
  );
  const umq = run('binance-usdm', jsonl('messages/binance-usdm-bookTicker.jsonl'));
  assert.is(umq.ticks.length + umq.p.stats.duplicates, 3000);
  assert.is(umq.ticks[0]!.tsExchNs, 1723161256313e6, 'USD-M bookTicker carries E');
});

test('Bybit v5: publicTrade arrays (taker side), orderbook.1 snapshot + delta keeps the other side', () => {
  const msgs = samples('messages/bybit-v5-samples.json', 'recorded_spot_v5_2023_04_05');
  const { ticks, p } = run('bybit', msgs);
  assert.is(p.stats.malformedTotal, 0);
  const trades = ticks.filter((t) => t.kind === 'trade');
  assert.is(trades[0]!.price, 28165.38);
  assert.is(trades[0]!.side, 'sell');
  assert.is(trades[0]!.tsExchNs, 1680652847524e6);
  const quotes = ticks.filter((t) => t.kind === 'quote' && t.symbol === 'BTCUSDT');
  assert.ok(quotes.length >= 2);
  const snap = quotes.find((q) => q.id === 20404754)!,
    delta = quotes.find((q) => q.id === 20404755)!;
  assert.equal([snap.bid, snap.ask], [28165.07, 28165.08]);
  assert.equal(
    [delta.bid, delta.bidSize, delta.ask],
    [28165.07, 0.166754, 28165.08],
    'a delta with no asks keeps the last ask',
  );
  const lin = run('bybit-linear', samples('messages/bybit-v5-samples.json', 'recorded_linear_inverse_v5_2023'));
  assert.is(lin.p.stats.malformedTotal, 0);
  assert.ok(
    lin.ticks.some((t) => t.kind === 'quote' && t.bid === 28560 && t.ask === 28560.5),
    'tickers bid1/ask1',
  );
});

test('Coinbase Exchange: match side is the maker side (aggressor opposite); ticker best bid/ask; µs times', () => {
  const { ticks, p } = run('coinbase', jsonl('messages/coinbase-exchange-match.jsonl'));
  assert.is(p.stats.malformedTotal, 0);
  const first = JSON.parse(jsonl('messages/coinbase-exchange-match.jsonl')[0]!);
  assert.equal(
    [ticks[0]!.symbol, ticks[0]!.side, ticks[0]!.price, ticks[0]!.size],
    ['SKL-BTC', first.side === 'sell' ? 'buy' : 'sell', 0.00001305, 985],
  );
  assert.is(ticks[0]!.tsExchNs, Date.parse('2021-04-17T16:43:37.089Z') * 1e6 + 723000);
  const q = run('coinbase', jsonl('messages/coinbase-exchange-ticker.jsonl'));
  assert.is(q.p.stats.malformedTotal, 0);
  assert.equal([q.ticks[0]!.kind, q.ticks[0]!.bid, q.ticks[0]!.ask], ['quote', 14.755, 14.806]);
});

test('Coinbase: the real malformed size "0.-10000" is a counted drop (not a zero); the zero time is tolerated', () => {
  const d = JSON.parse(readFileSync(shared('messages/coinbase-exchange-tardis-samples.json'), 'utf8')) as {
    messages: unknown[];
  };
  const frames = d.messages.map((m) => JSON.stringify(m));
  const bad = frames.filter((f) => f.includes('0.-10000'));
  assert.is(bad.length, 1, 'the sample holds the malformed size');
  const { ticks, p } = run('coinbase', frames);
  assert.is(p.stats.malformedTotal, 1);
  assert.is(p.stats.malformed.get('bad-number'), 1);
  assert.is(ticks.filter((t) => t.kind === 'trade').length, 1);
  assert.is(ticks.filter((t) => t.kind === 'quote').length, 3);
  const q22 = ticks.find((t) => t.kind === 'quote' && t.bidSize > 0)!;
  assert.equal([q22.bid, q22.bidSize, q22.ask, q22.askSize], [17165.15, 0.6154089, 17167.76, 0.18528568]);
  const zero = JSON.stringify({
    type: 'match',
    trade_id: 1,
    side: 'buy',
    size: '1',
    price: '2',
    product_id: 'A-B',
    time: '0001-01-01T00:00:00.000000Z',
  });
  const z = run('coinbase', [zero], 1_700_000_000_123e6);
  assert.is(z.ticks[0]!.tsExchNs, 1_700_000_000_123e6, 'zero time -> receive time');
});

test('Coinbase Advanced Trade market_trades and Kraken v2 trade', () => {
  const ca = JSON.parse(readFileSync(shared('messages/coinbase-advanced-market_trades.json'), 'utf8')) as {
    captured: Array<{ raw: string }>;
  };
  const { ticks, p } = run(
    'coinbase-advanced',
    ca.captured.map((c) => c.raw),
  );
  assert.is(p.stats.malformedTotal, 0);
  assert.equal(
    [ticks[0]!.symbol, ticks[0]!.price, ticks[0]!.side, ticks[0]!.id],
    ['BTC-USD', 115445.28, 'buy', 892262231],
  );
  const kr = JSON.parse(readFileSync(shared('messages/kraken-v2-samples.json'), 'utf8')) as Record<string, unknown>;
  const msgs: string[] = [];
  for (const v of Object.values(kr))
    if (v && typeof v === 'object')
      for (const m of (v as { messages?: unknown[] }).messages ?? []) msgs.push(JSON.stringify(m));
  const k = run('kraken', msgs);
  const trades = k.ticks.filter((t) => t.kind === 'trade');
  assert.ok(trades.length >= 1);
  assert.ok(trades.every((t) => t.symbol.includes('/') && (t.side === 'buy' || t.side === 'sell')));
  assert.ok(k.ticks.some((t) => t.kind === 'quote' && t.bid === 99.9 && t.ask === 100.1));
});

test('malformed frames of every kind are counted by reason and never thrown', () => {
  const good = jsonl('messages/binance-spot-trade.jsonl')[0]!;
  const huge = '{"stream":"x","data":{"e":"trade","s":"' + 'A'.repeat(5_000_000) + '"}}';
  const bad = [
    '',
    'not json',
    '{',
    '[]',
    'null',
    '42',
    '{"stream":"btcusdt@trade","data":"x"}',
    good.replace('"p":"61685.99000000"', '"p":"-1"'),
    good.replace('"p":"61685.99000000"', '"p":"NaN"'),
    good.replace('"p":"61685.99000000"', '"p":"1e999"'),
    good.replace('"q":"0.00017000"', '"q":"0.-10000"'),
    good.replace('"m":true', '"m":"yes"'),
    good.replace('"s":"BTCUSDT"', '"s":5'),
    good.replace('"t":3735693016', '"t":"abc"'),
    good.replace('"T":1723161601437', '"T":-5'),
    '{"e":"mystery"}',
    huge,
  ];
  const { ticks, p } = run('binance', bad);
  assert.is(ticks.length, 0);
  assert.is(p.stats.malformedTotal, bad.length);
  assert.ok(p.stats.malformed.get('oversize') === 1);
  p.onBinary(100);
  assert.is(p.stats.malformed.get('binary'), 1);
  for (const v of ['bybit', 'coinbase', 'coinbase-advanced', 'kraken'] as VenueName[]) {
    const r = run(v, bad.slice(0, 16));
    assert.is(r.ticks.length, 0, v);
    assert.ok(r.p.stats.malformedTotal > 0, v);
  }
});

test('duplicates are dropped and counted; trade id gaps are recorded with their size', () => {
  const lines = jsonl('messages/binance-spot-trade.jsonl').slice(0, 100);
  const withFaults = [...lines.slice(0, 50), lines[49]!, lines[48]!, ...lines.slice(53)];
  const { ticks, p } = run('binance', withFaults);
  assert.is(p.stats.duplicates, 2);
  assert.is(p.stats.gaps, 1);
  const g = p.sequence.recentGaps[0]!;
  assert.is(g.toId - g.fromId + 1, 3);
  assert.is(ticks.length, 97);
  for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]!.id > ticks[i - 1]!.id, 'strictly increasing ids');
});

test('subscribe messages per venue', () => {
  const sub = (v: VenueName, sy: string[], ch: string[]) =>
    adapterFor({ venue: v })
      .subscribeMessages(sy, ch)
      .map((m) => JSON.parse(m));
  assert.equal(sub('binance', ['BTCUSDT', 'ETHUSDT'], ['trade', 'bookTicker'])[0].params, [
    'btcusdt@trade',
    'btcusdt@bookTicker',
    'ethusdt@trade',
    'ethusdt@bookTicker',
  ]);
  assert.equal(sub('bybit', ['BTCUSDT'], ['trade', 'quote']), [
    { op: 'subscribe', args: ['publicTrade.BTCUSDT', 'orderbook.1.BTCUSDT'] },
  ]);
  assert.equal(sub('coinbase', ['BTC-USD'], ['trade', 'quote']), [
    { type: 'subscribe', product_ids: ['BTC-USD'], channels: ['matches', 'ticker', 'heartbeat'] },
  ]);
  assert.equal(sub('coinbase-advanced', ['BTC-USD'], ['trade']), [
    { type: 'subscribe', product_ids: ['BTC-USD'], channel: 'market_trades' },
    { type: 'subscribe', channel: 'heartbeats' },
  ]);
  assert.equal(
    sub('kraken', ['BTC/USD'], ['trade', 'quote']).map((m) => m.params.channel),
    ['trade', 'ticker'],
  );
  assert.equal(adapterFor({ venue: 'bybit' }).appPing, { intervalMs: 20_000, message: '{"op":"ping"}' });
});

test('clock offset: rolling median of receive minus exchange time', () => {
  const lines = jsonl('messages/binance-spot-trade.jsonl').slice(0, 101);
  const ticks: Tick[] = [];
  const p = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => ticks.push(t));
  lines.forEach((l, i) => {
    const T = JSON.parse(l).data.T as number;
    p.onFrame(l, (T + 5 + (i % 3)) * 1e6);
  });
  assert.ok(Math.abs(p.clock.medianNs() - 6e6) < 1000, `median ${p.clock.medianNs()} (float64 epoch ns keep ~256 ns)`);
});

test('Upbit (documented layouts, DEFAULT and SIMPLE keys): trades, best bid/ask, duplicates, no false gaps, bad frames counted', () => {
  const lines = readFileSync(path.join(repoRoot, 'test/fixtures/upbit/frames.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const { ticks, p } = run('upbit', lines);
  assert.equal(
    ticks.map((t) => [t.symbol, t.kind, t.kind === 'trade' ? t.price : t.bid, t.kind === 'trade' ? t.side : t.ask]),
    [
      ['KRW-BTC', 'trade', 137500000, 'buy'],
      ['KRW-BTC', 'trade', 137490000, 'sell'],
      ['KRW-BTC', 'quote', 137490000, 137500000],
      ['KRW-ETH', 'trade', 5012000, 'sell'],
      ['KRW-ETH', 'quote', 5012000, 5013000],
    ],
  );
  const [t0, , q0] = ticks;
  assert.equal([t0!.tsExchNs, t0!.id, t0!.size], [1732680000100 * 1e6, 1732680000100000, 0.00123]);
  assert.equal([q0!.tsExchNs, q0!.bidSize, q0!.askSize, q0!.id], [1732680000200 * 1e6, 0.19, 0.05, -1]);
  assert.is(ticks[4]!.bidSize, 2.25);
  assert.is(p.stats.duplicates, 1, 'the repeated sequential_id');
  assert.is(p.stats.gaps, 0, 'sequential_id jumps are not gaps');
  assert.equal(Object.fromEntries(p.stats.malformed), { 'venue-error': 1, 'bad-number': 1 });
});

test.run();
