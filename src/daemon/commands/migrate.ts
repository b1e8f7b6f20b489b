// `christmas migrate`: create or upgrade the schema (idempotent); --print shows the SQL for the server found.
import pg from 'pg';
import { loadConfig } from '../../config/load.js';
import { migrate, detectFlavor, renderSql, currentVersion } from '../../persist/migrate.js';
import { SCHEMA_VERSION } from '../../persist/schema.js';
import { configOptions, parseSets, type Command } from '../command.js';
import { UsageError, UnavailableError } from '../../model/errors.js';
import { redactUrl } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or upgrade the database schema (TimescaleDB hypertables, or plain PostgreSQL partitions)',
  usage: 'migrate [--print] [--database URL] [--flavor timescaledb|postgres]',
  options: {
    ...configOptions,
    print: { type: 'boolean', description: 'print the SQL for the detected server instead of running it' },
    database: {
      type: 'string',
      value: 'URL',
      description: 'PostgreSQL URL (default: database.url / CHRISTMAS_DATABASE_URL)',
    },
    flavor: {
      type: 'string',
      value: 'F',
      description: 'with --print and no server: render for timescaledb or postgres',
    },
  },
  async run(v) {
    const cfg = loadConfig({
      configPath: v.config as string | undefined,
      overrides: parseSets(v.set as string[] | undefined),
    });
    const url = (v.database as string | undefined) ?? cfg.database.url;
    const flavorArg = v.flavor as string | undefined;
    if (flavorArg && flavorArg !== 'timescaledb' && flavorArg !== 'postgres')
      throw new UsageError(`--flavor: got "${flavorArg}", expected timescaledb or postgres`);
    if (v.print && flavorArg) {
      process.stdout.write(renderSql(flavorArg as 'timescaledb' | 'postgres', cfg.database) + '\n');
      return 0;
    }
    if (!url) throw new UsageError('no database configured (database.url / CHRISTMAS_DATABASE_URL is empty)');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      throw new UnavailableError(`database ${redactUrl(url)}: ${(err as Error).message}`);
    }
    try {
      if (v.print) {
        process.stdout.write(renderSql(await detectFlavor(client), cfg.database) + '\n');
        return 0;
      }
      const r = await migrate(client, cfg.database);
      process.stdout.write(
        JSON.stringify({ ...r, version: await currentVersion(client), known: SCHEMA_VERSION }) + '\n',
      );
      return 0;
    } finally {
      await client.end();
    }
  },
};
