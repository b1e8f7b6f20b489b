// `christmas replay <file...>`: the full configured pipeline (store, persist, signals) with the feed
// replaced by recorded files, through the same parsing code.
import { loadConfig, namedKeys } from '../../config/load.js';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { createLogger, type Logger } from '../../telemetry/logger.js';
import { Engine } from '../engine.js';
import { ReplayDriver } from '../replay-driver.js';
import { checkInputFile, configOptions, intOption, parseSets, redactUrl, type Command } from '../command.js';
import { poolFactoryFor } from '../../compute/pool-factory.js';
import { UsageError } from '../../model/errors.js';
import { dropSummary } from '../../feed/stats.js';

/** A named Redis that is not up a second into the replay gets one warning (the drain waits for it at the end). */
function warnIfUnreachable(engine: Engine, log: Logger): void {
  setTimeout(() => {
    const status = engine.sinks?.redisStatus();
    if (status !== undefined && status !== 'ready')
      log.warn({ status }, `Redis ${redactUrl(engine.cfg.redis.url)} is unreachable (${status}): ticks wait for it`);
  }, 1000).unref();
}

export const replayCommand: Command = {
  name: 'replay',
  summary:
    'run recorded files through the full pipeline (hftbacktest logs, cryptofeed logs, JSONL, trade/quote CSVs; gzip or not)',
  usage:
    'replay <file...> [--print ticks|signals|books] [--depth N] [--speed max|1|10] [--venue V] [--no-store] [--no-persist] [--no-socket] [--config FILE]',
  options: {
    ...configOptions,
    print: {
      type: 'string',
      value: 'ticks|signals|books',
      description:
        'write normalized ticks, emitted signals or L2 books (one line per applied update) as JSON lines to stdout (logs go to stderr)',
    },
    depth: { type: 'string', value: 'N', description: 'levels per side in --print books lines (default 10)' },
    speed: {
      type: 'string',
      value: 'max|N',
      description: 'max = as fast as possible (default); 1 = recorded real time; 10 = ten times faster',
    },
    venue: {
      type: 'string',
      value: 'V',
      description: 'venue parser to use (default: from the file name, else binance)',
    },
    'no-store': { type: 'boolean', description: 'do not write ticks to Redis' },
    'no-persist': { type: 'boolean', description: 'do not write to PostgreSQL/TimescaleDB' },
    'no-socket': { type: 'boolean', description: 'do not open the signal socket' },
    'no-fast-path': {
      type: 'boolean',
      description: 'parse every frame with JSON.parse (disable the Binance byte fast path)',
    },
  },
  async run(v, files) {
    if (files.length === 0) throw new UsageError('replay needs at least one file');
    for (const f of files) checkInputFile('replay', f);
    const speedRaw = (v.speed as string | undefined) ?? 'max';
    const speed = speedRaw === 'max' ? 0 : Number(speedRaw);
    if (!(speed >= 0) || !Number.isFinite(speed))
      throw new UsageError(`--speed: got "${speedRaw}", expected max or a positive number`);
    const print = v.print as 'ticks' | 'signals' | 'books' | undefined;
    if (print && print !== 'ticks' && print !== 'signals' && print !== 'books')
      throw new UsageError(`--print: got "${String(print)}", expected ticks, signals or books`);
    const bookDepth = Math.floor(intOption(v.depth, 'depth', 1, 5000, 10));
    const loadOpts = {
      configPath: v.config as string | undefined,
      overrides: parseSets(v.set as string[] | undefined),
    };
    let cfg = loadConfig(loadOpts);
    const log = createLogger({ level: cfg.log.level, pretty: cfg.log.pretty });
    // Only the services the user named (config file, CHRISTMAS_* variable, --set): a replay never writes into
    // the daemon's Redis, database or system spool just because config/default.json lists them.
    const named = namedKeys(loadOpts);
    const store = !v['no-store'] && (named.has('redis.url') || named.has('redis.clusterNodes'));
    const persist = !v['no-persist'] && named.has('database.url');
    const socket = !v['no-socket'] && named.has('signals.socket');
    if (persist && !named.has('spool.dir')) {
      const spoolDir = path.join(tmpdir(), `christmas-replay-spool-${cfg.instance}`);
      cfg = loadConfig({ ...loadOpts, overrides: { ...loadOpts.overrides, 'spool.dir': spoolDir } });
      log.info({ spoolDir }, "replay spool (database down): a private folder, not the daemon's spool.dir");
    }
    const skipped = [
      !store && !v['no-store'] ? 'Redis (name redis.url)' : '',
      !persist && !v['no-persist'] ? 'the database (name database.url)' : '',
      !socket && !v['no-socket'] ? 'the signal socket (name signals.socket)' : '',
    ].filter(Boolean);
    if (skipped.length)
      log.info(
        `replay writes only to services named on the command line, in --config or CHRISTMAS_*: not to ${skipped.join(', ')}`,
      );
    const engine = new Engine({
      config: cfg,
      log,
      replay: true,
      stageTiming: false,
      store,
      persist,
      socket,
      print,
      bookDepth,
      poolFactory: await poolFactoryFor(cfg, log),
    });
    await engine.start();
    if (store) warnIfUnreachable(engine, log);
    const driver = new ReplayDriver(engine, log, {
      files,
      speed,
      venue: v.venue as string | undefined,
      fastPath: !v['no-fast-path'],
    });
    let interrupted = false;
    const stop = () => {
      if (interrupted) process.exit(1);
      interrupted = true;
      driver.stop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const stats = await driver.run();
    const left = await engine.stop(cfg.shutdown.deadlineMs);
    const total = stats.reduce(
      (a, s) => ({
        frames: a.frames + s.frames,
        ticks: a.ticks + s.ticks,
        malformed: a.malformed + s.malformedTotal,
        duplicates: a.duplicates + s.duplicates,
        gaps: a.gaps + s.gaps,
      }),
      { frames: 0, ticks: 0, malformed: 0, duplicates: 0, gaps: 0 },
    );
    for (const [i, s] of stats.entries()) {
      const dropped = dropSummary(s);
      if (dropped) process.stderr.write(`replay: ${files[i] ?? ''}: ${dropped}; kept ${s.ticks}\n`);
    }
    const summary = engine.bookSummary();
    const unsynced = summary.books.filter((b) => b.state !== 'live').map((b) => `${b.venue}:${b.symbol}`);
    if (unsynced.length)
      process.stderr.write(
        `replay: ${unsynced.length} book(s) not live at the end (no usable depth snapshot in the recording): ${unsynced.slice(0, 10).join(', ')}\n`,
      );
    const books = {
      applied: summary.applied,
      snapshots: summary.snapshots,
      dropped: Object.fromEntries(summary.dropped),
    };
    log.info({ ...total, books, signals: engine.emitted, suppressed: engine.risk.suppressed, ...left }, 'replay done');
    // The summary line reaches stderr before the exit; the flush is given at most 200 ms.
    await new Promise<void>((r) => {
      const giveUp = setTimeout(r, 200);
      log.flush?.(() => {
        clearTimeout(giveUp);
        r();
      });
    });
    return 0;
  },
};
