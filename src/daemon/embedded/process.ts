// Child-process helpers for embedded servers: free loopback ports, binary lookup, waiting, stopping,
// and killing every child on exit so no server outlives the process that started it.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DependencyError } from '../../model/errors.js';

const children = new Set<ChildProcess>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of children) {
      try {
        if (c.pid) process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* not a group leader */
      }
      try {
        c.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
  });
}

function track(child: ChildProcess): ChildProcess {
  hookExit();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Spawns a server in its own process group: a terminal's Ctrl-C reaches the command that started it, which stops
 * it in order (the daemon drains into it first); the exit hook above kills the group if that command dies.
 */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
  return track(spawn(cmd, args, { detached: true, ...opts }));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function findBinary(name: string, extraDirs: string[] = []): string | undefined {
  for (const d of [...extraDirs, ...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/usr/local/bin']) {
    if (!d) continue;
    const p = path.join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function requireBinary(name: string, hint: string, extraDirs: string[] = []): string {
  const p = findBinary(name, extraDirs);
  if (!p)
    throw new DependencyError(`${name} not found on PATH or in ${extraDirs.join(', ') || 'the usual places'}: ${hint}`);
  return p;
}

export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  child?: ChildProcess,
  log?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new DependencyError(`${what} exited with code ${child.exitCode} while starting${log ? `: ${log()}` : ''}`);
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new DependencyError(`${what} did not become ready within ${timeoutMs} ms${log ? `: ${log()}` : ''}`);
}

export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

/** uid/gid of an unprivileged account for servers that refuse to run as root (PostgreSQL). */
export function unprivilegedUser(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'christmas']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status === 0) {
      const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
      return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()), name };
    }
  }
  const add = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'christmas'], {
    encoding: 'utf8',
  });
  if (add.status !== 0)
    throw new DependencyError(
      `running as root and no unprivileged user for PostgreSQL: useradd christmas failed: ${add.stderr.trim()}`,
    );
  return unprivilegedUser();
}
