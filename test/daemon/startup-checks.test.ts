// `christmas run` refuses, at start, what it could only fail on later: bad ports, spool folders it cannot write
// (a file in the path, read-only, under /proc), and no feeds. Exit 78, one line naming the key, no stack, no
// process left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, sleep, spawnCli } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-startup-'));
const base = {
  CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool'),
  CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 'signals.sock'),
  CHRISTMAS_REDIS_URL: '',
  CHRISTMAS_DATABASE_URL: '',
  CHRISTMAS_METRICS_LISTEN: '',
};
const run = (env: Record<string, string>, args: string[] = []) =>
  spawnSync(process.execPath, [cliPath, 'run', ...args], {
    env: { ...process.env, ...base, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });

function refused(env: Record<string, string>, key: RegExp, args: string[] = []): void {
  const r = run(env, args);
  assert.is(r.status, 78, `exit 78 for ${JSON.stringify(env)} ${args.join(' ')}: ${r.status} ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0]!, key);
  assert.not.ok(r.stderr.includes('    at '), 'no stack trace');
}

test('a metrics port out of range', () =>
  refused({ CHRISTMAS_METRICS_LISTEN: '127.0.0.1:99999' }, /metrics\.listen.*port from 0/));

test('a spool folder below a regular file', () => {
  writeFileSync(path.join(dir, 'plainfile'), 'x');
  refused({ CHRISTMAS_SPOOL_DIR: path.join(dir, 'plainfile', 'spool') }, /spool\.dir.*writable directory \(ENOTDIR/);
});

test('a spool folder under /proc', () =>
  refused({ CHRISTMAS_SPOOL_DIR: '/proc/christmas-spool' }, /spool\.dir.*not \/proc/));

test('a read-only spool folder', () => {
  const ro = path.join(dir, 'ro');
  mkdirSync(ro);
  chmodSync(ro, 0o555);
  // root ignores mode bits: a read-only bind is what a read-only disk looks like to it
  const r = spawnSync('mount', ['--bind', '-o', 'ro', ro, ro]);
  if (r.status !== 0) {
    spawnSync('mount', ['--bind', ro, ro]);
    spawnSync('mount', ['-o', 'remount,ro,bind', ro]);
  }
  try {
    refused({ CHRISTMAS_SPOOL_DIR: ro }, /spool\.dir.*writable directory \((EROFS|EACCES)/);
  } finally {
    spawnSync('umount', [ro]);
  }
});

test('no feeds', () => {
  const cfg = path.join(dir, 'nofeeds.json');
  writeFileSync(cfg, JSON.stringify({ feeds: [] }));
  refused({}, /config feeds.*at least one feed/, ['--config', cfg]);
});

test('SIGTERM ends a start-up that waits on unreachable Redis and PostgreSQL within its deadline', async () => {
  for (const afterMs of [300, 1500]) {
    const started = Date.now();
    const p = spawnCli(['run', '--set', 'shutdown.deadlineMs=3000'], {
      ...base,
      CHRISTMAS_REDIS_URL: 'redis://127.0.0.1:1',
      CHRISTMAS_DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
    });
    await sleep(afterMs);
    const signalled = Date.now();
    p.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      p.exited,
      new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 5000))),
    ]);
    clearTimeout(timer);
    if (code === 'hung') p.child.kill('SIGKILL');
    assert.ok(code !== 'hung', `still running 5 s after SIGTERM (${afterMs} ms into start-up): ${p.out().slice(-800)}`);
    assert.ok(Date.now() - signalled < 4000, `ended ${Date.now() - signalled} ms after SIGTERM`);
    assert.ok(Date.now() - started < 10_000);
  }
});

test.run();
