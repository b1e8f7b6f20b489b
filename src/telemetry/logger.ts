// pino logger. Where the lines go (DESIGN.md §7): `run` under systemd (JOURNAL_STREAM set) writes to stdout, each
// line prefixed with its syslog priority (`<4>` for warn...) so journald files it at the right level; every
// other command, and `run` outside systemd, writes to stderr (stdout carries data). Pretty (pino-pretty) when
// the destination is a terminal or log.pretty asks for it; JSON lines otherwise.
import { pino, type Logger, type Level } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: Level | 'silent';
  /** true: always pretty; false/undefined: pretty only when the destination is a terminal. */
  pretty?: boolean;
  /** 'journal-or-stderr' (run): stdout with priorities under systemd, else stderr. Default 'stderr'. */
  target?: 'stderr' | 'journal-or-stderr';
  name?: string;
}

/** pino level -> syslog priority (sd-daemon(3) prefixes: crit, err, warning, info, debug). */
function priorityOf(line: string): number {
  const m = /^\{"level":(\d+)/.exec(line);
  const level = m ? Number(m[1]) : 30;
  return level >= 60 ? 2 : level >= 50 ? 3 : level >= 40 ? 4 : level >= 30 ? 6 : 7;
}

export function createLogger(opts: LoggerOptions): Logger {
  const base = { level: opts.level, name: opts.name ?? 'christmas' };
  const journal = opts.target === 'journal-or-stderr' && !!process.env.JOURNAL_STREAM;
  const fd = journal ? 1 : 2;
  const tty = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  if (!journal && (opts.pretty || tty)) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: fd, colorize: !!tty } } });
  }
  const dest = pino.destination({ fd, sync: false });
  if (!journal) return pino(base, dest);
  return pino(base, {
    write(line: string) {
      dest.write(`<${priorityOf(line)}>${line}`);
    },
  });
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
