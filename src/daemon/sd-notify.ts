// systemd integration: READY=1 once started, STOPPING=1 on drain, and WATCHDOG=1 pings from the event
// loop only while the loop and the feeds are healthy (a stalled loop or a dead feed lets systemd restart us).
import { sdNotify } from '../native/notify.js';
import type { Logger } from '../telemetry/logger.js';

export class SdNotifier {
  private readonly socket = process.env.NOTIFY_SOCKET;
  private watchdog: NodeJS.Timeout | undefined;
  constructor(private readonly log: Logger) {}

  get enabled(): boolean {
    return !!this.socket;
  }

  notify(message: string): boolean {
    if (!this.socket) return false;
    const ok = sdNotify(this.socket, message);
    if (!ok) this.log.warn({ message }, 'sd_notify failed');
    return ok;
  }

  /** Pings WATCHDOG=1 at half of WatchdogSec while `healthy()` holds. */
  startWatchdog(healthy: () => boolean): void {
    const usec = Number(process.env.WATCHDOG_USEC ?? 0);
    const pid = Number(process.env.WATCHDOG_PID ?? process.pid);
    if (!this.socket || !(usec > 0) || pid !== process.pid) return;
    const everyMs = Math.max(100, Math.floor(usec / 1000 / 2));
    this.watchdog = setInterval(() => {
      if (healthy()) this.notify('WATCHDOG=1');
      else this.log.warn('unhealthy: withholding the systemd watchdog ping');
    }, everyMs);
    this.watchdog.unref();
    this.log.info({ everyMs }, 'systemd watchdog enabled');
  }

  stop(): void {
    clearInterval(this.watchdog);
  }
}
