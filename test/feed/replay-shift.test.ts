// serve-replay --loop: the cut-once FrameShifter gives exactly the frames the parsing shift gives, lap after
// lap, on real recordings (CSV-built trade and bookTicker frames, and a recorded WebSocket session).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrameShifter, loadFrames, shiftBinanceFrame, spansOf } from '../../src/feed/replay/frames.js';
import { shared } from '../helpers.js';

const recordings = [
  'ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv',
  'ticks/binance-spot-BTCUSDT-bookTicker-20240809T0000Z.csv',
  'messages/binance-spot-session-20240809.log.gz',
];

for (const rec of recordings) {
  test(`FrameShifter equals shiftBinanceFrame on every frame of ${rec}`, async () => {
    const frames = (await loadFrames([shared(rec)])).slice(0, 20_000);
    assert.ok(frames.length > 1000, `${frames.length} frames loaded`);
    const spans = spansOf(frames);
    const shifter = new FrameShifter(frames, spans.idSpan, spans.timeSpanMs);
    let shiftedDiffers = 0;
    for (const lap of [0, 1, 2, 13]) {
      for (let i = 0; i < frames.length; i++) {
        const want = shiftBinanceFrame(frames[i]!.text, lap, spans.idSpan, spans.timeSpanMs);
        const got = shifter.text(i, lap);
        if (got !== want) assert.unreachable(`lap ${lap} frame ${i}:\n got  ${got}\n want ${want}`);
        if (lap > 0 && got !== frames[i]!.text) shiftedDiffers++;
      }
    }
    assert.ok(shiftedDiffers > 0, 'later laps really are shifted');
  });
}

test('a frame the cut cannot reproduce keeps the parsing shift', () => {
  // A nested "t" key: the parsing shift leaves it alone; a naive textual cut would move it.
  const text = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1000,"x":{"t":5},"t":7,"T":1000}}';
  const frames = [{ recvNs: 0, text }];
  const shifter = new FrameShifter(frames, { trade: 100, agg: 0, update: 0 }, 60_000);
  assert.is(shifter.text(0, 2), shiftBinanceFrame(text, 2, { trade: 100, agg: 0, update: 0 }, 60_000));
  assert.ok(shifter.text(0, 2).includes('"x":{"t":5}'));
});

test.run();
