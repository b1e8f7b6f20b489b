// Claims a Unix socket path for a server: a socket file left by a dead process is replaced, a live one is an
// error (SocketInUseError), and anything at the path that is not a socket (a regular file, a directory) is
// never deleted (SocketPathError).
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { SocketInUseError, SocketPathError } from '../model/errors.js';
import type { Logger } from '../telemetry/logger.js';

export async function claimSocketPath(p: string, what: string, log: Logger): Promise<void> {
  mkdirSync(path.dirname(p), { recursive: true });
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return; // nothing there
  }
  if (!st.isSocket()) throw new SocketPathError(p, st.isDirectory() ? 'a directory' : 'a file that is not a socket');
  const live = await new Promise<boolean>((resolve) => {
    const c = connect(p);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (live) throw new SocketInUseError(p);
  unlinkSync(p);
  log.info({ path: p }, `replaced a stale ${what} socket file`);
}
