// One declared schema per market-data event kind: its fields in order, and for each field its SQL column and
// type, its name in the JSON lines (`--print ticks`), its key in the Redis member, and its slot in the shared
// tick ring. The encoders derive what they can from here (SQL column lists and types, ring slot offsets, the
// msgpack member codec, the binary COPY field count); the hand-specialised hot-path writers (writeMember,
// tickRow, encodeTicksBinary, tickToJson) are checked against it by test/model/events.test.ts, and the tables
// the migrations create by test/persist/persist.test.ts. A new kind is one entry here plus its own logic.
import type { Tick } from './tick.js';
import { RingError } from './errors.js';

/** PostgreSQL types as the unnest inserts cast them. */
export type SqlType = 'timestamptz' | 'text' | 'int8' | 'float8' | 'int2';

/** How a field's value is formatted on the way out. */
type Format =
  | 'exch-time' // ts: the exchange time as a timestamptz at µs
  | 'text'
  | 'id' // int8, -1 when the venue gives none
  | 'number' // float64
  | 'side' // 1 buy, -1 sell, 0 unknown
  | 'ns'; // epoch ns as an integer at µs precision

export interface EventField {
  /** The Tick property the value comes from. */
  prop: keyof Tick;
  column: string;
  sql: SqlType;
  format: Format;
  /** Name in the JSON lines; absent: not printed. */
  json?: string;
  /** Key in the Redis member; absent: not stored (venue and symbol are in the key). */
  member?: string;
  /**
   * In the member only when the tick has no venue id (`te`/`tr`: times make such a tick unique), or, for `te` of
   * a quote with an id, left out since the score carries it.
   */
  memberWhen?: 'no-id' | 'trade-or-no-id';
}

export interface EventSchema {
  kind: Tick['kind'];
  /** The ring's kind code. */
  code: number;
  table: 'ticks' | 'quotes';
  /** The member's `k`. */
  memberKind: 't' | 'q';
  /** The unique key of its table (the venue's identity of the event). */
  unique: readonly string[];
  fields: readonly EventField[];
}

const ts: EventField = { prop: 'tsExchNs', column: 'ts', sql: 'timestamptz', format: 'exch-time' };
const venue: EventField = { prop: 'venue', column: 'venue', sql: 'text', format: 'text', json: 'venue' };
const symbol: EventField = { prop: 'symbol', column: 'symbol', sql: 'text', format: 'text', json: 'symbol' };
const times = (teWhen: EventField['memberWhen']): EventField[] => [
  {
    prop: 'tsExchNs',
    column: 'ts_exch_ns',
    sql: 'int8',
    format: 'ns',
    json: 'tsExchNs',
    member: 'te',
    memberWhen: teWhen,
  },
  {
    prop: 'tsRecvNs',
    column: 'ts_recv_ns',
    sql: 'int8',
    format: 'ns',
    json: 'tsRecvNs',
    member: 'tr',
    memberWhen: 'no-id',
  },
];
const num = (prop: keyof Tick, column: string, json: string, member: string): EventField => ({
  prop,
  column,
  sql: 'float8',
  format: 'number',
  json,
  member,
});

export const EVENT_SCHEMAS: Readonly<Record<Tick['kind'], EventSchema>> = {
  trade: {
    kind: 'trade',
    code: 0,
    table: 'ticks',
    memberKind: 't',
    unique: ['venue', 'symbol', 'trade_id', 'ts'],
    fields: [
      ts,
      venue,
      symbol,
      { prop: 'id', column: 'trade_id', sql: 'int8', format: 'id', json: 'tradeId', member: 'id' },
      num('price', 'price', 'price', 'p'),
      num('size', 'size', 'size', 'q'),
      { prop: 'side', column: 'side', sql: 'int2', format: 'side', json: 'side', member: 's' },
      ...times('trade-or-no-id'),
    ],
  },
  quote: {
    kind: 'quote',
    code: 1,
    table: 'quotes',
    memberKind: 'q',
    unique: ['venue', 'symbol', 'update_id', 'ts'],
    fields: [
      ts,
      venue,
      symbol,
      { prop: 'id', column: 'update_id', sql: 'int8', format: 'id', json: 'updateId', member: 'id' },
      num('bid', 'bid', 'bid', 'b'),
      num('bidSize', 'bid_size', 'bidSize', 'bq'),
      num('ask', 'ask', 'ask', 'a'),
      num('askSize', 'ask_size', 'askSize', 'aq'),
      ...times('trade-or-no-id'),
    ],
  },
};

export const EVENT_KINDS = Object.values(EVENT_SCHEMAS);

/** The table's columns and their SQL types, in order. */
export function columnsOf(table: EventSchema['table']): { columns: string[]; types: SqlType[] } {
  const s = EVENT_KINDS.find((k) => k.table === table)!;
  return { columns: s.fields.map((f) => f.column), types: s.fields.map((f) => f.sql) };
}

/**
 * The member's fields for a tick of this kind, in the member's order: `k` first, then the time fields the
 * identity rule keeps, the id, then the values (as the hot-path writer lays them out).
 */
function memberFieldsOf(s: EventSchema, withId: boolean): EventField[] {
  const keep = (f: EventField) =>
    f.member !== undefined &&
    (f.memberWhen === undefined || !withId || (f.memberWhen === 'trade-or-no-id' && s.kind === 'trade'));
  const timesFirst = s.fields.filter((f) => keep(f) && f.memberWhen !== undefined);
  return [...timesFirst, ...s.fields.filter((f) => keep(f) && f.memberWhen === undefined)];
}

/** memberFields per kind, with and without a venue id (computed once). */
const MEMBER_LAYOUT = Object.fromEntries(
  EVENT_KINDS.map((s) => [s.kind, [memberFieldsOf(s, false), memberFieldsOf(s, true)]]),
) as Record<Tick['kind'], [EventField[], EventField[]]>;

export const memberFields = (kind: Tick['kind'], withId: boolean): readonly EventField[] =>
  MEMBER_LAYOUT[kind][withId ? 1 : 0];

/**
 * The shared ring's slot: float64s in this order, the union of every kind's fields plus the kind code, the
 * symbol's index and the frame's start time. Offsets are derived once; the ring's writer and reader use them.
 */
const RING_PROPS = [
  'kind',
  'tsExchNs',
  'tsRecvNs',
  'tsRecvRemNs',
  'price',
  'size',
  'side',
  'id',
  'bid',
  'bidSize',
  'ask',
  'askSize',
  'symbolIdx',
  'frameStartNs',
] as const;
type RingProp = (typeof RING_PROPS)[number];
export const RING_OFFSET = Object.freeze(
  Object.fromEntries(RING_PROPS.map((p, i) => [p, i])) as Record<RingProp, number>,
);
export const RING_SLOT_FLOATS = RING_PROPS.length;

/** Every Tick property some kind carries is in the ring (checked at load: a new field needs a slot). */
for (const s of EVENT_KINDS)
  for (const f of s.fields)
    if (!(RING_PROPS as readonly string[]).includes(f.prop) && f.prop !== 'venue' && f.prop !== 'symbol')
      throw new RingError(`event schema ${s.kind}.${f.prop} has no ring slot`);
