// Printing commands piped into `head -1` end quietly with exit 0 (EPIPE is the end of the output, not an error);
// `christmas --version` prints one line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cliPath, shared } from '../helpers.js';

const trades = shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv');
const piped = (args: string) =>
  spawnSync(
    'bash',
    [
      '-c',
      `set -o pipefail; "${process.execPath}" "${cliPath}" ${args} 2>/tmp/christmas-pipe-$$.err | head -1 >/dev/null; s=$?; cat /tmp/christmas-pipe-$$.err >&2; rm -f /tmp/christmas-pipe-$$.err; exit $s`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );

for (const args of [
  `indicators ${trades} --spec ema:3`,
  `indicators ${trades} --spec ema:3 --print csv`,
  `replay ${trades} --print ticks --no-store --no-persist --no-socket`,
  `replay ${trades} --print signals`,
  `replay ${shared('messages/binance-spot-session-2021-04-05.cryptofeed.log')} --print books`,
  'migrate --print --flavor timescaledb',
  '--help',
]) {
  test(`christmas ${args.replace(trades, 'trades.csv')} | head -1: exit 0, no stack`, () => {
    const r = piped(args);
    assert.is(r.status, 0, r.stderr);
    assert.not.ok(r.stderr.includes('EPIPE') || r.stderr.includes('    at '), r.stderr);
  });
}

test('--version prints the version on one line', () => {
  const r = spawnSync(process.execPath, [cliPath, '--version'], { encoding: 'utf8' });
  assert.is(r.status, 0);
  assert.match(r.stdout, /^christmas \d+\.\d+\.\d+ \(node \d+\.\d+\.\d+, (native|typescript) kernels\)\n$/);
});

test.run();
