// Strict number parsing for venue fields: a decimal string or number, finite, else a FrameError.
import { FrameError } from '../model/errors.js';

/** Parses a venue's decimal field. Number() (not parseFloat) so "0.-10000" is rejected, not read as 0. */
export function decimal(v: unknown, field: string): number {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && v.length > 0 && v.length < 40) n = Number(v);
  else throw new FrameError('bad-field', `field ${field}: expected a decimal, got ${typeof v}`);
  if (!Number.isFinite(n))
    throw new FrameError('bad-number', `field ${field}: not a finite number (${String(v).slice(0, 40)})`);
  return n;
}

export function positive(v: unknown, field: string): number {
  const n = decimal(v, field);
  if (!(n > 0)) throw new FrameError('bad-number', `field ${field}: expected > 0, got ${n}`);
  return n;
}

export function nonNegative(v: unknown, field: string): number {
  const n = decimal(v, field);
  if (n < 0) throw new FrameError('bad-number', `field ${field}: expected >= 0, got ${n}`);
  return n;
}

/** Epoch milliseconds (number) -> ns. */
export function msToNs(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw new FrameError('bad-field', `field ${field}: expected epoch ms`);
  return v * 1e6;
}

/** RFC 3339 timestamp with up to ns digits -> epoch ns (µs-exact). */
export function isoToNs(v: unknown, field: string): number {
  if (typeof v !== 'string') throw new FrameError('bad-field', `field ${field}: expected an RFC 3339 time`);
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(v);
  if (!m) throw new FrameError('bad-field', `field ${field}: expected an RFC 3339 UTC time, got ${v.slice(0, 40)}`);
  const ms = Date.parse(m[1]! + 'Z');
  if (!Number.isFinite(ms) || ms <= 0) throw new FrameError('bad-field', `field ${field}: bad time ${v.slice(0, 40)}`);
  const frac = (m[2] ?? '').padEnd(9, '0');
  return ms * 1e6 + Number(frac);
}

/** Trade/update id: a safe integer, or -1 when the venue's id is not one (UUIDs, > 2^53). */
export function idOf(v: unknown): number {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : -1;
  if (typeof v === 'string' && /^\d{1,16}$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : -1;
  }
  return -1;
}

export function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64)
    throw new FrameError('bad-field', `field ${field}: expected a symbol string`);
  return v;
}

export function parseJson(frame: string): unknown {
  try {
    return JSON.parse(frame);
  } catch {
    throw new FrameError('bad-json', 'frame is not valid JSON');
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
