// Chaos harness: runs the real daemon (spawned CLI) against serve-replay, Redis and PostgreSQL started
// here, injects faults on a schedule, and checks the invariants from the outside: every tick the feed
// accepted is in PostgreSQL exactly once (and in Redis, unless counted as dropped), the daemon never
// exits, shutdown drains. Each scenario records its figures in results/<name>.json and README.md.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { startRedis, startPostgres, freePort, until, sleep, repoRoot } from '../helpers.js';

export const LONG = process.env.CHRISTMAS_CHAOS_LONG === '1';
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.join(repoRoot, 'test', 'chaos');

export { type Proc } from '../helpers.js';
import { spawnCli, type Proc } from '../helpers.js';

export interface Stack {
  dir: string;
  redis: Awaited<ReturnType<typeof startRedis>>;
  pg: Awaited<ReturnType<typeof startPostgres>>;
  feedPort: number;
  metricsPort: number;
  socket: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Redis with an fsync-always AOF, so a kill -9 and restart keeps what it acknowledged. */
export async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-chaos-'));
  const redis = await startRedis({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
  const pgs = await startPostgres();
  const feedPort = await freePort(),
    metricsPort = await freePort();
  const socket = path.join(dir, 'signals.sock');
  const env = {
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${feedPort}/stream`,
    CHRISTMAS_REDIS_URL: redis.url,
    CHRISTMAS_DATABASE_URL: pgs.url,
    CHRISTMAS_SIGNAL_SOCKET: socket,
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool'),
    CHRISTMAS_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
    CHRISTMAS_LOG_LEVEL: 'info',
  };
  return {
    dir,
    redis,
    pg: pgs,
    feedPort,
    metricsPort,
    socket,
    env,
    async stop() {
      await redis.stop();
      await pgs.stop();
    },
  };
}

/** database.batchRows of every chaos daemon: the most one unflushed batch can hold. */
export const CHAOS_BATCH_ROWS = 2000;

export const chaosConfig = (dir: string, extra: Record<string, unknown> = {}): string => {
  const f = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    f,
    JSON.stringify({
      instance: 'chaos',
      feeds: [
        {
          venue: 'binance',
          url: 'ws://x',
          symbols: ['BTCUSDT'],
          channels: ['trade', 'bookTicker'],
          staleAfterMs: 3000,
          maxConnectionAgeMs: 0,
        },
      ],
      reconnect: { initialDelayMs: 20, maxDelayMs: 500 },
      redis: { maxTicksPerSymbol: 0, maxBacklogTicks: 5_000_000 },
      database: { batchRows: CHAOS_BATCH_ROWS, batchAgeMs: 50, statementTimeoutMs: 5000 },
      shutdown: { deadlineMs: 15_000 },
      ...extra,
    }),
  );
  return f;
};

export function startFeed(stack: Stack, file: string, args: string[]): Proc {
  return spawnCli(['serve-replay', file, '--port', String(stack.feedPort), '--rewind', '5000', ...args]);
}

export function startDaemon(stack: Stack, config: string, args: string[] = []): Proc {
  return spawnCli(['run', '--config', config, ...args], stack.env);
}

export async function ready(p: Proc, marker: string, ms = 20_000): Promise<void> {
  await until(() => p.out().includes(marker), ms, marker);
}

export interface FinalCounts {
  ticks: number;
  signals: number;
  store?: { stored: number; dropped: number; backlog: number };
  feeds: Array<Record<string, unknown>>;
  persist?: Record<string, { rows: number; spooledRows: number; deadLetters: number; droppedRows?: number }>;
  storeLeft: number;
  persistLeft: number;
}

export function finalCounts(p: Proc): FinalCounts {
  const line = p
    .out()
    .split('\n')
    .reverse()
    .find((l) => l.includes('"msg":"final counts"'));
  if (!line) throw new Error(`the daemon logged no final counts:\n${p.out().slice(-3000)}`);
  return JSON.parse(line) as FinalCounts;
}

export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM', ms = 30_000): Promise<number | null> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  p.child.kill(signal);
  const t = setTimeout(() => p.child.kill('SIGKILL'), ms);
  const code = await p.exited;
  clearTimeout(t);
  return code;
}

export async function pgCounts(
  url: string,
): Promise<{ trades: number; quotes: number; dupTrades: number; dupQuotes: number; signals: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`select (select count(*) from ticks)::int trades, (select count(*) from quotes)::int quotes,
      (select count(*) from (select 1 from ticks group by venue, symbol, trade_id having count(*) > 1) d)::int dup_trades,
      (select count(*) from (select 1 from quotes group by venue, symbol, update_id having count(*) > 1) d)::int dup_quotes,
      (select count(*) from signals)::int signals`);
    const x = r.rows[0];
    return { trades: x.trades, quotes: x.quotes, dupTrades: x.dup_trades, dupQuotes: x.dup_quotes, signals: x.signals };
  } finally {
    await c.end();
  }
}

export async function redisCount(url: string, key = 'christmas:{binance:BTCUSDT}:ticks'): Promise<number> {
  const r = new Redis(url);
  try {
    return await r.zcard(key);
  } finally {
    r.disconnect();
  }
}

export async function metrics(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const l of text.split('\n')) {
    if (!l || l.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})?\s+(\S+)/.exec(l);
    if (m) out[m[1]! + (m[2] ?? '')] = Number(m[3]);
  }
  return out;
}

export interface ScenarioResult {
  scenario: string;
  when: string;
  durationS: number;
  passed: boolean;
  ticksSent?: number;
  ticksAccepted: number;
  persisted: number;
  duplicated: number;
  lost: number;
  inRedis?: number;
  redisDropped?: number;
  signalsEmitted?: number;
  signalsDelivered?: string;
  notes: string;
  /** Time series a scenario recorded (the soak's per-minute samples). */
  samples?: unknown[];
}

/**
 * Writes <scenario>.json. A test run writes to .results/chaos/ (ignored by git), so `make test` leaves a checkout
 * clean; CHRISTMAS_CHAOS_RECORD=1 records into test/chaos/results/ and refreshes the table in test/chaos/README.md.
 */
export function report(r: ScenarioResult): void {
  const record = process.env.CHRISTMAS_CHAOS_RECORD === '1';
  const dirs = record
    ? [path.join(here, 'results'), path.join(sourceDir, 'results')]
    : [path.join(repoRoot, '.results', 'chaos')];
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${r.scenario}.json`), JSON.stringify(r, null, 1) + '\n');
    } catch {
      /* read-only checkout */
    }
  }
  if (!record) return;
  const resultsDir = path.join(sourceDir, 'results');
  if (!existsSync(resultsDir)) return;
  const all = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8')) as ScenarioResult);
  const rows = all
    .sort((a, b) => a.scenario.localeCompare(b.scenario))
    .map(
      (x) =>
        `| ${x.scenario} | ${x.passed ? 'pass' : '**FAIL**'} | ${x.ticksSent ?? '—'} | ${x.ticksAccepted} | ${Number.isFinite(x.persisted) ? x.persisted : '—'} | ${x.duplicated} | ${x.lost} | ${x.inRedis ?? '—'}${x.redisDropped ? ` (${x.redisDropped} dropped, counted)` : ''} | ${x.signalsEmitted ?? '—'} | ${x.signalsDelivered ?? '—'} | ${x.when.slice(0, 16)} | ${x.notes} |`,
    );
  const readme = path.join(sourceDir, 'README.md');
  if (!existsSync(readme)) return;
  const table = [
    '| scenario | result | ticks sent | accepted | persisted | duplicated | lost | in Redis | signals emitted | signals delivered | run | notes |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  writeFileSync(
    readme,
    readFileSync(readme, 'utf8').replace(
      /<!-- chaos:start -->[\s\S]*<!-- chaos:end -->/,
      `<!-- chaos:start -->\n${table}\n<!-- chaos:end -->`,
    ),
  );
}

