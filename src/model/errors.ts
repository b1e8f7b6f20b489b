// Every error class the engine throws, each with a stable code that logs, metrics and tests rely on, and
// whether trying the same thing again can succeed (`retryable`: a server that may come back, a task that may
// fit next time) or cannot without a change by someone (fatal: bad config, bad input, a newer schema).

export abstract class ChristmasError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  /**
   * Structured context for logs. Not named `details`: test runners (uvu) read `err.details` as an assertion
   * diff string, and an object there hides the failure's message.
   */
  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad configuration; the CLI exits with EX_CONFIG (78). */
export class ConfigError extends ChristmasError {
  readonly code = 'E_CONFIG';
  readonly retryable = false;
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(keyedMessage(key, value, expected), { key, expected });
  }
}

/** A frame the feed could not turn into ticks. */
export class FrameError extends ChristmasError {
  readonly code = 'E_FRAME';
  readonly retryable = false;
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message, { reason });
  }
}

/** The socket path is held by a live process. */
export class SocketInUseError extends ChristmasError {
  readonly code = 'E_SOCKET_IN_USE';
  readonly retryable = true;
  constructor(readonly path: string) {
    super(`signal socket ${path} is in use by a live process`, { path });
  }
}

/** The socket path holds something that is not a socket: never deleted. */
export class SocketPathError extends ChristmasError {
  readonly code = 'E_SOCKET_PATH';
  readonly retryable = false;
  constructor(
    readonly path: string,
    readonly found: string,
  ) {
    super(`socket path ${path} is ${found}; refusing to replace it`, { path, found });
  }
}

/** The database schema is newer than this build understands. */
export class SchemaVersionError extends ChristmasError {
  readonly code = 'E_SCHEMA_VERSION';
  readonly retryable = false;
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema version ${found} is newer than this build knows (${known}); upgrade christmas`, {
      found,
      known,
    });
  }
}

/** Bad input to an indicator (NaN, Infinity, negative size...). */
export class InputError extends ChristmasError {
  readonly code = 'E_INPUT';
  readonly retryable = false;
}

/** A command-line usage error; exit code 64 (EX_USAGE). */
export class UsageError extends ChristmasError {
  readonly code = 'E_USAGE';
  readonly retryable = false;
}

/** A required external program or server is missing. */
export class DependencyError extends ChristmasError {
  readonly code = 'E_DEPENDENCY';
  readonly retryable = false;
}

/** A strategy parameter out of range or inconsistent; stops the start like any config error (exit 78). */
export class StrategyParamError extends ChristmasError {
  readonly code = 'E_STRATEGY_PARAM';
  readonly retryable = false;
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(keyedMessage(key, value, expected), { key, expected });
  }
}

/** Live ticks outran a re-computation from history (its catch-up buffer filled); the reload goes cold. */
export class RewarmOverrunError extends ChristmasError {
  readonly code = 'E_REWARM_OVERRUN';
  readonly retryable = true;
  constructor(readonly maxBufferedTicks: number) {
    super(`live ticks outran the re-computation (over ${maxBufferedTicks} buffered)`, { maxBufferedTicks });
  }
}

/** A shared-memory ring (ticks or drafts) holds a record it cannot take or decode: a bug, never input. */
export class RingError extends ChristmasError {
  readonly code = 'E_RING';
  readonly retryable = false;
}

/** A crash a test asked for (compute shard or io thread); the supervisor restarts the thread. */
export class InjectedCrashError extends ChristmasError {
  readonly code = 'E_INJECTED_CRASH';
  readonly retryable = true;
}

/** The signal server refused or broke the protocol (client side). */
export class SignalProtocolError extends ChristmasError {
  readonly code = 'E_SIGNAL_PROTOCOL';
  readonly retryable = false;
  constructor(readonly reason: string) {
    super(`signal protocol: ${reason}`, { reason });
  }
}

/** A listening port or path could not be bound (EADDRINUSE, EACCES...). */
export class ListenError extends ChristmasError {
  readonly code = 'E_LISTEN';
  readonly retryable = false;
  constructor(
    readonly what: string,
    readonly reason: string,
  ) {
    super(`${what}: ${reason}`, { what, reason });
  }
}

/** A venue's REST depth snapshot failed (HTTP status, network, body); retried with backoff. */
export class SnapshotError extends ChristmasError {
  readonly code = 'E_SNAPSHOT';
  readonly retryable = true;
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs: number,
  ) {
    super(message, { status, retryAfterMs });
  }
}

/** A Redis pipeline failed as a whole (connection lost mid-batch); the batch is retried. */
export class StoreError extends ChristmasError {
  readonly code = 'E_STORE';
  readonly retryable = true;
}

/** A record read back from the spool is not one (the checksum matched, the content did not). */
export class SpoolRecordError extends ChristmasError {
  readonly code = 'E_SPOOL_RECORD';
  readonly retryable = false;
}

/**
 * A value the binary COPY encoder cannot write exactly. Carries PostgreSQL's SQLSTATE 22003 (numeric value out
 * of range) as `sqlState`, so the writer routes the batch row by row, where the server judges each row.
 */
export class EncodeError extends ChristmasError {
  readonly code = 'E_ENCODE';
  readonly retryable = false;
  readonly sqlState = '22003';
}

/** An error reported by another thread (the io thread), its code and retryability carried over. */
export class ThreadError extends ChristmasError {
  readonly code: string;
  readonly retryable: boolean;
  constructor(message: string, code: string, retryable: boolean) {
    super(message, { code });
    this.code = code;
    this.retryable = retryable;
  }
}

/** Something thrown that was not an Error (a rejected promise with a string): wrapped to be logged. */
export class UnexpectedError extends ChristmasError {
  readonly code = 'E_UNEXPECTED';
  readonly retryable = false;
}

/** A server the command needs is unreachable (Redis, PostgreSQL, the daemon's sockets); exit 69 (EX_UNAVAILABLE). */
export class UnavailableError extends ChristmasError {
  readonly code = 'E_UNAVAILABLE';
  readonly retryable = true;
}

/** An input file or folder is missing or is not a readable file; exit 66 (EX_NOINPUT). */
export class MissingInputError extends ChristmasError {
  readonly code = 'E_NO_INPUT';
  readonly retryable = false;
}

/** Reading or writing failed (a corrupt .gz, a full disk); exit 74 (EX_IOERR). */
export class IoError extends ChristmasError {
  readonly code = 'E_IO';
  readonly retryable = false;
}

export const EXIT_USAGE = 64;
export const EXIT_NO_INPUT = 66;
export const EXIT_UNAVAILABLE = 69;
export const EXIT_SOFTWARE = 70;
export const EXIT_IO = 74;
export const EXIT_CONFIG = 78;

// eslint-disable-next-line no-control-regex -- control characters are exactly what oneLine escapes
const CONTROL_CHARS = /[\u0000-\u001f\u007f\u2028\u2029]/g;

/** Escapes control characters (a key such as "a\\nb" from a hostile config file) so a message stays on one line. */
function oneLine(text: string): string {
  return text.replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `config <key>: got <value>, expected <what>`, on one line: the message of every error about a config key. */
function keyedMessage(key: string, value: unknown, expected: string): string {
  return oneLine(`config ${key}: got ${describeValue(value)}, expected ${expected}`);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return String(value);
  }
}
