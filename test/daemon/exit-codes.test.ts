// Everyday failures of the CLI are one line on stderr and a sysexits code, never a stack trace (unless --debug):
// missing input 66, a directory as input 66, a corrupt .gz 74, Redis or PostgreSQL down 69, the metrics port in
// use 69; and the control socket answers `christmas control` on a running daemon.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { cliPath, freePort, shared, spawnCli, until } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-exit-'));
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
const offline = ['--no-store', '--no-persist', '--no-socket'];

function oneLine(r: ReturnType<typeof cli>, code: number, pattern: RegExp, what: string): void {
  assert.is(r.status, code, `${what}: exit ${code} (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, `${what}: one line, got ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0]!, pattern, what);
  assert.not.match(r.stderr, /\n\s+at /, `${what}: no stack trace`);
}

test('missing input 66, a directory 66, a corrupt .gz 74', () => {
  oneLine(cli(['replay', path.join(dir, 'nope.csv'), ...offline]), 66, /^christmas: replay: no such file/, 'replay');
  oneLine(cli(['indicators', dir, '--spec', 'ema:3']), 66, /is a directory/, 'indicators dir');
  oneLine(cli(['serve-replay', path.join(dir, 'nope.log'), '--port', '1']), 66, /no such file/, 'serve-replay');
  const corrupt = path.join(dir, 'corrupt.csv.gz');
  writeFileSync(corrupt, gzipSync(Buffer.from('price,qty\n'.repeat(1000))).subarray(0, 40));
  oneLine(cli(['indicators', corrupt, '--spec', 'ema:3']), 74, /^christmas: /, 'corrupt gz');
});

test('Redis down and PostgreSQL down: 69 naming the service (the password redacted); --debug adds the stack', () => {
  oneLine(
    cli(['ticks', 'binance:BTCUSDT', '--redis', 'redis://127.0.0.1:1']),
    69,
    /^christmas: Redis redis:\/\/127\.0\.0\.1:1/,
    'ticks',
  );
  const m = cli(['migrate', '--database', 'postgres://u:secret@127.0.0.1:1/db']);
  oneLine(m, 69, /^christmas: database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db/, 'migrate');
  assert.not.match(m.stderr, /secret/);
  const d = cli(['--debug', 'ticks', 'binance:BTCUSDT', '--redis', 'redis://127.0.0.1:1']);
  assert.is(d.status, 69);
  assert.match(d.stderr, /\n\s+at /, 'the stack with --debug');
});

test('the metrics port in use: run stops with 69 and one line', async () => {
  const port = await freePort();
  const holder = createServer().listen(port, '127.0.0.1');
  await new Promise((r) => holder.once('listening', r));
  try {
    const r = spawnSync(process.execPath, [cliPath, 'run'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        CHRISTMAS_LOG_LEVEL: 'silent',
        CHRISTMAS_FEED_URL: 'ws://127.0.0.1:1/stream',
        CHRISTMAS_REDIS_URL: '',
        CHRISTMAS_DATABASE_URL: '',
        CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 'm.sock'),
        CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool-m'),
        CHRISTMAS_METRICS_LISTEN: `127.0.0.1:${port}`,
      },
      timeout: 60_000,
    });
    assert.is(r.status, 69, r.stderr);
    assert.match(r.stderr.trim(), /^christmas: metrics\.listen 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    assert.not.match(r.stderr, /\n\s+at /);
  } finally {
    holder.close();
  }
});

test("christmas control: status and the kill switch over a running daemon's control socket (mode 0600)", async () => {
  const port = await freePort();
  const sr = spawnCli([
    'serve-replay',
    shared('messages/binance-spot-session-20240809.log.gz'),
    '--port',
    String(port),
    '--loop',
  ]);
  await until(() => sr.out().includes('listening'), 15_000, 'replay server');
  const sock = path.join(dir, 'c.sock');
  const d = spawnCli(['run'], {
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_REDIS_URL: '',
    CHRISTMAS_DATABASE_URL: '',
    CHRISTMAS_SIGNAL_SOCKET: sock,
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool-c'),
    CHRISTMAS_METRICS_LISTEN: '',
    CHRISTMAS_LOG_LEVEL: 'info',
  });
  try {
    await until(() => d.out().includes('christmas running'), 30_000, 'daemon running');
    const ctl = path.join(dir, 'control.sock');
    const env = { CHRISTMAS_SIGNAL_SOCKET: sock };
    const st = cli(['control', 'status'], env);
    assert.is(st.status, 0, st.stderr);
    const status = JSON.parse(st.stdout) as { ok: boolean; status: { killSwitch: boolean; instance: string } };
    assert.is(status.ok, true);
    assert.is(status.status.killSwitch, false);
    const on = cli(['control', 'kill-switch', 'on', '--socket', ctl]);
    assert.equal(JSON.parse(on.stdout), { type: 'result', ok: true, name: 'kill-switch', killSwitch: true });
    assert.is((JSON.parse(cli(['control', 'status'], env).stdout) as typeof status).status.killSwitch, true);
    assert.is(JSON.parse(cli(['control', 'kill-switch', 'off'], env).stdout).killSwitch, false);
    oneLine(cli(['control', 'reboot'], env), 64, /kill-switch on/, 'usage');
  } finally {
    d.child.kill('SIGTERM');
    sr.child.kill('SIGTERM');
    await d.exited;
  }
});

test.run();
