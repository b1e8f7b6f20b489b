// `christmas run`: the daemon. Loads config, starts engine, metrics, feeds; systemd notify + watchdog;
// drains on SIGTERM/SIGINT; reloads strategy parameters on SIGHUP.
import { startControl } from '../control.js';
import type { ControlServer } from '../../signal/control.js';
import { loadConfig } from '../../config/load.js';
import { checkEnvironment } from '../../config/environment.js';
import { createLogger } from '../../telemetry/logger.js';
import { LoopMonitor } from '../../telemetry/loop.js';
import { MetricsServer } from '../../telemetry/http.js';
import { Engine } from '../engine.js';
import { LiveFeeds } from '../feeds.js';
import { SdNotifier } from '../sd-notify.js';
import { installLifecycle } from '../lifecycle.js';
import { engineRegistry, readinessInputs } from '../telemetry.js';
import { Readiness } from '../../telemetry/readiness.js';
import { configOptions, intOption, parseSets, type Command } from '../command.js';
import { poolFactoryFor } from '../../compute/pool-factory.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run the engine on the configured live feeds',
  usage:
    'run [--config FILE] [--set KEY=JSON] [--no-store] [--no-persist] [--record DIR] [--print ticks|signals|books] [--depth N]',
  options: {
    ...configOptions,
    'no-store': { type: 'boolean', description: 'do not write ticks to Redis' },
    'no-persist': { type: 'boolean', description: 'do not write to PostgreSQL/TimescaleDB' },
    record: {
      type: 'string',
      value: 'DIR',
      description: 'record raw frames to rotating gzip files in DIR (<recv_ns> <frame> lines)',
    },
    print: {
      type: 'string',
      value: 'ticks|signals|books',
      description:
        'also write ticks, signals or L2 books (a line per applied update) as JSON lines to stdout (logs go to stderr)',
    },
    depth: { type: 'string', value: 'N', description: 'levels per side in --print books lines (default 10)' },
  },
  async run(v) {
    const overrides = parseSets(v.set as string[] | undefined);
    if (v.record) overrides['record.dir'] = v.record;
    const cfg = loadConfig({ configPath: v.config as string | undefined, overrides });
    checkEnvironment(cfg, { spool: !v['no-persist'] && cfg.database.url !== '', socket: true, feeds: true });
    const print = v.print as 'ticks' | 'signals' | 'books' | undefined;
    if (print && print !== 'ticks' && print !== 'signals' && print !== 'books') {
      process.stderr.write('christmas run: --print takes ticks, signals or books\n');
      return 64;
    }
    const bookDepth = Math.floor(intOption(v.depth, 'depth', 1, 5000, 10));
    // Under systemd: stdout with journald priorities (stderr when --print takes stdout); else stderr.
    const log = createLogger({
      level: cfg.log.level,
      pretty: cfg.log.pretty,
      target: print ? 'stderr' : 'journal-or-stderr',
    });
    const engine = new Engine({
      config: cfg,
      log,
      store: !v['no-store'],
      persist: !v['no-persist'],
      socket: true,
      print,
      bookDepth,
      poolFactory: await poolFactoryFor(cfg, log),
    });
    const loop = new LoopMonitor(cfg.metrics.stallLimitMs, log);
    const notifier = new SdNotifier(log);
    let feeds: LiveFeeds | undefined; // eslint-disable-line prefer-const -- assigned after the lifecycle hooks that read it are installed
    let metrics: MetricsServer | undefined;
    let control: ControlServer | undefined; // eslint-disable-line prefer-const -- assigned after the lifecycle hooks that read it are installed
    installLifecycle({
      deadlineMs: cfg.shutdown.deadlineMs,
      log,
      drain: async () => {
        notifier.notify('STOPPING=1');
        notifier.stop();
        await feeds?.stop();
        await control?.stop();
        const left = await engine.stop(cfg.shutdown.deadlineMs - 300);
        if (left.storeLeft || left.persistLeft) log.warn(left, 'drain left work behind');
        const feedStats = feeds?.connections.map((c) => ({ venue: c.venue, ...c.stats.toJSON() })) ?? [];
        const pstats = engine.sinks?.persistStats()?.tables;
        const sstats = engine.sinks?.storeStats();
        log.info(
          {
            ticks: engine.ticks,
            signals: engine.emitted,
            suppressed: engine.risk.suppressed,
            feeds: feedStats,
            store: sstats ? { stored: sstats.stored, dropped: sstats.dropped, backlog: sstats.backlog } : undefined,
            persist: pstats
              ? Object.fromEntries(
                  Object.entries(pstats).map(([t, v]) => [
                    t,
                    {
                      rows: v.rows,
                      spooledRows: v.spooledRows,
                      deadLetters: v.deadLetters,
                      droppedRows: v.droppedRows,
                    },
                  ]),
                )
              : undefined,
            ...left,
          },
          'final counts',
        );
        await metrics?.stop();
        loop.stop();
      },
      reload: () => {
        const next = loadConfig({ configPath: v.config as string | undefined, overrides });
        notifier.notify('RELOADING=1');
        engine
          .reload(next)
          .catch((err: Error) => log.error({ err: err.message }, 'reload failed; keeping the running strategies'))
          .finally(() => notifier.notify('READY=1'));
      },
    });
    loop.start();
    await engine.start();
    control = await startControl(engine, log);
    feeds = new LiveFeeds(cfg, engine, log);
    if (cfg.metrics.listen) {
      const readiness = new Readiness(cfg.health, log);
      metrics = new MetricsServer(
        engineRegistry(
          engine,
          {
            processors: () => feeds!.connections.map((c) => c.processor),
            states: () => feeds!.connections.map((c) => c.state),
            snapshots: () =>
              [...feeds!.snapshots].map(([venue, c]) => ({
                venue,
                requested: c.stats.fetched + c.stats.failed,
                failed: c.stats.failed,
                weight: c.stats.weightUsed,
              })),
          },
          loop,
        ),
        () => readiness.evaluate(readinessInputs(engine, feeds, loop)),
      );
      const url = await metrics.start(cfg.metrics.listen);
      log.info({ url }, 'metrics and health listening');
    }
    feeds.start();
    notifier.notify('READY=1');
    // Liveness only: a venue outage is readiness (/health), never a watchdog restart.
    notifier.startWatchdog(() => loop.healthy());
    log.info(
      {
        instance: cfg.instance,
        feeds: cfg.feeds.map((f) => `${f.venue}:${f.symbols.join('+')}`),
        compute: cfg.compute.mode,
      },
      'christmas running',
    );
    return new Promise<number>(() => {
      /* runs until a signal */
    });
  },
};
