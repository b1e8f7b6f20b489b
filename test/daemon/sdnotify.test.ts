// systemd integration: with NOTIFY_SOCKET set, the daemon sends READY=1 after start-up, WATCHDOG=1 at half
// of WATCHDOG_USEC while healthy, and STOPPING=1 when it drains. A python3 datagram receiver stands in for
// systemd (Node has no unix datagram sockets).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shared, freePort, until, spawnCli } from '../helpers.js';

/** A python3 datagram socket standing in for systemd's NOTIFY_SOCKET; `got()` is everything it received. */
async function notifyReceiver(): Promise<{
  dir: string;
  sock: string;
  got: () => string;
  rx: ReturnType<typeof spawn>;
}> {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-notify-'));
  const sock = path.join(dir, 'notify.sock');
  let got = '';
  const code = `import socket,sys
s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); print('bound', flush=True)
while True:
  d=s.recv(4096); print(d.decode(), flush=True)`;
  const rx = spawn('python3', ['-u', '-c', code, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  rx.stdout!.on('data', (d) => {
    got += d.toString();
  });
  await until(
    () => got.includes('bound'),
    10_000,
    'python3 datagram receiver (python3 is on every Debian machine this runs on)',
  );
  return { dir, sock, got: () => got, rx };
}

test('READY=1, WATCHDOG=1 pings and STOPPING=1 reach NOTIFY_SOCKET', async () => {
  const { dir, sock, got, rx } = await notifyReceiver();
  const port = await freePort();
  const feed = spawnCli([
    'serve-replay',
    shared('messages/binance-spot-trade.jsonl'),
    '--port',
    String(port),
    '--rate',
    '500',
    '--loop',
  ]);
  await until(() => feed.out().includes('listening'), 15_000, 'replay server');
  const d = spawnCli(['run'], {
    NOTIFY_SOCKET: sock,
    WATCHDOG_USEC: '400000',
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_REDIS_URL: '',
    CHRISTMAS_DATABASE_URL: '',
    CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 's.sock'),
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool'),
    CHRISTMAS_METRICS_LISTEN: '',
    CHRISTMAS_LOG_LEVEL: 'info',
  });
  try {
    await until(() => got().includes('READY=1'), 15_000, 'READY=1');
    await until(() => (got().match(/WATCHDOG=1/g) ?? []).length >= 3, 10_000, 'three watchdog pings (every 200 ms)');
    d.child.kill('SIGTERM');
    assert.is(await d.exited, 0);
    await until(() => got().includes('STOPPING=1'), 5000, 'STOPPING=1');
    assert.ok(got().indexOf('READY=1') < got().indexOf('STOPPING=1'));
  } finally {
    feed.child.kill('SIGTERM');
    rx.kill('SIGKILL');
    if (d.child.exitCode === null) d.child.kill('SIGKILL');
  }
});

test('a silent venue is readiness, never the watchdog: pings go on, /health names the feed, /health/live stays 200', async () => {
  const { dir, sock, got, rx } = await notifyReceiver();
  const port = await freePort(),
    metricsPort = await freePort();
  const feed = spawnCli([
    'serve-replay',
    shared('messages/binance-spot-trade.jsonl'),
    '--port',
    String(port),
    '--rate',
    '500',
    '--loop',
  ]);
  await until(() => feed.out().includes('listening'), 15_000, 'replay server');
  const d = spawnCli(['run', '--set', 'feeds.0.staleAfterMs=500'], {
    NOTIFY_SOCKET: sock,
    WATCHDOG_USEC: '400000',
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_REDIS_URL: '',
    CHRISTMAS_DATABASE_URL: '',
    CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 's.sock'),
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool'),
    CHRISTMAS_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
    CHRISTMAS_LOG_LEVEL: 'info',
  });
  const get = async (p: string) => {
    const r = await fetch(`http://127.0.0.1:${metricsPort}${p}`);
    return { status: r.status, body: await r.text() };
  };
  try {
    await until(() => got().includes('READY=1'), 15_000, 'READY=1');
    await until(
      async () => {
        try {
          return (await get('/health')).status === 200;
        } catch {
          return false;
        }
      },
      15_000,
      'ready with the venue up',
    );
    feed.child.kill('SIGKILL'); // the venue goes away: no frames, reconnects refused
    await until(async () => (await get('/health')).status === 503, 10_000, 'readiness 503 with the venue gone');
    const h = await get('/health');
    assert.match(h.body, /"feed"/, h.body);
    const before = (got().match(/WATCHDOG=1/g) ?? []).length;
    await new Promise((r) => setTimeout(r, 2000));
    const pings = (got().match(/WATCHDOG=1/g) ?? []).length - before;
    assert.ok(pings >= 5, `the watchdog kept beating through the outage (${pings} pings in 2 s, one every 200 ms)`);
    assert.is((await get('/health/live')).status, 200, 'alive');
    assert.is((await get('/health')).status, 503, 'still not ready');
    d.child.kill('SIGTERM');
    assert.is(await d.exited, 0);
  } finally {
    feed.child.kill('SIGKILL');
    rx.kill('SIGKILL');
    if (d.child.exitCode === null) d.child.kill('SIGKILL');
  }
});

test.run();
