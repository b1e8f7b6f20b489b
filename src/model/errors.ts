// Every error class the engine throws, each with a stable code that logs, metrics and tests rely on.

export abstract class ChristmasError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad configuration; the CLI exits with EX_CONFIG (78). */
export class ConfigError extends ChristmasError {
  readonly code = 'E_CONFIG';
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(oneLine(`config ${key}: got ${describeValue(value)}, expected ${expected}`), { key, expected });
  }
}

/** A frame the feed could not turn into ticks. */
export class FrameError extends ChristmasError {
  readonly code = 'E_FRAME';
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
  constructor(readonly path: string) {
    super(`signal socket ${path} is in use by a live process`, { path });
  }
}

/** The database schema is newer than this build understands. */
export class SchemaVersionError extends ChristmasError {
  readonly code = 'E_SCHEMA_VERSION';
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
}

/** A command-line usage error; exit code 64 (EX_USAGE). */
export class UsageError extends ChristmasError {
  readonly code = 'E_USAGE';
}

/** A required external program or server is missing. */
export class DependencyError extends ChristmasError {
  readonly code = 'E_DEPENDENCY';
}

export const EXIT_USAGE = 64;
export const EXIT_CONFIG = 78;

// eslint-disable-next-line no-control-regex -- control characters are exactly what oneLine escapes
const CONTROL_CHARS = /[\u0000-\u001f\u007f\u2028\u2029]/g;

/** Escapes control characters (a key such as "a\\nb" from a hostile config file) so a message stays on one line. */
function oneLine(text: string): string {
  return text.replace(CONTROL_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
