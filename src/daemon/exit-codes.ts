// What the CLI says and returns for an error that reached it: one line on stderr and a sysexits code (DESIGN.md
// §7: 64 usage, 66 missing input, 69 a service unavailable, 74 I/O error, 78 config); a stack trace only for an
// error nobody classified (70), or for any error with --debug.
import {
  ChristmasError,
  ConfigError,
  IoError,
  ListenError,
  MissingInputError,
  SchemaVersionError,
  SocketInUseError,
  SocketPathError,
  StrategyParamError,
  UnavailableError,
  UsageError,
  EXIT_CONFIG,
  EXIT_IO,
  EXIT_NO_INPUT,
  EXIT_SOFTWARE,
  EXIT_UNAVAILABLE,
  EXIT_USAGE,
} from '../model/errors.js';

const BY_NODE_CODE: Record<string, number> = {
  ENOENT: EXIT_NO_INPUT,
  EISDIR: EXIT_NO_INPUT,
  ENOTDIR: EXIT_NO_INPUT,
  EACCES: EXIT_NO_INPUT,
  ECONNREFUSED: EXIT_UNAVAILABLE,
  ECONNRESET: EXIT_UNAVAILABLE,
  ETIMEDOUT: EXIT_UNAVAILABLE,
  EHOSTUNREACH: EXIT_UNAVAILABLE,
  ENOTFOUND: EXIT_UNAVAILABLE,
  EAI_AGAIN: EXIT_UNAVAILABLE,
  EADDRINUSE: EXIT_UNAVAILABLE,
  EADDRNOTAVAIL: EXIT_UNAVAILABLE,
  Z_DATA_ERROR: EXIT_IO,
  Z_BUF_ERROR: EXIT_IO,
  EIO: EXIT_IO,
  ENOSPC: EXIT_IO,
};

export function exitFor(err: unknown, debug: boolean): { code: number; text: string } {
  const e = err as (Error & { code?: unknown }) | undefined;
  const stack = debug && e?.stack ? `\n${e.stack}` : '';
  const line = (code: number, msg: string) => ({ code, text: `christmas: ${msg}${stack}\n` });
  if (err instanceof ConfigError || err instanceof StrategyParamError) return line(EXIT_CONFIG, err.message);
  if (err instanceof SocketPathError || err instanceof SchemaVersionError) return line(EXIT_CONFIG, err.message);
  if (err instanceof UsageError) return line(EXIT_USAGE, err.message);
  if (err instanceof UnavailableError || err instanceof ListenError || err instanceof SocketInUseError)
    return line(EXIT_UNAVAILABLE, err.message);
  if (err instanceof MissingInputError) return line(EXIT_NO_INPUT, err.message);
  if (err instanceof IoError) return line(EXIT_IO, err.message);
  const nodeCode = typeof e?.code === 'string' ? e.code : undefined;
  if (nodeCode && BY_NODE_CODE[nodeCode] !== undefined) return line(BY_NODE_CODE[nodeCode]!, e!.message);
  if (err instanceof ChristmasError) return line(1, `${err.code}: ${err.message}`);
  if (debug) return { code: EXIT_SOFTWARE, text: `christmas: ${e?.stack ?? String(err)}\n` };
  return line(EXIT_SOFTWARE, `internal error: ${e?.message ?? String(err)} (run with --debug for the stack trace)`);
}
