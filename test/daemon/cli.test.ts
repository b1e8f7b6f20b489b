// The real CLI, spawned: help for every command, config errors exit 78 with one line, replay output shapes,
// indicators output keys, migrate --print, and the daemon's lifecycle (SIGTERM drain within the deadline,
// SIGHUP reload, second signal forces exit) against serve-replay, Redis and PostgreSQL started here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { cliPath, shared, startRedis, startPostgres, freePort, until, sleep } from '../helpers.js';
import { spawnCli } from '../helpers.js';
import { ticksKey } from '../../src/store/keys.js';

const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'warn', ...env },
    input,
    timeout: 120_000,
    maxBuffer: 256 << 20,
  });
const dir = mkdtempSync(path.join(tmpdir(), 'christmas-cli-'));

test('--help lists every command; every command --help describes its flags', () => {
  const r = cli(['--help']);
  assert.is(r.status, 0);
  for (const c of ['run', 'replay', 'serve-replay', 'tail', 'ticks', 'indicators', 'migrate', 'bench', 'top']) {
    assert.ok(r.stdout.includes(`  ${c} `), `main help lists ${c}`);
    const h = cli([c, '--help']);
    assert.is(h.status, 0, `${c} --help`);
    assert.ok(h.stdout.includes(`usage: christmas ${c}`));
  }
  assert.is(cli(['frobnicate']).status, 64);
  assert.is(cli(['replay', '--bogus']).status, 64);
});

test('bad configuration stops the start with one line naming the key and exit 78', () => {
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ compute: { workers: 0 } }));
  for (const [args, env, key] of [
    [['run', '--config', bad], {}, 'compute.workers'],
    [['run'], { CHRISTMAS_CONFIG: path.join(dir, 'missing.json') }, 'CHRISTMAS_CONFIG'],
    [['run'], { CHRISTMAS_LOG_LEVEL: 'chatty' }, 'log.level'],
    [['run'], { CHRISTMAS_REDIS_URL: 'http://nope' }, 'redis.url'],
    [['run', '--set', 'risk.maxSpreadBps=-1'], {}, 'risk.maxSpreadBps'],
    [
      ['run', '--set', 'strategies=[{"name":"x","type":"ema-cross","params":{"fast":30,"slow":10}}]'],
      {},
      'strategies.x.params.fast',
    ],
  ] as Array<[string[], Record<string, string>, string]>) {
    const r = cli(args, env);
    assert.is(r.status, 78, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 1, `one line: ${r.stderr}`);
    assert.ok(lines[0]!.includes(key), `${lines[0]} names ${key}`);
    assert.ok(/expected/.test(lines[0]!), `${lines[0]} says what was expected`);
  }
});

test('replay --print ticks: the documented JSON shape for frames and CSVs', () => {
  const r = cli([
    'replay',
    shared('messages/binance-spot-trade.jsonl'),
    '--no-store',
    '--no-persist',
    '--no-socket',
    '--print',
    'ticks',
  ]);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.is(lines.length, 10147);
  assert.equal(Object.keys(lines[0]), [
    'venue',
    'symbol',
    'kind',
    'tsExchNs',
    'tsRecvNs',
    'price',
    'size',
    'side',
    'tradeId',
  ]);
  assert.equal(
    [lines[0].venue, lines[0].symbol, lines[0].kind, lines[0].price, lines[0].side, lines[0].tradeId],
    ['binance', 'BTCUSDT', 'trade', 61685.99, 'sell', 3735693016],
  );
  const q = cli([
    'replay',
    shared('ticks/binance-spot-BTCUSDT-bookTicker-20240809T0000Z.csv'),
    '--no-store',
    '--no-persist',
    '--no-socket',
    '--print',
    'ticks',
  ]);
  const ql = q.stdout.trim().split('\n');
  assert.is(ql.length, 45_134);
  assert.equal(Object.keys(JSON.parse(ql[0]!)), [
    'venue',
    'symbol',
    'kind',
    'tsExchNs',
    'tsRecvNs',
    'bid',
    'bidSize',
    'ask',
    'askSize',
    'updateId',
  ]);
  const u = cli([
    'replay',
    shared('ticks/binance-usdm-BTCUSDT-trades-20240808T2354Z.csv'),
    '--no-store',
    '--no-persist',
    '--no-socket',
    '--print',
    'ticks',
  ]);
  const first = JSON.parse(u.stdout.split('\n')[0]!);
  assert.equal([first.venue, first.symbol, first.kind], ['binance-usdm', 'BTCUSDT', 'trade']);
  const cf = cli([
    'replay',
    shared('messages/binance-spot-session-2021-04-05.cryptofeed.log'),
    '--no-store',
    '--no-persist',
    '--no-socket',
    '--print',
    'ticks',
  ]);
  assert.is(cf.status, 0);
  assert.ok(cf.stdout.split('\n').length > 1000, 'cryptofeed log format');
  const cb = cli([
    'replay',
    shared('messages/coinbase-exchange-match.jsonl'),
    '--no-store',
    '--no-persist',
    '--no-socket',
    '--print',
    'ticks',
  ]);
  assert.is(JSON.parse(cb.stdout.split('\n')[0]!).venue, 'coinbase');
});

