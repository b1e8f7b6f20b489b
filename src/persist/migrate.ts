// Applies the versioned migrations in one transaction each, recorded in christmas_schema_migrations.
// Running it twice is a no-op; a database whose schema is newer than this build stops the start.
import type pg from 'pg';
import { MIGRATIONS, SCHEMA_VERSION, type Flavor, type SchemaOptions } from './schema.js';
import { SchemaVersionError } from '../model/errors.js';

export async function detectFlavor(client: pg.ClientBase): Promise<Flavor> {
  const r = await client.query(`select 1 from pg_available_extensions where name = 'timescaledb'`);
  return r.rowCount ? 'timescaledb' : 'postgres';
}

export async function currentVersion(client: pg.ClientBase): Promise<number> {
  await client.query(`create table if not exists christmas_schema_migrations (version integer primary key, description text not null,
    flavor text not null, applied_at timestamptz not null default now())`);
  const r = await client.query<{ v: number | null }>('select max(version) as v from christmas_schema_migrations');
  return r.rows[0]?.v ?? 0;
}

/** The SQL the migrations would run on this server (for `christmas migrate --print`). */
export function renderSql(flavor: Flavor, o: SchemaOptions): string {
  const lines = flavor === 'timescaledb' ? ['create extension if not exists timescaledb;'] : [];
  for (const m of MIGRATIONS) {
    lines.push(`-- migration ${m.version}: ${m.description} (${flavor})`);
    for (const s of m.sql(flavor, o)) lines.push(s.replace(/\s+/g, ' ') + ';');
  }
  return lines.join('\n');
}

export interface MigrateResult {
  flavor: Flavor;
  from: number;
  to: number;
  applied: number[];
}

export async function migrate(
  client: pg.ClientBase,
  o: SchemaOptions,
  flavorOverride?: Flavor,
): Promise<MigrateResult> {
  let flavor = flavorOverride ?? (await detectFlavor(client));
  if (flavor === 'timescaledb') {
    try {
      await client.query('create extension if not exists timescaledb');
    } catch {
      flavor = 'postgres';
    }
  }
  const from = await currentVersion(client);
  if (from > SCHEMA_VERSION) throw new SchemaVersionError(from, SCHEMA_VERSION);
  if (from > 0) {
    const f = await client.query<{ flavor: Flavor }>(
      'select flavor from christmas_schema_migrations order by version limit 1',
    );
    flavor = f.rows[0]?.flavor ?? flavor;
  }
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    await client.query('begin');
    try {
      for (const s of m.sql(flavor, o)) await client.query(s);
      await client.query('insert into christmas_schema_migrations (version, description, flavor) values ($1, $2, $3)', [
        m.version,
        m.description,
        flavor,
      ]);
      await client.query('commit');
      applied.push(m.version);
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  }
  return { flavor, from, to: SCHEMA_VERSION, applied };
}
