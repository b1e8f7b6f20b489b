// Row shapes per table and their encodings: COPY text lines (the fast path) and column arrays for
// `insert ... select * from unnest(...) on conflict do nothing` (recovery and spool replay).
// Precision: prices and sizes are stored as double precision, the same float64 the engine computes with;
// the venue's decimal string is not kept (a float64 round-trips any venue price of <= 15 significant digits).
import { sideCode, type Tick } from '../model/tick.js';
import type { Bar } from '../model/bar.js';
import type { Signal } from '../model/signal.js';
import type { BookDelta, BookTop } from '../model/book-top.js';
import { exactNsText } from '../model/epoch-ns.js';
import { columnsOf } from '../model/events.js';

export type TableName = 'ticks' | 'quotes' | 'signals' | 'bars_1s' | 'book_snapshots' | 'book_deltas';
export type Row = Array<string | number>;

/** Columns per table: ticks and quotes from their event schemas (model/events.ts). */
export const COLUMNS: Record<TableName, string[]> = {
  ticks: columnsOf('ticks').columns,
  quotes: columnsOf('quotes').columns,
  signals: [
    'ts',
    'instance',
    'seq',
    'id',
    'venue',
    'symbol',
    'side',
    'strategy',
    'price',
    'strength',
    'ttl_ms',
    'reason',
    'indicators',
    'ts_exch_ns',
    'ts_recv_ns',
    'ts_signal_ns',
  ],
  bars_1s: ['ts', 'venue', 'symbol', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'],
  book_snapshots: ['ts', 'venue', 'symbol', 'update_id', 'ts_exch_ns', 'ts_recv_ns', 'bids', 'asks'],
  book_deltas: ['ts', 'venue', 'symbol', 'kind', 'first_id', 'last_id', 'ts_exch_ns', 'ts_recv_ns', 'bids', 'asks'],
};

const PG_TYPES: Record<TableName, string[]> = {
  ticks: columnsOf('ticks').types,
  quotes: columnsOf('quotes').types,
  signals: [
    'timestamptz',
    'text',
    'int8',
    'text',
    'text',
    'text',
    'text',
    'text',
    'float8',
    'float8',
    'int4',
    'text',
    'jsonb',
    'int8',
    'int8',
    'int8',
  ],
  bars_1s: ['timestamptz', 'text', 'text', 'float8', 'float8', 'float8', 'float8', 'float8', 'float8', 'int4'],
  book_snapshots: ['timestamptz', 'text', 'text', 'int8', 'int8', 'int8', 'jsonb', 'jsonb'],
  book_deltas: ['timestamptz', 'text', 'text', 'text', 'int8', 'int8', 'int8', 'int8', 'jsonb', 'jsonb'],
};

// Timestamps: "YYYY-MM-DD HH:MM:SS.uuuuuu+00" with the seconds prefix cached (ticks come in time order).
let cachedSec = -1;
let cachedPrefix = '';
function isoMicros(epochUs: number): string {
  const sec = Math.floor(epochUs / 1e6);
  if (sec !== cachedSec) {
    cachedSec = sec;
    cachedPrefix = new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }
  const us = Math.round(epochUs - sec * 1e6);
  return `${cachedPrefix}.${String(us).padStart(6, '0')}+00`;
}

/**
 * Epoch ns as an exact integer string at µs precision: float64 epoch ns beyond 2^53 carry no more than
 * that, and an integer below 2^53 formats several times faster than a 19-digit double.
 */
const nsText = (ns: number): string => `${Math.round(ns / 1e3)}000`;
/** A process-clock time to the ns (its remainder known) or, without one, as nsText. */
const exactText = (ns: number, remNs: number): string => (remNs === remNs ? exactNsText(ns, remNs) : nsText(ns));

export function tickRow(t: Tick): Row {
  const ts = isoMicros(Math.round(t.tsExchNs / 1e3));
  return t.kind === 'trade'
    ? [
        ts,
        t.venue,
        t.symbol,
        t.id,
        t.price,
        t.size,
        sideCode(t.side),
        nsText(t.tsExchNs),
        exactText(t.tsRecvNs, t.tsRecvRemNs),
      ]
    : [
        ts,
        t.venue,
        t.symbol,
        t.id,
        t.bid,
        t.bidSize,
        t.ask,
        t.askSize,
        nsText(t.tsExchNs),
        exactText(t.tsRecvNs, t.tsRecvRemNs),
      ];
}

export function barRow(b: Bar): Row {
  return [isoMicros(b.tsOpenMs * 1000), b.venue, b.symbol, b.open, b.high, b.low, b.close, b.volume, b.vwap, b.trades];
}

/** A sampled book top: ts is its exchange time; levels as JSON [[price, size], ...] best first. */
export function bookRow(b: BookTop): Row {
  return [
    isoMicros(Math.round(b.tsExchNs / 1e3)),
    b.venue,
    b.symbol,
    b.updateId,
    nsText(b.tsExchNs),
    nsText(b.tsRecvNs),
    JSON.stringify(b.bids),
    JSON.stringify(b.asks),
  ];
}

/** A raw applied book message: ts is its exchange time; its levels as sent (size 0 deletes). */
export function bookDeltaRow(d: BookDelta): Row {
  return [
    isoMicros(Math.round(d.tsExchNs / 1e3)),
    d.venue,
    d.symbol,
    d.kind,
    d.firstId,
    d.lastId,
    nsText(d.tsExchNs),
    nsText(d.tsRecvNs),
    JSON.stringify(d.bids),
    JSON.stringify(d.asks),
  ];
}

export function signalRow(s: Signal, instance: string): Row {
  return [
    isoMicros(Math.round(s.tsNs / 1e3)),
    instance,
    s.seq,
    s.id,
    s.venue,
    s.symbol,
    s.side,
    s.strategy,
    s.price,
    s.strength,
    s.ttlMs,
    s.reason,
    JSON.stringify(s.indicators),
    nsText(s.latency.tsExchNs),
    exactText(s.latency.tsRecvNs, s.latency.tsRecvRemNs),
    exactText(s.latency.tsSignalNs, s.latency.tsSignalRemNs),
  ];
}

function copyEscape(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v !== v ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || c === 92)
      return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  }
  return v;
}

export function copyText(rows: Row[]): string {
  // One string per row, joined once: appending to one growing string costs ~3 µs per row (cons-string flattening).
  const lines: string[] = new Array(rows.length + 1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let line = row[0] as string; // the timestamp this module formatted: nothing to escape
    for (let i = 1; i < row.length; i++) line += '\t' + copyEscape(row[i]!);
    lines[r] = line;
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

/** `insert into t (cols) select * from unnest($1::type[], ...) on conflict do nothing` with column arrays. */
export function unnestInsert(table: TableName, rows: Row[], onConflict: boolean): { text: string; values: unknown[] } {
  const cols = COLUMNS[table],
    types = PG_TYPES[table];
  const arrays = cols.map((_, i) => rows.map((r) => r[i]));
  const params = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  return {
    text: `insert into ${table} (${cols.join(', ')}) select * from unnest(${params})${onConflict ? ' on conflict do nothing' : ''}`,
    values: arrays,
  };
}
