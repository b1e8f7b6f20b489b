// The store's hand-rolled encoders: members byte-identical to msgpackr's pack() of the codec map (so a
// replayed tick re-encodes to the same member and ZADD stays idempotent across versions), and a ZADD's RESP
// bytes that parse back to exactly the key, scores and members ioredis would have sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTick, decodeTick, scoreOf } from '../../src/store/codec.js';
import { MAX_MEMBER_BYTES, writeMember } from '../../src/store/member.js';
import { encodeZadd } from '../../src/store/resp.js';
import { quoteTick, tradeTick, type Tick } from '../../src/model/tick.js';
import { recordedTicks } from '../ticks.js';

function realTicks(): Tick[] {
  let recv = 1_723_161_600_000_123_456;
  return recordedTicks({
    limit: 3000,
    coinbase: true,
    recvNs: (f) => (recv += f === 'coinbase' ? 1_000 : 1_234_567),
  });
}

const edge: Tick[] = [
  tradeTick('v', 'S', 1, 2, 0.1, 0, 'unknown', -1),
  tradeTick('v', 'S', 5e6, 6e6, 127, 128, 'buy', 255),
  tradeTick('v', 'S', 5e6, 6e6, 256, 65535, 'sell', 65536),
  tradeTick('v', 'S', 5e6, 6e6, 4294967295, 4294967296, 'buy', 2 ** 53 - 1),
  tradeTick('v', 'S', 5e6, 6e6, NaN, Infinity, 'buy', -33),
  tradeTick('v', 'S', 5e6, 6e6, -0, -129, 'sell', -32769),
  quoteTick('v', 'S', 1_723_161_601_437_999_999, 1_723_161_601_438_000_000, 1e-8, 2 ** 31, 1e300, -(2 ** 31), -129),
];

test('members: byte-identical to msgpackr on real and edge ticks, and decode back', () => {
  const scratch = Buffer.alloc(MAX_MEMBER_BYTES + 8);
  const ticks = [...realTicks(), ...edge];
  assert.ok(ticks.length > 6000, `${ticks.length} ticks`);
  for (const t of ticks) {
    const end = writeMember(scratch, 3, t);
    const expected = encodeTick(t);
    assert.ok(end - 3 <= MAX_MEMBER_BYTES);
    if (!scratch.subarray(3, end).equals(expected))
      assert.unreachable(
        `member differs for ${JSON.stringify(t)}: ${scratch.subarray(3, end).toString('hex')} vs ${expected.toString('hex')}`,
      );
  }
  // A trade with a venue id keeps no receive time in the store; one without keeps both times.
  const back = decodeTick('v', 'S', Buffer.from(scratch.subarray(0, writeMember(scratch, 0, edge[3]!))));
  assert.ok(Number.isNaN(back.tsRecvNs));
  assert.equal({ ...back, tsRecvNs: edge[3]!.tsRecvNs }, edge[3]);
  assert.equal(decodeTick('v', 'S', Buffer.from(scratch.subarray(0, writeMember(scratch, 0, edge[4]!)))), edge[4]);
  // A quote with an update id takes its exchange time from the score (µs kept).
  const qt = quoteTick('v', 'S', 1_723_161_601_437_123_000, 1_723_161_601_438_000_000, 61000.5, 1, 61000.6, 2, 77);
  const qb = decodeTick('v', 'S', Buffer.from(scratch.subarray(0, writeMember(scratch, 0, qt))), scoreOf(qt));
  assert.equal({ ...qb, tsRecvNs: qt.tsRecvNs }, qt);
});

/** Parses one RESP array of bulk strings. */
function parseResp(b: Buffer): Buffer[] {
  let pos = 0;
  const line = () => {
    const e = b.indexOf('\r\n', pos);
    const s = b.subarray(pos, e).toString('latin1');
    pos = e + 2;
    return s;
  };
  const head = line();
  assert.ok(head.startsWith('*'), head);
  const n = Number(head.slice(1));
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const len = line();
    assert.ok(/^\$\d+$/.test(len), `bulk length ${JSON.stringify(len)}`);
    const l = Number(len.slice(1));
    out.push(b.subarray(pos, pos + l));
    assert.is(b.subarray(pos + l, pos + l + 2).toString('latin1'), '\r\n');
    pos += l + 2;
  }
  assert.is(pos, b.length, 'nothing after the command');
  return out;
}

test('ZADD wire bytes: key, every score and member as ioredis would send them; newest score for age trims', () => {
  const ticks = [...realTicks(), ...edge];
  const key = 'christmas:ticks:{binance:BTCUSDT}';
  for (const [from, to] of [
    [0, ticks.length],
    [5, 6],
    [100, 4196],
    [ticks.length - edge.length, ticks.length],
  ] as const) {
    const { command, newestMs } = encodeZadd(key, ticks, from, to);
    const args = parseResp(command.toWritable());
    assert.is(args.length, 2 + 2 * (to - from));
    assert.is(args[0]!.toString(), 'ZADD');
    assert.is(args[1]!.toString(), key);
    let newest = 0;
    for (let i = from; i < to; i++) {
      const t = ticks[i]!;
      const score = args[2 + 2 * (i - from)]!.toString('latin1');
      assert.ok(/^\d+\.\d{3}$/.test(score), score);
      if (Number(score) !== scoreOf(t)) assert.unreachable(`score ${score} vs ${scoreOf(t)}`);
      if (!args[3 + 2 * (i - from)]!.equals(encodeTick(t))) assert.unreachable(`member ${i}`);
      newest = Math.max(newest, scoreOf(t));
    }
    assert.is(newestMs, newest);
  }
  // Each command owns its bytes (the socket may still hold them when the next batch is encoded).
  const a = encodeZadd(key, ticks, 0, 10).command.toWritable();
  const copy = Buffer.from(a);
  encodeZadd(key, ticks, 10, 20);
  assert.ok(a.equals(copy));
});

test.run();
