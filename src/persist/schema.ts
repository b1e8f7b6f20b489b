// The schema as versioned migrations, rendered for the server found: TimescaleDB (hypertables,
// compression, retention, continuous aggregate bars_1m) or plain PostgreSQL (daily range partitions made
// ahead by the daemon, BRIN on ts, B-tree on (symbol, ts), bars_1m as a view). Same tables and columns.

export type Flavor = 'timescaledb' | 'postgres';

export interface SchemaOptions {
  chunkInterval: string;
  compressAfter: string;
  retention: string;
}

export interface Migration {
  version: number;
  description: string;
  sql: (f: Flavor, o: SchemaOptions) => string[];
}

const tables: Record<string, TableDef> = {
  ticks: {
    columns: `ts timestamptz not null, venue text not null, symbol text not null, trade_id bigint not null,
      price double precision not null, size double precision not null, side smallint not null,
      ts_exch_ns bigint not null, ts_recv_ns bigint not null`,
    unique: '(venue, symbol, trade_id, ts)',
    extraIndexes: ['(symbol, ts desc)'],
  },
  quotes: {
    columns: `ts timestamptz not null, venue text not null, symbol text not null, update_id bigint not null,
      bid double precision not null, bid_size double precision not null, ask double precision not null, ask_size double precision not null,
      ts_exch_ns bigint not null, ts_recv_ns bigint not null`,
    unique: '(venue, symbol, update_id, ts, ts_recv_ns)',
    extraIndexes: ['(symbol, ts desc)'],
  },
  signals: {
    columns: `ts timestamptz not null, instance text not null, seq bigint not null, id text not null, venue text not null, symbol text not null,
      side text not null, strategy text not null, price double precision not null, strength double precision not null, ttl_ms integer not null,
      reason text not null, indicators jsonb not null, ts_exch_ns bigint not null, ts_recv_ns bigint not null, ts_signal_ns bigint not null`,
    unique: '(instance, seq, ts)',
    extraIndexes: ['(symbol, ts desc)', '(strategy, ts desc)'],
  },
  bars_1s: {
    columns: `ts timestamptz not null, venue text not null, symbol text not null, open double precision not null, high double precision not null,
      low double precision not null, close double precision not null, volume double precision not null, vwap double precision not null, trades integer not null`,
    unique: '(venue, symbol, ts)',
    extraIndexes: ['(symbol, ts desc)'],
  },
};

type TableDef = { columns: string; unique: string; extraIndexes: string[] };

/** One table as a hypertable (compressed by venue and symbol) or a range-partitioned table, with its indexes. */
function createTable(name: string, t: TableDef, f: Flavor, o: SchemaOptions): string[] {
  const out: string[] = [];
  if (f === 'timescaledb') {
    out.push(`create table if not exists ${name} (${t.columns}, constraint ${name}_uniq unique ${t.unique})`);
    out.push(
      `select create_hypertable('${name}', 'ts', chunk_time_interval => interval '${o.chunkInterval}', if_not_exists => true)`,
    );
    out.push(
      `alter table ${name} set (timescaledb.compress, timescaledb.compress_segmentby = 'venue, symbol', timescaledb.compress_orderby = 'ts')`,
    );
    out.push(`select add_compression_policy('${name}', interval '${o.compressAfter}', if_not_exists => true)`);
    if (o.retention)
      out.push(`select add_retention_policy('${name}', interval '${o.retention}', if_not_exists => true)`);
  } else {
    out.push(
      `create table if not exists ${name} (${t.columns}, constraint ${name}_uniq unique ${t.unique}) partition by range (ts)`,
    );
    out.push(`create index if not exists ${name}_ts_brin on ${name} using brin (ts)`);
  }
  t.extraIndexes.forEach((cols, i) => out.push(`create index if not exists ${name}_idx${i} on ${name} ${cols}`));
  return out;
}

