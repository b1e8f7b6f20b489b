// The Binance depth byte path must give exactly the book messages the JSON.parse path gives, and decline what
// it does not recognise: every real depthUpdate frame (spot 2021 and 2024, USD-M), and mutated frames.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shared } from '../helpers.js';
import { makeBinanceParser } from '../../src/feed/binance/parse.js';
import { fastBinanceDepthBytes } from '../../src/feed/binance/parse-depth-bytes.js';
import { copyMessage, type BookMessage } from '../../src/book/message.js';
import { readRecording } from '../../src/feed/replay/readers.js';

const slow = makeBinanceParser('binance', false);
const fast = makeBinanceParser('binance', true);

const plain = (m: BookMessage) => {
  const c = copyMessage(m);
  return { ...c, bids: Array.from(c.bids), asks: Array.from(c.asks) };
};

/** Messages (or the error) from the JSON.parse path, the text fast path, and the byte path (undefined: declined). */
function both(frame: string) {
  const run = (parse: typeof slow) => {
    const got: ReturnType<typeof plain>[] = [];
    try {
      parse(frame, 7, [], { onBookMessage: (m) => got.push(plain(m)) });
    } catch (e) {
      return (e as Error).message;
    }
    return got;
  };
  const bytes: ReturnType<typeof plain>[] = [];
  const took = fastBinanceDepthBytes('binance', Buffer.from(frame), 7, { onBookMessage: (m) => bytes.push(plain(m)) });
  return { a: run(slow), b: run(fast), bytes: took ? bytes : undefined };
}

const lines = (rel: string) => readFileSync(shared(rel), 'utf8').split('\n').filter(Boolean);
const session2021: string[] = [];
for await (const r of readRecording(shared('messages/binance-spot-session-2021-04-05.cryptofeed.log')))
  if (r.type === 'frame' && r.text.includes('depthUpdate')) session2021.push(r.text);
const real = [
  ...lines('messages/binance-spot-depthUpdate.jsonl'),
  ...lines('messages/binance-usdm-depthUpdate.jsonl'),
  ...session2021,
];

test('every real depthUpdate frame: byte path taken and identical to JSON.parse', () => {
  let levels = 0;
  for (const f of real) {
    const { a, b, bytes } = both(f);
    assert.ok(bytes, `byte path declined a real frame: ${f.slice(0, 120)}`);
    assert.equal(bytes, a);
    assert.equal(b, a);
    if (typeof a !== 'string') levels += a[0]!.bidCount + a[0]!.askCount;
  }
  assert.ok(real.length > 5000 && levels > 100_000, `${real.length} frames, ${levels} levels`);
});

test('USD-M frames carry pu and T; spot frames have no pu', () => {
  const usdm = both(lines('messages/binance-usdm-depthUpdate.jsonl')[1]!).bytes![0]!;
  assert.ok(usdm.prevId > 0 && usdm.prevId < usdm.firstId);
  const spot = both(lines('messages/binance-spot-depthUpdate.jsonl')[1]!).bytes![0]!;
  assert.is(spot.prevId, -1);
});

test('mutated frames: the byte path declines or agrees, never differs', () => {
  const base = lines('messages/binance-spot-depthUpdate.jsonl').slice(0, 40);
  const mutations: Array<(s: string) => string> = [
    (s) => s.replace('"b":[[', '"b": [['),
    (s) => s.replace('"U":', '"X":'),
    (s) => s.replace(/"u":\d+/, '"u":1'),
    (s) => s.replace('"b":[["', '"b":[[" '),
    (s) => s.replace(/"a":\[\[[^\]]*\]/, '"a":[["1e3","1"]'),
    (s) => s.replace('"s":"BTCUSDT"', '"s":"BTC\\u0055SDT"'),
    (s) => s.replace(/\]\]\}\}$/, ']],"a":[]}}'),
    (s) => s.replace(/"E":\d+/, '"E":0'),
    (s) => s.replace(/"E":\d+/, '"E":-1'),
    (s) => s.replace(/,"a":\[.*\]\}\}$/, '}}'),
    (s) => s.slice(0, -1),
    (s) => s + ' ',
    (s) => s.replace('"0.00000000"', '"-0.00000000"'),
    (s) => s.replace('"0.00000000"', '"abc"'),
    (s) => s.replace(/"U":(\d+)/, '"U":$1,"U":5'),
    (s) => s.replace('{"stream":"btcusdt@depth@100ms","data":', '').slice(0, -1),
  ];
  let declined = 0,
    agreed = 0;
  for (const f of base)
    for (const mut of mutations) {
      const g = mut(f);
      const { a, b, bytes } = both(g);
      assert.equal(b, a, `text fast path differs on ${g.slice(0, 100)}`);
      if (bytes === undefined) declined++;
      else {
        assert.equal(bytes, a, `byte path differs on ${g.slice(0, 100)}`);
        agreed++;
      }
    }
  assert.ok(declined > 0 && agreed > 0, `${declined} declined, ${agreed} agreed`);
});

test('without a book consumer a depth frame is recognised and ignored', () => {
  const f = Buffer.from(lines('messages/binance-spot-depthUpdate.jsonl')[0]!);
  assert.ok(fastBinanceDepthBytes('binance', f, 1, undefined));
  assert.not.ok(
    fastBinanceDepthBytes('binance', Buffer.from(lines('messages/binance-spot-trade.jsonl')[0]!), 1, undefined),
  );
});

test.run();
