// pino logger: JSON lines to stdout (journald) or stderr when stdout carries data; pretty only when asked.
import { pino, type Logger, type Level } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: Level | 'silent';
  pretty?: boolean;
  /** 1 = stdout (default), 2 = stderr (used when stdout carries --print output). */
  fd?: 1 | 2;
  name?: string;
}

export function createLogger(opts: LoggerOptions): Logger {
  const fd = opts.fd ?? 1;
  const base = { level: opts.level, name: opts.name ?? 'christmas' };
  if (opts.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: fd, colorize: false } } });
  }
  return pino(base, pino.destination({ fd, sync: false }));
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Logs at most once per `intervalMs` per key; counts what it held back and reports it with the next line. */
export class RateLimitedLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    private readonly log: Logger,
    private readonly intervalMs = 5000,
  ) {}
  warn(key: string, obj: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    const e = this.last.get(key);
    if (e && now - e.at < this.intervalMs) {
      e.suppressed++;
      return;
    }
    this.log.warn({ ...obj, suppressedSinceLast: e?.suppressed ?? 0 }, msg);
    this.last.set(key, { at: now, suppressed: 0 });
  }
}