test('replay --print signals is deterministic across runs and compute modes (wall-clock fields aside)', () => {
  const file = shared('messages/binance-spot-session-20240808.log.gz');
  const strip = (out: string) =>
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const s = JSON.parse(l);
        delete s.tsNs;
        delete s.latency.tsSignalNs;
        return JSON.stringify(s);
      });
  const a = strip(cli(['replay', file, '--no-store', '--no-persist', '--no-socket', '--print', 'signals']).stdout);
  const b = strip(cli(['replay', file, '--no-store', '--no-persist', '--no-socket', '--print', 'signals']).stdout);
  const p = strip(
    cli([
      'replay',
      file,
      '--no-store',
      '--no-persist',
      '--no-socket',
      '--print',
      'signals',
      '--set',
      'compute.mode="pool"',
      '--set',
      'compute.workers=2',
    ]).stdout,
  );
  assert.ok(a.length > 50, `${a.length} signals`);
  assert.equal(b, a);
  assert.equal(p, a, 'pool mode gives the same signals');
  // compute.realtimePriority reaches the shard threads through the config: with chrt off the PATH they say
  // so (and compute all the same); with it, the same signals come out of SCHED_FIFO shards.
  const pool = [
    'replay',
    file,
    '--no-store',
    '--no-persist',
    '--no-socket',
    '--print',
    'signals',
    '--set',
    'compute.mode="pool"',
    '--set',
    'compute.workers=2',
    '--set',
    'compute.realtimePriority=5',
  ];
  const refused = cli(pool, { PATH: '/nonexistent' });
  assert.ok(refused.stderr.includes('could not take SCHED_FIFO'), refused.stderr.slice(-600));
  assert.equal(strip(refused.stdout), a, 'pool mode with the priority refused gives the same signals');
  const rt = cli(pool);
  assert.not.ok(rt.stderr.includes('could not take SCHED_FIFO'), rt.stderr.slice(-600));
  assert.equal(strip(rt.stdout), a, 'pool mode with SCHED_FIFO shards gives the same signals');
});

test('replay with PostgreSQL down: rows go to the spool and the command still ends (exit 0 within its deadline)', async () => {
  const spool = mkdtempSync(path.join(tmpdir(), 'christmas-spool-'));
  const started = Date.now();
  const r = cli(
    [
      'replay',
      shared('messages/binance-spot-trade.jsonl'),
      '--no-store',
      '--no-socket',
      '--set',
      'shutdown.deadlineMs=1000',
    ],
    {
      CHRISTMAS_DATABASE_URL: `postgres://christmas@127.0.0.1:${await freePort()}/christmas`,
      CHRISTMAS_SPOOL_DIR: spool,
    },
  );
  assert.is(r.status, 0, `exit ${r.status} signal ${r.signal}: ${r.stderr.slice(-400)}`);
  assert.ok(Date.now() - started < 60_000, 'ended, not kept alive by the database probe');
  assert.ok(
    readdirSync(spool).some((f) => statSync(path.join(spool, f)).size > 0),
    'the ticks are in the spool',
  );
});