/** Stack + replay server + daemon, all up. */
export async function startScenario(
  feedFile: string,
  feedArgs: string[],
  configExtra: Record<string, unknown> = {},
): Promise<{ stack: Stack; feed: Proc; daemon: Proc }> {
  const stack = await startStack();
  const feed = startFeed(stack, feedFile, feedArgs);
  await ready(feed, 'listening');
  const daemon = startDaemon(stack, chaosConfig(stack.dir, configExtra));
  await ready(daemon, 'christmas running');
  return { stack, feed, daemon };
}

/** Stops the feed, checks the daemon is still up, drains it (exit 0) and reads the final counts and the database. */
export async function finishScenario(s: {
  stack: Stack;
  feed: Proc;
  daemon: Proc;
}): Promise<{ fc: FinalCounts; db: Awaited<ReturnType<typeof pgCounts>>; persisted: number }> {
  await stopProc(s.feed);
  await sleep(1000);
  if (s.daemon.child.exitCode !== null)
    throw new Error(
      `the daemon exited (${s.daemon.child.exitCode}) during the scenario:\n${s.daemon.out().slice(-3000)}`,
    );
  const code = await stopProc(s.daemon);
  if (code !== 0) throw new Error(`the daemon's drain exited ${code}:\n${s.daemon.out().slice(-3000)}`);
  const fc = finalCounts(s.daemon);
  const db = await pgCounts(s.stack.pg.url);
  return { fc, db, persisted: db.trades + db.quotes };
}

export async function cleanup(s: { stack: Stack; feed: Proc; daemon: Proc }): Promise<void> {
  await stopProc(s.feed);
  await stopProc(s.daemon);
  await s.stack.stop();
}

export { until, sleep };
