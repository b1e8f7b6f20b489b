#!/usr/bin/env node
// The `christmas` command line: dispatches to one subcommand, maps errors to exit codes
// (78 for configuration errors, 64 for usage errors) with one clear line on stderr.
import { renderHelp, parseCommandArgs, type Command } from './command.js';
import { buildInfo } from '../telemetry/build-info.js';
import { EXIT_USAGE } from '../model/errors.js';
import { exitFor } from './exit-codes.js';

// Each command's module is loaded only when that command runs (or for the list in --help): a command starts
// without importing the rest of the daemon.
const commands: Array<[string, () => Promise<Command>]> = [
  ['run', async () => (await import('./commands/run.js')).runCommand],
  ['replay', async () => (await import('./commands/replay.js')).replayCommand],
  ['backtest', async () => (await import('./commands/backtest.js')).backtestCommand],
  ['serve-replay', async () => (await import('./commands/serve-replay.js')).serveReplayCommand],
  ['tail', async () => (await import('./commands/tail.js')).tailCommand],
  ['ticks', async () => (await import('./commands/ticks.js')).ticksCommand],
  ['book', async () => (await import('./commands/book.js')).bookCommand],
  ['indicators', async () => (await import('./commands/indicators.js')).indicatorsCommand],
  ['migrate', async () => (await import('./commands/migrate.js')).migrateCommand],
  ['bench', async () => (await import('./commands/bench.js')).benchCommand],
  ['top', async () => (await import('./commands/top.js')).topCommand],
  ['control', async () => (await import('./commands/control.js')).controlCommand],
  ['demo', async () => (await import('./commands/demo.js')).demoCommand],
];

async function mainHelp(): Promise<string> {
  const loaded = await Promise.all(commands.map(([, load]) => load()));
  return [
    'christmas — low-latency scalping engine: exchange ticks in, trading signals out',
    '',
    'usage: christmas <command> [options]',
    '',
    'commands:',
    ...loaded.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
    '',
    'environment: CHRISTMAS_CONFIG CHRISTMAS_FEED_URL CHRISTMAS_REDIS_URL CHRISTMAS_DATABASE_URL CHRISTMAS_SIGNAL_SOCKET',
    '             CHRISTMAS_METRICS_LISTEN CHRISTMAS_SPOOL_DIR CHRISTMAS_LOG_LEVEL CHRISTMAS_NO_NATIVE',
    '',
    'christmas <command> --help describes every flag; christmas --version prints the version;',
    '--debug (or CHRISTMAS_DEBUG=1) adds the stack trace to an error.',
    '',
  ].join('\n');
}

/** `christmas --version`: the package version, Node's and which kernels load. */
function version(): string {
  const b = buildInfo();
  return `christmas ${b.version} (node ${b.node}, ${b.kernels} kernels)\n`;
}

// A reader that goes away (`christmas replay ... | head`) is the end of the output, not an error: exit 0, quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(version());
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await mainHelp());
    return name ? 0 : EXIT_USAGE;
  }
  const entry = commands.find(([n]) => n === name);
  if (!entry) {
    process.stderr.write(`christmas: unknown command "${name}"\n\n${await mainHelp()}`);
    return EXIT_USAGE;
  }
  const cmd = await entry[1]();
  const { values, positionals } = parseCommandArgs(cmd, rest);
  if (values.help) {
    process.stdout.write(renderHelp(cmd));
    return 0;
  }
  return cmd.run(values, positionals);
}

const argv = process.argv.slice(2);
const debug = argv.includes('--debug') || process.env.CHRISTMAS_DEBUG === '1';
main(argv.filter((a) => a !== '--debug')).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    const { code, text } = exitFor(err, debug);
    process.stderr.write(text);
    process.exit(code);
  },
);
