// The benchmark's latency floors are only as good as their plumbing: the Atomics ping-pong must get each
// round's own answer, and the relay's thread hop (bench/e2e/relay.ts --hop) must forward every tick once, in
// order, and report its in-process latency, or the pool's "ratio to its floor" means nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, shared, sleep, spawnCli, spawnNode, until } from '../helpers.js';
import { pingPong } from '../../bench/e2e/pingpong.js';

test('ping-pong: every round gets its own answer; percentiles are ordered', async () => {
  const r = await pingPong(400, 0);
  assert.is(r.rounds, 400);
  assert.ok(r.p50Us > 0 && Number.isFinite(r.p50Us), `p50 ${r.p50Us}`);
  assert.ok(r.p99Us >= r.p50Us, `p99 ${r.p99Us} < p50 ${r.p50Us}`);
});

for (const variant of [[], ['--hop']] as const) {
  test(`relay ${variant.join(' ') || '(direct)'}: every trade reaches the socket client once, in order, and the in-process latency is reported`, async () => {
    const startedMs = Date.now();
    const dir = mkdtempSync(path.join(tmpdir(), 'christmas-floor-'));
    const port = await freePort();
    const sock = path.join(dir, 'relay.sock'),
      sendLog = path.join(dir, 'send'),
      recvLog = path.join(dir, 'recv');
    const server = spawnCli([
      'serve-replay',
      shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'),
      '--port',
      String(port),
      '--rate',
      '3000',
      '--loop',
      '--send-log',
      sendLog,
      '--ping-ms',
      '60000',
    ]);
    const node = (file: string, args: string[]) => spawnNode(path.join(repoRoot, 'dist', 'bench', 'e2e', file), args);
    try {
      await until(() => server.out().includes('listening'), 20_000, 'replay server');
      const relay = node('relay.js', [`ws://127.0.0.1:${port}/stream`, sock, ...variant]);
      await until(() => relay.out().includes('listening'), 10_000, 'relay');
      const client = node('client.js', [sock, recvLog]);
      await until(() => client.out().includes('connected'), 10_000, 'client');
      await sleep(2000);
      server.child.kill('SIGTERM');
      await server.exited;
      await sleep(300); // what is in flight arrives
      client.child.kill('SIGTERM');
      await client.exited;
      relay.child.kill('SIGTERM');
      await relay.exited;
      const sent = readFileSync(sendLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(l.split(' ')[0]));
      const lines = readFileSync(recvLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ').map(Number));
      const got = lines.map((f) => f[0]!);
      // Each signal carries the relay's receive and build times: the steady-state in-process figure comes from them.
      const inProcUs = lines.map((f) => (f[3]! - f[2]!) / 1000);
      assert.ok(
        inProcUs.every((d) => Number.isFinite(d) && d >= 0 && d < 10_000_000),
        `bad sender times: ${inProcUs
          .filter((d) => !(d >= 0 && d < 1e7))
          .slice(0, 3)
          .join(', ')}`,
      );
      assert.ok(got.length > 1000, `client got ${got.length} signals`);
      // The client joined mid-stream: from its first trade on, it must see exactly the trades sent, in order.
      const from = sent.indexOf(got[0]!);
      assert.ok(from >= 0, 'first received id was never sent');
      assert.equal(got, sent.slice(from, from + got.length), 'trades lost, repeated or reordered');
      assert.ok(
        from + got.length >= sent.length - 5,
        `${sent.length - from - got.length} trades sent after the client joined never arrived`,
      );
      const inproc = /^inproc (\{.*\})$/m.exec(relay.out());
      assert.ok(inproc, `no inproc line in: ${relay.out()}`);
      const j = JSON.parse(inproc![1]!) as { p50Us: number; p99Us: number; n: number };
      assert.ok(j.n >= got.length, `latency samples ${j.n} < delivered ${got.length}`);
      assert.ok(j.p50Us > 0 && j.p99Us >= j.p50Us, JSON.stringify(j));
      // Its minor GCs, as the e2e bench compares them with the daemon's: > 1000 signals allocate megabytes, so some.
      const gc = /^gc (\{.*\})$/m.exec(relay.out());
      assert.ok(gc, `no gc line in: ${relay.out()}`);
      const minor = (JSON.parse(gc![1]!) as { minor: Array<[number, number]> }).minor;
      assert.ok(minor.length > 0, 'no minor GC reported');
      assert.ok(
        minor.every(([atMs, ms]) => atMs >= startedMs - 1000 && atMs <= Date.now() && ms >= 0 && ms < 10_000),
        `bad GC entries: ${JSON.stringify(minor.slice(0, 3))}`,
      );
    } finally {
      server.child.kill('SIGKILL');
    }
  });
}

test.run();
