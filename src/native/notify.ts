// sd_notify: one datagram to systemd's NOTIFY_SOCKET. Native code sends it from this process (Node has no unix
// datagram sockets); without the native module, systemd-notify sends it for us. OS glue, not an indicator
// kernel: used even when CHRISTMAS_NO_NATIVE forces the TypeScript kernels.
import { spawnSync } from 'node:child_process';
import { nativeModule } from './index.js';

/** Sends `message` to the socket at `socketPath` ("@name" = abstract); true when sent. */
export function sdNotify(socketPath: string, message: string): boolean {
  const mod = nativeModule().mod;
  if (mod) return mod.sdNotify(socketPath, message);
  const r = spawnSync('systemd-notify', ['--pid=' + process.pid, ...message.split('\n').filter(Boolean)], {
    env: { ...process.env, NOTIFY_SOCKET: socketPath },
    stdio: 'ignore',
    timeout: 2000,
  });
  return r.status === 0;
}
