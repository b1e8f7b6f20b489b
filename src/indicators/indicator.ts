// The streaming-indicator contract: name, update (O(1), no allocation), value, ready, reset, snapshot/restore.
// snapshot() deep-copies the instance's own state (numbers, typed arrays, nested indicators, value objects)
// into a plain object; restore() writes it back, so warm indicators survive a restart.
import { InputError } from '../model/errors.js';

type State = Record<string, unknown>;

function capture(v: unknown): unknown {
  if (v instanceof Float64Array) return { __f64: Array.from(v) };
  if (v instanceof Streaming) return v.snapshot();
  if (Array.isArray(v)) return v.map(capture);
  if (v !== null && typeof v === 'object') {
    const o: State = {};
    for (const [k, x] of Object.entries(v)) o[k] = capture(x);
    return o;
  }
  return typeof v === 'number' && !Number.isFinite(v) ? { __num: String(v) } : v;
}

function apply(target: State, key: string, s: unknown): void {
  const cur = target[key];
  if (cur instanceof Float64Array) {
    const arr = (s as { __f64: number[] }).__f64;
    target[key] = arr.length === cur.length ? (cur.set(arr), cur) : Float64Array.from(arr);
  } else if (cur instanceof Streaming) cur.restore(s as State);
  else if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
    for (const [k, x] of Object.entries(s as State)) apply(cur as State, k, x);
  } else if (s !== null && typeof s === 'object' && '__num' in (s as State)) target[key] = Number((s as State).__num);
  else target[key] = s;
}

export abstract class Streaming {
  /** Number of updates taken so far. */
  count = 0;
  /** The indicator and its window, e.g. `EMA(12)` (logs, errors, the SDK's introspection). */
  get name(): string {
    const p = (this as { period?: unknown }).period;
    return typeof p === 'number' ? `${this.constructor.name}(${p})` : this.constructor.name;
  }
  abstract get ready(): boolean;
  abstract reset(): void;
  snapshot(): State {
    return capture({ ...this }) as State;
  }
  restore(s: State): void {
    for (const [k, v] of Object.entries(s)) apply(this as unknown as State, k, v);
  }
}

export function finite(x: number, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new InputError(`${what} must be a finite number, got ${String(x)}`);
  return x;
}

export function nonNegative(x: number, what: string): number {
  if (typeof x !== 'number' || !(x >= 0) || x === Infinity)
    throw new InputError(`${what} must be a finite number >= 0, got ${String(x)}`);
  return x;
}

export function checkPeriod(n: number, what = 'period'): number {
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new InputError(`${what} must be an integer from 1 to 1000000, got ${String(n)}`);
  return n;
}
