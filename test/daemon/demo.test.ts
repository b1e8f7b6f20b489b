// `christmas demo`: bad options stop it before anything starts (no process or temp folder left); Ctrl-C (SIGINT
// to its process group, as a terminal sends it) drains the daemon, prints the summary and exits 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cliPath, until } from '../helpers.js';

const demoDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('christmas-demo-')).length;

test('bad options are one-line usage errors before any server starts', () => {
  for (const args of [
    ['--seconds', 'abc'],
    ['--compute', 'turbo'],
    ['--speed', '0'],
  ]) {
    const before = demoDirs();
    const r = spawnSync(process.execPath, [cliPath, 'demo', ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.is(r.status, 64, `${args.join(' ')}: ${r.status} ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.is(r.stdout, '', 'nothing started');
    assert.is(demoDirs(), before, 'no temp folder left');
  }
});

test('Ctrl-C drains: the summary is printed, exit 0, no forced exit, no folder left', async () => {
  const before = demoDirs();
  const child = spawn(process.execPath, [cliPath, 'demo', '--speed', '20'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d.toString()));
  child.stderr!.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  try {
    await until(() => /^ticks \d+/m.test(out) && !/^ticks 0 /m.test(out), 60_000, 'a status line with ticks');
    process.kill(-child.pid!, 'SIGINT'); // the terminal signals the whole foreground group
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 30_000))),
    ]);
    clearTimeout(timer);
    assert.is(code, 0, out.slice(-2000));
    assert.match(out, /persisted: \d+ trades, \d+ quotes, \d+ signals/);
    assert.not.match(out, /second signal|forcing exit|daemon exited with code [^0]/);
    assert.is(demoDirs(), before, 'the temp folder is removed');
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
});

test.run();