function createTables(f: Flavor, o: SchemaOptions): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(tables)) out.push(...createTable(name, t, f, o));
  const bars1m = `select time_bucket('1 minute', ts) as ts, venue, symbol, first(open, ts) as open, max(high) as high, min(low) as low,
      last(close, ts) as close, sum(volume) as volume, sum(vwap * volume) / nullif(sum(volume), 0) as vwap, sum(trades)::integer as trades
    from bars_1s group by 1, 2, 3`;
  if (f === 'timescaledb') {
    out.push(`create materialized view if not exists bars_1m with (timescaledb.continuous) as ${bars1m} with no data`);
    out.push(
      `select add_continuous_aggregate_policy('bars_1m', start_offset => interval '2 hours', end_offset => interval '1 minute', schedule_interval => interval '1 minute', if_not_exists => true)`,
    );
  } else {
    out.push(`create or replace view bars_1m as select date_trunc('minute', ts) as ts, venue, symbol,
      (array_agg(open order by ts))[1] as open, max(high) as high, min(low) as low, (array_agg(close order by ts desc))[1] as close,
      sum(volume) as volume, sum(vwap * volume) / nullif(sum(volume), 0) as vwap, sum(trades)::integer as trades
      from bars_1s group by 1, 2, 3`);
  }
  return out;
}

/**
 * Quotes keyed on the venue's identity (venue, symbol, update id, exchange time), no longer on the receive time,
 * so a quote the venue sends again after a restart is absorbed by the conflict-tolerant insert. Rows already
 * stored twice under the old key keep their earliest receive time.
 */
function quotesKeyedOnVenueIds(): string[] {
  return [
    `delete from quotes a using quotes b where a.venue = b.venue and a.symbol = b.symbol and a.update_id = b.update_id
      and a.ts = b.ts and a.ts_recv_ns > b.ts_recv_ns`,
    'alter table quotes drop constraint if exists quotes_uniq',
    'alter table quotes add constraint quotes_uniq unique (venue, symbol, update_id, ts)',
  ];
}

/** L2 book tops sampled every books.snapshotIntervalMs: levels as jsonb [[price, size], ...], best first. */
const bookSnapshots: TableDef = {
  columns: `ts timestamptz not null, venue text not null, symbol text not null, update_id bigint not null,
      ts_exch_ns bigint not null, ts_recv_ns bigint not null, bids jsonb not null, asks jsonb not null`,
  unique: '(venue, symbol, update_id, ts)',
  extraIndexes: ['(symbol, ts desc)'],
};

/** Opt-in raw book messages (books.deltas): each applied snapshot or delta with its levels as sent. */
const bookDeltas: TableDef = {
  columns: `ts timestamptz not null, venue text not null, symbol text not null, kind text not null, first_id bigint not null,
      last_id bigint not null, ts_exch_ns bigint not null, ts_recv_ns bigint not null, bids jsonb not null, asks jsonb not null`,
  unique: '(venue, symbol, last_id, ts, ts_recv_ns)',
  extraIndexes: ['(symbol, ts desc)'],
};

export const MIGRATIONS: Migration[] = [
  { version: 1, description: 'ticks, quotes, signals, bars_1s, bars_1m', sql: createTables },
  {
    version: 2,
    description: "quotes keyed on the venue's ids (venue, symbol, update_id, ts)",
    sql: quotesKeyedOnVenueIds,
  },
  {
    version: 3,
    description: 'book_snapshots (sampled L2 book tops)',
    sql: (f, o) => createTable('book_snapshots', bookSnapshots, f, o),
  },
  {
    version: 4,
    description: 'book_deltas (raw applied book messages, opt-in)',
    sql: (f, o) => createTable('book_deltas', bookDeltas, f, o),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Daily partitions [day, day+1) for the plain-PostgreSQL flavour. */
export function partitionSql(table: string, dayStartMs: number): string {
  const d = new Date(dayStartMs);
  const next = new Date(dayStartMs + 86_400_000);
  const tag = d.toISOString().slice(0, 10).replace(/-/g, '');
  return `create table if not exists ${table}_p${tag} partition of ${table} for values from ('${d.toISOString()}') to ('${next.toISOString()}')`;
}