test('migrate --print shows the SQL for a flavour', () => {
  const r = cli(['migrate', '--print', '--flavor', 'timescaledb']);
  assert.is(r.status, 0);
  assert.ok(r.stdout.includes('create_hypertable'));
});

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => {
    if (c.exitCode !== null) r(c.exitCode);
    else c.once('exit', (code) => r(code));
  });

test('the daemon against serve-replay, Redis and PostgreSQL: SIGHUP reloads, SIGTERM drains everything and exits 0 in time', async () => {
  const redis = await startRedis();
  const pgs = await startPostgres();
  const port = await freePort();
  const sr = spawnCli(
    ['serve-replay', shared('messages/binance-spot-session-20240809.log.gz'), '--port', String(port), '--rate', '5000'],
    {},
  );
  await until(() => sr.out().includes('listening'), 15_000, 'serve-replay listening');
  const metricsPort = await freePort();
  const env = {
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_REDIS_URL: redis.url,
    CHRISTMAS_DATABASE_URL: pgs.url,
    CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 'd.sock'),
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool'),
    CHRISTMAS_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
    CHRISTMAS_LOG_LEVEL: 'info',
  };
  const d = spawnCli(['run', '--set', 'shutdown.deadlineMs=5000'], env);
  const r = new Redis(redis.url);
  try {
    await until(async () => (await r.zcard(ticksKey('binance', 'BTCUSDT'))) > 3000, 30_000, 'ticks flowing into Redis');
    d.child.kill('SIGHUP');
    await until(() => d.out().includes('reloaded strategy parameters'), 5000, 'reload logged');
    const t0 = Date.now();
    d.child.kill('SIGTERM');
    const code = await exited(d.child);
    const ms = Date.now() - t0;
    assert.is(code, 0, d.out().slice(-2000));
    assert.ok(ms < 5000 + 1000, `drained in ${ms} ms`);
    assert.ok(d.out().includes('"msg":"drained; exiting"'));
    const inRedis = await r.zcard(ticksKey('binance', 'BTCUSDT'));
    const c = new pg.Client({ connectionString: pgs.url });
    await c.connect();
    const rows = await c.query(
      'select (select count(*) from ticks)::int + (select count(*) from quotes)::int as n, (select count(*) from bars_1s)::int as bars',
    );
    await c.end();
    assert.is(rows.rows[0].n, inRedis, 'everything the engine accepted is in Redis and in PostgreSQL');
    assert.ok(rows.rows[0].bars > 0);
  } finally {
    r.disconnect();
    sr.child.kill('SIGTERM');
    await exited(sr.child);
    if (d.child.exitCode === null) d.child.kill('SIGKILL');
    await redis.stop();
    await pgs.stop();
  }
});

test('a second SIGTERM during a drain forces exit (code 1)', async () => {
  const port = await freePort();
  const sr = spawnCli(
    ['serve-replay', shared('messages/binance-spot-trade.jsonl'), '--port', String(port), '--rate', '100'],
    {},
  );
  await until(() => sr.out().includes('listening'), 15_000, 'listening');
  // Redis/PostgreSQL pointed at closed ports: the drain waits on them, so the second signal is what ends it.
  const dead = await freePort();
  const d = spawnCli(['run', '--set', 'shutdown.deadlineMs=60000'], {
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_REDIS_URL: `redis://127.0.0.1:${dead}`,
    CHRISTMAS_DATABASE_URL: '',
    CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 'e.sock'),
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool2'),
    CHRISTMAS_METRICS_LISTEN: '',
    CHRISTMAS_LOG_LEVEL: 'info',
  });
  try {
    await until(() => d.out().includes('christmas running'), 15_000, 'running');
    await sleep(500);
    d.child.kill('SIGTERM');
    await until(() => d.out().includes('draining'), 5000, 'draining');
    d.child.kill('SIGTERM');
    const code = await exited(d.child);
    assert.is(code, 1);
    assert.ok(d.out().includes('second signal'));
  } finally {
    sr.child.kill('SIGTERM');
    await exited(sr.child);
    if (d.child.exitCode === null) d.child.kill('SIGKILL');
  }
});

test.run();
