// Every encoding of a tick agrees with its kind's declared schema (model/events.ts), on real ticks: the shared
// ring, the Redis member (the msgpack codec and the hand-rolled writer), the COPY text row, the binary COPY row
// and the JSON lines. (The database tables themselves are checked against the schema in persist.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Unpackr } from 'msgpackr';
import { EVENT_KINDS, EVENT_SCHEMAS, RING_SLOT_FLOATS, memberFields, type EventField } from '../../src/model/events.js';
import { createRing, readSlot, writeSlot } from '../../src/model/tick-ring.js';
import { tickToJson, type Tick } from '../../src/model/tick.js';
import { encodeTick, decodeTick, scoreOf } from '../../src/store/codec.js';
import { MAX_MEMBER_BYTES, writeMember } from '../../src/store/member.js';
import { COLUMNS, tickRow } from '../../src/persist/rows.js';
import { encodeTicksBinary } from '../../src/persist/binary.js';
import { recordedTicks } from '../ticks.js';

const real = recordedTicks({ limit: 2000, coinbase: true, recvNs: (_f, n) => 1_723_161_600_000_123_000 + n * 1_001 });
const noId = [
  ...real.filter((t) => t.kind === 'trade').slice(0, 50),
  ...real.filter((t) => t.kind === 'quote').slice(0, 50),
].map((t) => ({ ...t, id: -1 }));
const ticks: Tick[] = [...real, ...noId];
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

test('the recording has both kinds, with and without venue ids', () => {
  for (const kind of ['trade', 'quote'] as const) {
    assert.ok(
      ticks.some((t) => t.kind === kind && t.id >= 0),
      `${kind} with id`,
    );
    assert.ok(
      ticks.some((t) => t.kind === kind && t.id < 0),
      `${kind} without id`,
    );
  }
});

const sideCode = (t: Tick) => (t.side === 'buy' ? 1 : t.side === 'sell' ? -1 : 0);
const value = (t: Tick, f: EventField): unknown => (f.format === 'side' ? sideCode(t) : t[f.prop]);

test('shared ring: every field of every kind round-trips through a slot', () => {
  const ring = createRing(64);
  assert.is(ring.slots.byteLength, 64 * RING_SLOT_FLOATS * 8);
  const slots = new Float64Array(ring.slots);
  const names = [{ venue: 'binance', symbol: 'X' }];
  ticks.forEach((t, i) => {
    writeSlot(slots, i, 64, t, 0, 42);
    const back = readSlot(slots, i, 64, names)!;
    assert.is(back.frameStartNs, 42);
    assert.is(back.tick.kind, t.kind);
    for (const f of EVENT_SCHEMAS[t.kind].fields)
      if (f.prop !== 'venue' && f.prop !== 'symbol' && !Object.is(back.tick[f.prop], t[f.prop]))
        assert.unreachable(`${t.kind}.${f.prop}: ${String(back.tick[f.prop])} vs ${String(t[f.prop])}`);
  });
});

test('Redis member: the codec and the hand-rolled writer lay out exactly the schema member fields', () => {
  const buf = new Uint8Array(MAX_MEMBER_BYTES);
  for (const t of ticks) {
    const want = ['k', ...memberFields(t.kind, t.id >= 0).map((f) => f.member!)];
    const packed = encodeTick(t);
    const m = unpackr.unpack(packed) as Record<string, unknown>;
    assert.equal(Object.keys(m), want, `${t.kind} keys`);
    assert.is(m.k, EVENT_SCHEMAS[t.kind].memberKind);
    for (const f of memberFields(t.kind, t.id >= 0)) assert.is(m[f.member!], value(t, f), `${t.kind}.${f.prop}`);
    const n = writeMember(buf, 0, t);
    assert.ok(Buffer.from(buf.subarray(0, n)).equals(packed), 'writer bytes = codec bytes');
    const back = decodeTick(t.venue, t.symbol, packed, scoreOf(t));
    for (const f of memberFields(t.kind, t.id >= 0)) assert.ok(Object.is(back[f.prop], t[f.prop]), f.prop);
  }
});

test('COPY text row: one value per schema column, in order, formatted by the field', () => {
  for (const kind of EVENT_KINDS)
    assert.equal(
      COLUMNS[kind.table],
      kind.fields.map((f) => f.column),
    );
  for (const t of ticks) {
    const row = tickRow(t),
      fields = EVENT_SCHEMAS[t.kind].fields;
    assert.is(row.length, fields.length);
    fields.forEach((f, i) => {
      const v = row[i];
      switch (f.format) {
        case 'exch-time':
          assert.is(v, isoMicros(Math.round(t.tsExchNs / 1e3)), f.column);
          break;
        case 'ns':
          assert.is(String(v), `${Math.round((t[f.prop] as number) / 1e3)}000`, f.column);
          break;
        default:
          assert.is(v, value(t, f), f.column);
      }
    });
  }
});

/** "YYYY-MM-DD HH:MM:SS.uuuuuu+00" of epoch µs. */
function isoMicros(us: number): string {
  const sec = Math.floor(us / 1e6);
  const prefix = new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `${prefix}.${String(us - sec * 1e6).padStart(6, '0')}+00`;
}

/** Reads one binary COPY payload back into rows of JS values by the schema's SQL types. */
function readBinary(buf: Buffer, fields: readonly EventField[]): unknown[][] {
  let off = 19;
  const rows: unknown[][] = [];
  for (;;) {
    const n = buf.readInt16BE(off);
    off += 2;
    if (n === -1) break;
    assert.is(n, fields.length, 'field count = schema fields');
    const row: unknown[] = [];
    for (const f of fields) {
      const len = buf.readInt32BE(off);
      off += 4;
      const b = buf.subarray(off, off + len);
      off += len;
      if (f.sql === 'text') row.push(b.toString('utf8'));
      else if (f.sql === 'float8') row.push(b.readDoubleBE(0));
      else if (f.sql === 'int2') row.push(b.readInt16BE(0));
      else if (f.sql === 'timestamptz') row.push(Number(b.readBigInt64BE(0)) + 946_684_800_000_000);
      else row.push(b.readBigInt64BE(0));
    }
    rows.push(row);
  }
  return rows;
}

test('binary COPY row: the schema fields, in order, typed by the schema', () => {
  for (const kind of ['trade', 'quote'] as const) {
    const of = ticks.filter((t) => t.kind === kind);
    const rows = readBinary(encodeTicksBinary(of, kind), EVENT_SCHEMAS[kind].fields);
    assert.is(rows.length, of.length);
    rows.forEach((row, r) => {
      const t = of[r]!;
      EVENT_SCHEMAS[kind].fields.forEach((f, i) => {
        const v = row[i];
        if (f.format === 'exch-time') assert.is(v, Math.round(t.tsExchNs / 1e3));
        else if (f.format === 'ns') assert.is(v, BigInt(Math.round((t[f.prop] as number) / 1e3)) * 1000n);
        else if (f.format === 'id') assert.is(v, BigInt(t.id));
        else assert.is(v, value(t, f), f.column);
      });
    });
  }
});

test('JSON lines: the schema json names, with the tick values', () => {
  for (const t of ticks) {
    const j = tickToJson(t);
    const fields = EVENT_SCHEMAS[t.kind].fields.filter((f) => f.json);
    assert.equal(
      Object.keys(j)
        .filter((k) => k !== 'kind')
        .sort(),
      fields.map((f) => f.json!).sort(),
    );
    for (const f of fields) assert.is(j[f.json!], t[f.prop]);
    assert.is(j.kind, t.kind);
  }
});

test.run();
