#!/usr/bin/env node
// The `christmas` command line: dispatches to one subcommand, maps errors to exit codes
// (78 for configuration errors, 64 for usage errors) with one clear line on stderr.
import { renderHelp, parseCommandArgs, type Command } from './command.js';
import { runCommand } from './commands/run.js';
import { replayCommand } from './commands/replay.js';
import { serveReplayCommand } from './commands/serve-replay.js';
import { tailCommand } from './commands/tail.js';
import { ticksCommand } from './commands/ticks.js';
import { indicatorsCommand } from './commands/indicators.js';
import { migrateCommand } from './commands/migrate.js';
import { benchCommand } from './commands/bench.js';
import { topCommand } from './commands/top.js';
import { demoCommand } from './commands/demo.js';
import { buildInfo } from '../telemetry/build-info.js';
import { EXIT_USAGE } from '../model/errors.js';
import { exitFor } from './exit-codes.js';
import { controlCommand } from './commands/control.js';
import { backtestCommand } from './commands/backtest.js';

const commands: Command[] = [
  runCommand,
  replayCommand,
  backtestCommand,
  serveReplayCommand,
  tailCommand,
  ticksCommand,
  indicatorsCommand,
  migrateCommand,
  benchCommand,
  topCommand,
  controlCommand,
  demoCommand,
];

function mainHelp(): string {
  return [
    'christmas — low-latency scalping engine: exchange ticks in, trading signals out',
    '',
    'usage: christmas <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`),
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
    process.stdout.write(mainHelp());
    return name ? 0 : EXIT_USAGE;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`christmas: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
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
