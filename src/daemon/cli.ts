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
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernels } from '../native/index.js';
import {
  ChristmasError,
  ConfigError,
  StrategyParamError,
  UsageError,
  EXIT_CONFIG,
  EXIT_USAGE,
} from '../model/errors.js';

const commands: Command[] = [
  runCommand,
  replayCommand,
  serveReplayCommand,
  tailCommand,
  ticksCommand,
  indicatorsCommand,
  migrateCommand,
  benchCommand,
  topCommand,
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
    'christmas <command> --help describes every flag; christmas --version prints the version.',
    '',
  ].join('\n');
}

/** `christmas --version`: the package version, Node's and which kernels load. */
function version(): string {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return `christmas ${pkg.version} (node ${process.versions.node}, ${kernels().kind} kernels)\n`;
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

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`christmas: ${err.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    if (err instanceof UsageError) {
      process.stderr.write(`christmas: ${err.message}\n`);
      process.exit(EXIT_USAGE);
    }
    if (err instanceof StrategyParamError) {
      process.stderr.write(`christmas: ${err.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    if (err instanceof ChristmasError) {
      process.stderr.write(`christmas: ${err.code}: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`christmas: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
