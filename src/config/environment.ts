// Start-up checks of what the config points at, before anything starts: every directory the process will write
// (spool, signal seq file, socket, recordings) exists or can be made and takes a write, none is under a
// kernel filesystem (/proc, /sys, /dev), listen addresses have a port from 0 to 65535, and `run` has a feed.
// Each failure is a ConfigError naming the key (exit 78, one line).
import { closeSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../model/errors.js';
import type { ChristmasConfig } from './types.js';

const KERNEL_FS = ['/proc', '/sys', '/dev'];

/** A directory that exists (or is made) and takes a file written, fsynced and removed. */
function writableDir(key: string, dir: string): void {
  const abs = path.resolve(dir);
  if (KERNEL_FS.some((k) => abs === k || abs.startsWith(k + '/'))) throw new ConfigError(key, dir, 'a directory on a real filesystem (not /proc, /sys or /dev)');
  const probe = path.join(abs, `.christmas-write-probe-${process.pid}`);
  try {
    mkdirSync(abs, { recursive: true });
    const fd = openSync(probe, 'w', 0o600);
    try { writeSync(fd, 'probe'); fsyncSync(fd); } finally { closeSync(fd); }
    unlinkSync(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(key, dir, `a writable directory (${e.code ?? 'error'}: ${e.syscall ?? ''} ${e.path ?? abs})`.replace(/\s+\)/, ')'));
  }
}

/** "host:port" with a port from 0 (the kernel picks one) to 65535 (empty: disabled). */
function listenAddress(key: string, v: string): void {
  if (v === '') return;
  const port = Number(v.slice(v.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(key, v, 'host:port with a port from 0 (any free port) to 65535');
}

export interface EnvironmentNeeds {
  /** The command writes the spool (a database is configured and persistence is on). */
  spool: boolean;
  /** The command opens the signal socket (and its seq file). */
  socket: boolean;
  /** The command reads live feeds (run): at least one must be configured. */
  feeds: boolean;
}

export function checkEnvironment(cfg: ChristmasConfig, needs: EnvironmentNeeds): void {
  if (needs.feeds && cfg.feeds.length === 0) throw new ConfigError('feeds', [], 'at least one feed (run reads live feeds; replay takes files)');
  listenAddress('metrics.listen', cfg.metrics.listen);
  if (needs.spool || needs.socket) writableDir('spool.dir', cfg.spool.dir);
  if (needs.socket) {
    writableDir('signals.socket', path.dirname(cfg.signals.socket));
    if (cfg.signals.seqFile) writableDir('signals.seqFile', path.dirname(cfg.signals.seqFile));
  }
  if (cfg.record.dir) writableDir('record.dir', cfg.record.dir);
}
