// Process lifecycle: SIGTERM/SIGINT drain within the configured deadline then exit 0 (1 if the deadline
// passed); a second signal forces exit; SIGHUP reloads; an unhandled error is logged with context and
// exits non-zero so systemd restarts the daemon.
import type { Logger } from '../telemetry/logger.js';
import { UnexpectedError } from '../model/errors.js';

export interface LifecycleHooks {
  drain: () => Promise<void>;
  reload?: () => void;
  deadlineMs: number;
  log: Logger;
}

export function installLifecycle(h: LifecycleHooks): { shutdown: (why: string) => void } {
  let stopping = false;
  const shutdown = (why: string) => {
    if (stopping) {
      h.log.error({ signal: why }, 'second signal: forcing exit');
      h.log.flush?.();
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    h.log.info({ signal: why, deadlineMs: h.deadlineMs }, 'draining');
    const hard = setTimeout(() => {
      h.log.error({ deadlineMs: h.deadlineMs }, 'drain deadline passed: exiting with work left');
      h.log.flush?.();
      process.exit(1);
    }, h.deadlineMs + 500);
    hard.unref();
    h.drain().then(
      () => {
        h.log.info({ ms: Date.now() - started }, 'drained; exiting');
        h.log.flush?.();
        setImmediate(() => process.exit(0));
      },
      (err: Error) => {
        h.log.fatal({ err: err.message, stack: err.stack }, 'drain failed');
        h.log.flush?.();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    if (h.reload) {
      try {
        h.reload();
      } catch (err) {
        h.log.error({ err: (err as Error).message }, 'reload failed; keeping the running configuration');
      }
    }
  });
  process.on('uncaughtException', (err) => {
    h.log.fatal({ err: err.message, stack: err.stack }, 'uncaught exception');
    h.log.flush?.();
    process.exit(70);
  });
  process.on('unhandledRejection', (reason) => {
    const err = reason instanceof Error ? reason : new UnexpectedError(String(reason));
    h.log.fatal({ err: err.message, stack: err.stack }, 'unhandled promise rejection');
    h.log.flush?.();
    process.exit(70);
  });
  return { shutdown };
}
