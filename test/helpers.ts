// Shared test helpers: paths to the repo and shared data, real servers, small async utilities.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
export { startRedis, startRedisCluster } from '../src/daemon/embedded/redis.js';
export { startPostgres } from '../src/daemon/embedded/postgres.js';
export { freePort } from '../src/daemon/embedded/process.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');

/** A file under ../shared/data; fails loudly when the shared data is not beside the clone. */
export function shared(rel: string): string {
  const p = path.join(sharedData, rel);
  if (!existsSync(p)) throw new Error(`shared data file missing: ${p} (CI keeps ../shared beside the clone)`);
  return p;
}

export const cliPath = path.join(repoRoot, 'dist', 'src', 'daemon', 'cli.js');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(20);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function close(a: number, b: number, rel = 1e-9, abs = 1e-12): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));
}

export interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

/** Spawns the real CLI; output (stdout + stderr, last few MB) is kept for assertions. */
export function spawnCli(args: string[], env: Record<string, string> = {}): Proc {
  return spawnNode(cliPath, args, env);
}

/** Spawns a Node script (e.g. a built bench tool under dist/); output kept as spawnCli keeps it. */
export function spawnNode(script: string, args: string[], env: Record<string, string> = {}): Proc {
  let out = '';
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const take = (d: Buffer) => {
    out = out.length > 4e6 ? out.slice(-2e6) + d.toString() : out + d.toString();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => r(code ?? (sig ? 128 : null))));
  return { child, out: () => out, exited };
}
