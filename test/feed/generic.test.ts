// The generic adapter: a venue described only by field paths, on real Binance USD-M frames (as a stand-in
// for an unlisted venue), must produce the same ticks the dedicated parser does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shared } from '../helpers.js';
import { genericAdapter } from '../../src/feed/generic/adapter.js';
import { adapterFor } from '../../src/feed/adapters.js';
import { validateConfig, loadConfig } from '../../src/config/load.js';
import type { Tick } from '../../src/model/tick.js';

test('field paths reproduce the dedicated parser on real frames; bad frames are rejected', () => {
  const frames = readFileSync(shared('messages/binance-usdm-trade.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.stringify(JSON.parse(l).data));
  const g = genericAdapter(
    'usdm-generic',
    {
      kindPath: 'e',
      tradeKind: 'trade',
      quoteKind: 'bookTicker',
      symbolPath: 's',
      timePath: 'T',
      timeUnit: 'ms',
      pricePath: 'p',
      sizePath: 'q',
      sidePath: 'm',
      buyValue: 'false',
      idPath: 't',
    },
    [{ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 }],
  );
  const a: Tick[] = [],
    b: Tick[] = [];
  const ref = adapterFor({ venue: 'binance-usdm' });
  for (const f of frames) {
    g.parse(f, 7, a);
    ref.parse(f, 7, b);
  }
  assert.is(a.length, b.length);
  a.forEach((t, i) => {
    assert.equal(
      [t.symbol, t.tsExchNs, t.price, t.size, t.side, t.id],
      [b[i]!.symbol, b[i]!.tsExchNs, b[i]!.price, b[i]!.size, b[i]!.side, b[i]!.id],
    );
  });
  assert.equal(g.subscribeMessages([], []), ['{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}']);
  assert.throws(
    () => g.parse('{"e":"trade","s":"X","T":1,"p":"abc","q":"1"}', 1, []),
    /p: not a finite number|expected a decimal/,
  );
  assert.throws(() => g.parse('{"e":"trade","s":"X","T":-1,"p":"1","q":"1"}', 1, []), /positive time/);
});

test('a generic feed validates through the config schema', () => {
  const base = JSON.parse(JSON.stringify(loadConfig({ env: {} }))) as Record<string, unknown>;
  base.feeds = [
    {
      venue: 'generic',
      url: 'wss://example.invalid/ws',
      symbols: ['X'],
      channels: ['trade'],
      fields: { kindPath: 'e', tradeKind: 't', quoteKind: 'q', symbolPath: 's', timePath: 'T', timeUnit: 'ms' },
    },
  ];
  const c = validateConfig(base);
  assert.is(c.feeds[0]!.fields!.timeUnit, 'ms');
});

test.run();
