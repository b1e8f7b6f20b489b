// The hand-encoded signal frame decodes (with msgpackr, as any client would) to exactly the map msgpackr
// itself encodes from { type: 'signal', ...signal }: same keys in the same order, same values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Unpackr } from 'msgpackr';
import { encodeFrame, FrameDecoder, frameToJsonLine } from '../../src/signal/framing.js';
import { encodeJsonLine } from '../../src/signal/json-line.js';
import { encodeSignalFrame } from '../../src/signal/signal-frame.js';
import { signalId, type Signal } from '../../src/model/signal.js';

const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
const body = (frame: Buffer) => {
  assert.is(frame.readUInt32BE(0), frame.length - 4, 'length prefix');
  return unpackr.unpack(frame.subarray(4)) as Record<string, unknown>;
};

/** An exact epoch ns time as the process clock carries it: the nearest float64 and the integer remainder. */
const split = (exact: bigint) => {
  const ns = Number(exact);
  return { ns, rem: Number(exact - BigInt(ns)) };
};
const SIGNAL_AT = 1_723_161_601_438_123_457n,
  RECV_AT = 1_723_161_601_438_000_001n;
const sig = split(SIGNAL_AT),
  recv = split(RECV_AT);

function signal(over: Partial<Signal> = {}): Signal {
  return {
    seq: 1,
    id: 'christmas-1',
    tsNs: sig.ns,
    symbol: 'BTCUSDT',
    venue: 'binance',
    side: 'buy',
    strategy: 'ema-cross',
    price: 61685.99,
    strength: 0.75,
    ttlMs: 500,
    reason: 'ema 9 crossed above ema 21 with rsi 55.2',
    indicators: { ema9: 61685.1, ema21: 61684.7, rsi: 55.2 },
    latency: {
      tsExchNs: 1_723_161_601_437_001e3,
      tsRecvNs: recv.ns,
      tsSignalNs: sig.ns,
      tsRecvRemNs: recv.rem,
      tsSignalRemNs: sig.rem,
    },
    ...over,
  };
}

test('timestamps are integers on the wire: msgpack uint64, exact digits in the NDJSON form', () => {
  const s = signal();
  const frame = encodeSignalFrame(s);
  for (const key of ['tsNs', 'tsExchNs', 'tsRecvNs', 'tsSignalNs']) {
    const k = Buffer.from([0xa0 | key.length, ...Buffer.from(key)]);
    const at = frame.indexOf(k);
    assert.ok(at > 0, key);
    assert.is(frame[at + k.length], 0xcf, `${key} is a uint64`);
  }
  const exact = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'bigint' }).unpack(
    frame.subarray(4),
  ) as {
    tsNs: bigint;
    latency: { tsExchNs: bigint; tsRecvNs: bigint; tsSignalNs: bigint };
  };
  assert.ok(sig.rem !== 0 && recv.rem !== 0, 'the float64s alone are not the times');
  assert.is(exact.tsNs, SIGNAL_AT, 'the uint64 is the process clock time to the ns');
  assert.is(exact.latency.tsSignalNs, SIGNAL_AT);
  assert.is(exact.latency.tsRecvNs, RECV_AT);
  // An exchange time (no remainder: the venue gives at most µs) is its whole µs, not the float64's digits.
  assert.is(BigInt(s.latency.tsExchNs) % 1000n !== 0n, true, 'the float64 is off the µs grid');
  assert.is(exact.latency.tsExchNs, 1_723_161_601_437_001_000n);
  const line = frameToJsonLine(frame).toString();
  assert.match(line, new RegExp(`"tsNs":${SIGNAL_AT}[,}]`));
  assert.match(line, new RegExp(`"tsRecvNs":${RECV_AT}[,}]`));
  assert.not.match(line, /"ts[A-Za-z]*Ns":[^,}]*[.eE]/, 'no fraction or exponent');
});

test('decodes to the same map as msgpackr, across value shapes', () => {
  const manyIndicators: Record<string, number> = {};
  for (let i = 0; i < 40; i++) manyIndicators[`ind${i}`] = i % 3 ? i * 1.5 : -i;
  const cases: Signal[] = [
    signal(),
    signal({ seq: 0, price: 0, strength: 1, ttlMs: 0, indicators: {} }),
    signal({ seq: 127, ttlMs: 128 }),
    signal({ seq: 255, ttlMs: 256 }),
    signal({ seq: 65535, ttlMs: 65536 }),
    signal({ seq: 2 ** 32 - 1 }),
    signal({ seq: 2 ** 32 }),
    signal({ seq: 2 ** 53 - 1 }),
    signal({
      price: -1,
      strength: -0.5,
      ttlMs: -33,
      indicators: { a: -32, b: -129, c: -(2 ** 31), d: NaN, e: Infinity, f: -Infinity },
    }),
    signal({ symbol: 'BTC-ÜSD€', reason: 'ü'.repeat(20), strategy: 'x'.repeat(31), id: 'y'.repeat(32) }),
    signal({ reason: 'r'.repeat(300), side: 'flat' }),
    signal({ reason: '€'.repeat(30_000) }),
    signal({ indicators: manyIndicators }),
    signal({ indicators: { 'µ-price': 1.25, ключ: 2 } }),
  ];
  for (const s of cases) {
    const mine = body(encodeSignalFrame(s));
    const { tsExchNs, tsRecvNs, tsSignalNs } = s.latency; // the remainders are not sent
    const ref = body(encodeFrame({ type: 'signal', ...s, latency: { tsExchNs, tsRecvNs, tsSignalNs } }));
    assert.equal(mine, ref, JSON.stringify(s).slice(0, 120));
    assert.equal(Object.keys(mine), Object.keys(ref), 'key order');
    assert.equal(Object.keys(mine.indicators as object), Object.keys(ref.indicators as object), 'indicator order');
  }
});

test('signal ids are <instance>-<seq> in plain decimal digits, for every seq the sequence can reach', () => {
  const seqs = [0, 1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 1e15, 1e15 + 1, 2 ** 53 - 1];
  for (let i = 0; i < 1000; i++) seqs.push(Math.floor(Math.random() * 2 ** 53));
  for (const seq of seqs) assert.is(signalId('christmas-a', seq), `christmas-a-${BigInt(seq)}`, `seq ${seq}`);
});

test('frames are views of a shared slab: encoding later frames (past several slab refills) never changes earlier ones', () => {
  const kept: Array<[number, Buffer, Buffer]> = [];
  for (let seq = 1; seq <= 2000; seq++) {
    const f = encodeSignalFrame(signal({ seq, reason: 'r'.repeat(seq % 200) }));
    if (seq % 97 === 1) kept.push([seq, f, Buffer.from(f)]);
  }
  const huge = encodeSignalFrame(signal({ seq: 5000, reason: 'x'.repeat(40_000) }));
  assert.is(body(huge).reason, 'x'.repeat(40_000), 'a frame larger than a quarter slab');
  for (const [seq, view, copy] of kept) {
    assert.ok(view.equals(copy), `frame ${seq} unchanged`);
    assert.is(body(view).seq, seq);
  }
  assert.is(encodeJsonLine({ type: 'signal', seq: 1 }).toString(), '{"type":"signal","seq":1}\n');
});

test('frames from it stream through the protocol decoder', () => {
  const frames = [signal({ seq: 1 }), signal({ seq: 2, reason: 'ü' })].map(encodeSignalFrame);
  const r = new FrameDecoder().push(Buffer.concat(frames));
  assert.ok(r.ok);
  if (r.ok)
    assert.equal(
      r.messages.map((m) => m.seq),
      [1, 2],
    );
});

test.run();
