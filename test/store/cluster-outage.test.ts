// A real 3-master Redis Cluster under the daemon: /health is 200 while it serves; with the master that holds
// the symbol's slot killed, /health turns 503 naming redis (the batches to that slot fail) and the log says so.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { freePort, shared, spawnCli, startRedisCluster, until } from '../helpers.js';
import { ticksKey } from '../../src/store/keys.js';

test('a killed cluster master is readiness 503 naming redis, and it is logged', async () => {
  const cluster = await startRedisCluster(3);
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-cluster-outage-'));
  const port = await freePort(),
    mport = await freePort();
  const sr = spawnCli([
    'serve-replay',
    shared('messages/binance-spot-session-20240809.log.gz'),
    '--port',
    String(port),
    '--rate',
    '2000',
    '--loop',
  ]);
  const cfg = path.join(dir, 'c.json');
  writeFileSync(cfg, JSON.stringify({ redis: { url: '', cluster: true, clusterNodes: cluster.nodes } }));
  const d = spawnCli(['run'], {
    CHRISTMAS_CONFIG: cfg,
    CHRISTMAS_FEED_URL: `ws://127.0.0.1:${port}/stream`,
    CHRISTMAS_DATABASE_URL: '',
    CHRISTMAS_SIGNAL_SOCKET: path.join(dir, 's.sock'),
    CHRISTMAS_SPOOL_DIR: path.join(dir, 'spool'),
    CHRISTMAS_METRICS_LISTEN: `127.0.0.1:${mport}`,
    CHRISTMAS_LOG_LEVEL: 'info',
  });
  const health = async () => {
    const r = await fetch(`http://127.0.0.1:${mport}/health`).catch(() => undefined);
    return r
      ? {
          status: r.status,
          body: (await r.json()) as { unhealthy: string[]; components: Record<string, { detail: string }> },
        }
      : undefined;
  };
  const probe = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) })));
  probe.on('error', () => undefined);
  try {
    await until(async () => (await health())?.status === 200, 40_000, '/health 200 with the cluster up');
    // The master that serves binance:BTCUSDT's slot.
    const slot = (await probe.cluster('KEYSLOT', ticksKey('binance', 'BTCUSDT'))) as number;
    const slots = (await probe.cluster('SLOTS')) as unknown as Array<[number, number, [string, number]]>;
    const owner = slots.find(([from, to]) => slot >= from && slot <= to)![2][1];
    await cluster.killNode(owner);
    let last: Awaited<ReturnType<typeof health>>;
    await until(
      async () => {
        last = await health();
        return last?.status === 503 && last.body.unhealthy.includes('redis');
      },
      30_000,
      '/health 503 naming redis with a master gone',
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last /health: ${JSON.stringify(last?.body)}; log: ${d.out().slice(-1500)}`);
    });
    assert.ok(last!.body.components.redis!.detail.length > 0);
    await until(() => /redis unhealthy/.test(d.out()), 5000, 'the outage is logged');
  } finally {
    probe.disconnect();
    d.child.kill('SIGTERM');
    sr.child.kill('SIGTERM');
    await d.exited;
    await cluster.stop();
  }
});

test.run();
