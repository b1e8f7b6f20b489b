// Starts a real redis-server (or a 3-master Redis Cluster) on free loopback ports in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { freePort, requireBinary, spawnTracked, stopChild, waitFor } from './process.js';
import { DependencyError } from '../../model/errors.js';

const HINT = 'install it with `apt-get install -y redis-server` (.ci/run and `make demo` do this when it is missing)';

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Kill -9 (simulated crash). */
  kill(): Promise<void>;
  /** Start again on the same port and folder. */
  restart(): Promise<void>;
  pause(): void;
  resume(): void;
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    let buf = '';
    s.setTimeout(500, () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) {
        s.destroy();
        resolve(buf.startsWith('+PONG'));
      }
    });
  });
}

function launch(bin: string, port: number, dir: string, extra: string[]): { child: ChildProcess; log: () => string } {
  let out = '';
  const child = spawnTracked(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => {
    out = (out + d.toString()).slice(-2000);
  });
  child.stderr!.on('data', (d) => {
    out = (out + d.toString()).slice(-2000);
  });
  return { child, log: () => out };
}

export async function startRedis(opts: { extraArgs?: string[]; port?: number } = {}): Promise<RedisServer> {
  const bin = requireBinary('redis-server', HINT);
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-redis-'));
  const port = opts.port ?? (await freePort());
  const extra = opts.extraArgs ?? [];
  let { child, log } = launch(bin, port, dir, extra);
  await waitFor(() => ping(port), 10_000, `redis-server on port ${port}`, child, log);
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    dir,
    child,
    async stop() {
      server.resume();
      await stopChild(server.child);
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      server.resume();
      await stopChild(server.child, 'SIGKILL');
    },
    async restart() {
      ({ child, log } = launch(bin, port, dir, extra));
      server.child = child;
      await waitFor(() => ping(port), 10_000, `redis-server on port ${port}`, child, log);
    },
    pause() {
      server.child.kill('SIGSTOP');
    },
    resume() {
      if (server.child.exitCode === null) server.child.kill('SIGCONT');
    },
  };
  return server;
}

export interface RedisCluster {
  ports: number[];
  nodes: string[];
  /** Kills the master on this port (an outage of its slots). */
  killNode(port: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const cli = requireBinary('redis-cli', HINT);
  const servers: RedisServer[] = [];
  for (let i = 0; i < masters; i++) {
    servers.push(
      await startRedis({
        extraArgs: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${i}.conf`,
          '--cluster-node-timeout',
          '2000',
        ],
      }),
    );
  }
  const nodes = servers.map((s) => `127.0.0.1:${s.port}`);
  const r = spawnSync(cli, ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new DependencyError(`redis-cli --cluster create failed: ${r.stdout}${r.stderr}`);
  // Wait until every node reports cluster_state:ok.
  for (const s of servers) {
    await waitFor(
      async () =>
        spawnSync(cli, ['-p', String(s.port), 'cluster', 'info'], { encoding: 'utf8' }).stdout.includes(
          'cluster_state:ok',
        ),
      15_000,
      'redis cluster state ok',
    );
  }
  return {
    ports: servers.map((s) => s.port),
    nodes,
    async killNode(port: number) {
      await servers.find((s) => s.port === port)?.kill();
    },
    async stop() {
      for (const s of servers) await s.stop();
    },
  };
}
