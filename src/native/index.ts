// The one loader for the N-API module: native when built and allowed, else the TypeScript fallback of the same
// signatures. CHRISTMAS_NO_NATIVE=1 or `native.disabled` in config (useNativeKernels(false)) forces the fallback
// for the kernels and the L2 books (newBook); `kernels().kind` tells which one is in use. sd_notify (notify.ts) loads through here too.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernels } from './kernels.js';
import { fallbackKernels } from './fallback.js';
import type { L2Book } from '../book/book.js';
import { TsBook } from '../book/ts-book.js';

export type { Kernels } from './kernels.js';
export { fallbackKernels } from './fallback.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const nativeModulePath = path.join(root, 'build', 'Release', 'christmas_native.node');

/** Everything the native module exports: the kernels and the OS glue. */
export interface NativeModule extends Kernels {
  sdNotify(socketPath: string, message: string): boolean;
  /** The file (created, grown to `bytes`) mapped shared as an ArrayBuffer (checkpoint.ts). */
  mapFile(path: string, bytes: number): ArrayBuffer;
  /** The L2 book (native/book.cc), the same contract as book/ts-book.ts. */
  NativeBook: new (capacity?: number) => L2Book;
  /** CLOCK_REALTIME minus CLOCK_MONOTONIC in ns, read at ns precision (native/clock.cc). */
  clockOffsetNs(): bigint;
}

export interface LoadedKernels {
  kernels: Kernels;
  kind: 'native' | 'typescript';
  reason: string;
}

let module_: { mod?: NativeModule; reason: string } | undefined;
/** The native module itself, or why there is none (loaded once per thread). */
export function nativeModule(): { mod?: NativeModule; reason: string } {
  if (module_) return module_;
  if (!existsSync(nativeModulePath)) module_ = { reason: `not built (${nativeModulePath} missing; run make build)` };
  else
    try {
      module_ = { mod: createRequire(import.meta.url)(nativeModulePath) as NativeModule, reason: nativeModulePath };
    } catch (err) {
      module_ = { reason: `load failed: ${(err as Error).message}` };
    }
  return module_;
}

/** Loads the kernels; never throws (a load failure falls back and says why). */
export function loadKernels(opts: { disabled?: boolean } = {}): LoadedKernels {
  const disabled = opts.disabled ?? (configuredDisabled || process.env.CHRISTMAS_NO_NATIVE === '1');
  if (disabled)
    return {
      kernels: fallbackKernels,
      kind: 'typescript',
      reason: 'disabled (CHRISTMAS_NO_NATIVE=1 or native.disabled)',
    };
  const m = nativeModule();
  return m.mod
    ? { kernels: m.mod, kind: 'native', reason: m.reason }
    : { kernels: fallbackKernels, kind: 'typescript', reason: m.reason };
}

let configuredDisabled = false;
let cached: LoadedKernels | undefined;

/** `native.disabled` from config: applies to every later kernels() call in this thread. */
export function useNativeKernels(allowed: boolean): void {
  if (configuredDisabled === !allowed) return;
  configuredDisabled = !allowed;
  cached = undefined;
}

/** Process-wide kernels, chosen once (again after useNativeKernels changes the choice). */
export function kernels(): LoadedKernels {
  cached ??= loadKernels();
  return cached;
}

/** A new, empty L2 book: the native one when the kernels are native, else the TypeScript one. */
export function newBook(capacity?: number): L2Book {
  const Native = kernels().kind === 'native' ? nativeModule().mod?.NativeBook : undefined;
  return Native ? new Native(capacity) : new TsBook(capacity);
}
