// `christmas demo`: the embedded default. Starts a local Redis and an embedded PostgreSQL on free ports
// in temp folders, serves the bundled Binance sessions over local WebSockets (looped; the 2021 one with its L2
// depth streams and the REST depth endpoint), runs the daemon against them, and shows its signals, tick flow
// and live books until Ctrl-C.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot } from '../../config/load.js';
import { startRedis } from '../embedded/redis.js';
import { startPostgres } from '../embedded/postgres.js';
import { freePort } from '../embedded/process.js';
import { loadFrames } from '../../feed/replay/frames.js';
import { ReplayServer } from '../../feed/replay/server.js';
import { SignalClient } from '../../signal/client.js';
import { parsePrometheus, stagePercentileUs } from './top.js';
import { intOption, type Command } from '../command.js';
import { UsageError } from '../../model/errors.js';

/** The bundled session with depth streams and REST snapshots, and its symbols. */
const BOOK_SESSION = 'binance-spot-session-2021-04-05.cryptofeed.log.gz';
const BOOK_SYMBOLS = [
  'BTCAUD',
  'MANAUSDT',
  'ETHBRL',
  'DENTUSDT',
  'ZILUSDT',
  'RENBTCETH',
  'BTCSTUSDT',
  'QTUMETH',
  'AXSBNB',
  'NEOUSDC',
];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the daemon on its embedded default: bundled Binance session, local Redis, embedded PostgreSQL',
  usage: 'demo [--speed S] [--seconds N] [--compute inline|pool]',
  options: {
    speed: { type: 'string', value: 'S', description: 'replay speed factor of the bundled session (default 5)' },
    seconds: { type: 'string', value: 'N', description: 'stop by itself after N seconds (default: until Ctrl-C)' },
    compute: { type: 'string', value: 'MODE', description: 'inline (default) or pool' },
  },
  async run(v) {
    // Every option is checked before anything starts: a typo leaves no server, process or folder behind.
    const speed = intOption(v.speed, 'speed', 0.1, 1000, 5);
    const seconds = v.seconds === undefined ? 0 : intOption(v.seconds, 'seconds', 1, 1e7, 0);
    const compute = v.compute === undefined ? undefined : String(v.compute);
    if (compute !== undefined && compute !== 'inline' && compute !== 'pool')
      throw new UsageError(`--compute: got "${compute}", expected inline or pool`);
    const say = (s: string) => process.stdout.write(s + '\n');
    const work = mkdtempSync(path.join(tmpdir(), 'christmas-demo-'));
    say('christmas demo: starting Redis and PostgreSQL ...');
    const redis = await startRedis();
    const pg = await startPostgres();
    const frames = await loadFrames([path.join(repoRoot, 'config', 'demo', 'binance-spot-session-20240808.log.gz')]);
    const replay = new ReplayServer({
      frames,
      port: 0,
      rate: 0,
      speed,
      loop: true,
      pingIntervalMs: 20_000,
      faults: {},
    });
    const feedUrl = await replay.start();
    // The 2021 session (10 symbols with depth streams and their REST snapshots) on a second port: its books sync
    // through serve-replay's REST depth endpoint as a live Binance connection's would.
    const bookFrames = await loadFrames([path.join(repoRoot, 'config', 'demo', BOOK_SESSION)]);
    const bookReplay = new ReplayServer({
      frames: bookFrames,
      port: 0,
      rate: 0,
      speed,
      loop: true,
      pingIntervalMs: 20_000,
      faults: {},
    });
    const bookUrl = await bookReplay.start();
    const demoCfg = JSON.parse(readFileSync(path.join(repoRoot, 'config', 'demo', 'config.json'), 'utf8')) as {
      feeds: Array<Record<string, unknown>>;
    };
    const feeds = [
      { ...demoCfg.feeds[0], url: feedUrl },
      {
        venue: 'binance',
        url: bookUrl,
        restUrl: bookReplay.restUrl,
        symbols: BOOK_SYMBOLS,
        channels: ['aggTrade', 'bookTicker', 'depth'],
        staleAfterMs: 30_000,
        maxConnectionAgeMs: 0,
      },
    ];
    const metricsPort = await freePort();
    const socket = path.join(work, 'signals.sock');
    say(
      `  redis ${redis.url}\n  postgres ${pg.url}\n  feed ${feedUrl} (bundled Binance BTCUSDT session, ${frames.length} frames, looped)\n  books ${bookUrl} (bundled 2021 Binance session: ${BOOK_SYMBOLS.length} symbols with L2 books, ${bookFrames.length} frames, looped)\n  signals ${socket}\n  metrics http://127.0.0.1:${metricsPort}/metrics`,
    );
    const env = {
      ...process.env,
      CHRISTMAS_CONFIG: path.join(repoRoot, 'config', 'demo', 'config.json'),
      CHRISTMAS_REDIS_URL: redis.url,
      CHRISTMAS_DATABASE_URL: pg.url,
      CHRISTMAS_SIGNAL_SOCKET: socket,
      CHRISTMAS_SPOOL_DIR: path.join(work, 'spool'),
      CHRISTMAS_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
    };
    const args = [
      path.join(repoRoot, 'dist', 'src', 'daemon', 'cli.js'),
      'run',
      '--set',
      `feeds=${JSON.stringify(feeds)}`,
    ];
    if (compute) args.push('--set', `compute.mode="${compute}"`);
    // Its own process group: Ctrl-C at the terminal reaches the demo alone, which then drains the daemon with one
    // SIGTERM (a second signal would force the daemon's exit without its drain).
    const daemon = spawn(process.execPath, args, { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    process.once('exit', () => {
      if (daemon.exitCode === null) daemon.kill('SIGKILL'); // the demo itself died: leave no daemon behind
    });
    const client = new SignalClient({ socketPath: socket, fromSeq: 1 });
    let signals = 0;
    client.on('welcome', () =>
      say('connected to the signal socket; signals appear below as the engine emits them (Ctrl-C to stop)'),
    );
    client.on('signal', (s) => {
      signals++;
      say(
        `SIGNAL #${s.seq} ${String(s.side).toUpperCase().padEnd(4)} ${s.symbol} @ ${String(s.price)} [${String(s.strategy)}] strength ${Number(s.strength).toFixed(2)} — ${String(s.reason)}`,
      );
    });
    client.on('socket-error', () => undefined);
    setTimeout(() => client.start(), 1500);
    let last = 0,
      lastAt = Date.now();
    const status = setInterval(async () => {
      try {
        const s = parsePrometheus(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text());
        const ticks = s.filter((x) => x.name === 'christmas_ticks_total').reduce((a, x) => a + x.value, 0);
        const books = s.filter((x) => x.name === 'christmas_book_state' && x.value === 1);
        const live = books.filter((x) => x.labels.state === 'live').length;
        const rate = (ticks - last) / ((Date.now() - lastAt) / 1000);
        last = ticks;
        lastAt = Date.now();
        say(
          `ticks ${ticks} (${rate.toFixed(0)}/s)  signals ${signals}  recv->signal p50 ${stagePercentileUs(s, 'recv_to_signal', '50').toFixed(1)} µs p99 ${stagePercentileUs(s, 'recv_to_signal', '99').toFixed(1)} µs  rows ${s.filter((x) => x.name === 'christmas_persist_rows_total').reduce((a, x) => a + x.value, 0)}  books live ${live}/${books.length}`,
        );
      } catch {
        /* daemon still starting */
      }
    }, 3000);
    const done = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
      daemon.once('exit', (code) => {
        say(`daemon exited with code ${code}`);
        resolve();
      });
      if (seconds > 0) setTimeout(resolve, seconds * 1000);
    });
    await done;
    clearInterval(status);
    client.stop();
    if (daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon.once('exit', r));
    }
    await replay.stop();
    await bookReplay.stop();
    const summary = await (async () => {
      const { default: pgmod } = await import('pg');
      const c = new pgmod.Client({ connectionString: pg.url });
      await c.connect();
      try {
        const r = await c.query<{ t: string; q: string; s: string; b: string }>(
          'select (select count(*) from ticks) t, (select count(*) from quotes) q, (select count(*) from signals) s, (select count(*) from book_snapshots) b',
        );
        return r.rows[0]!;
      } finally {
        await c.end();
      }
    })().catch(() => undefined);
    if (summary)
      say(`persisted: ${summary.t} trades, ${summary.q} quotes, ${summary.s} signals, ${summary.b} book snapshots`);
    await redis.stop();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
    return 0;
  },
};
