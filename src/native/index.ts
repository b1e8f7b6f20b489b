// The one loader for the N-API module: native when built and allowed, else the TypeScript fallback.
// CHRISTMAS_NO_NATIVE=1 forces the fallback. `kernelsKind` tells which one is in use.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernels } from './kernels.js';
import { fallbackKernels } from './fallback.js';

export type { Kernels } from './kernels.js';
export { fallbackKernels } from './fallback.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const nativeModulePath = path.join(root, 'build', 'Release', 'christmas_native.node');

export interface LoadedKernels {
  kernels: Kernels;
  kind: 'native' | 'typescript';
  reason: string;
}

/** Loads the native kernels; never throws (a load failure falls back and says why). */
export function loadKernels(opts: { disabled?: boolean } = {}): LoadedKernels {
  const disabled = opts.disabled ?? process.env.CHRISTMAS_NO_NATIVE === '1';
  if (disabled)
    return {
      kernels: fallbackKernels,
      kind: 'typescript',
      reason: 'disabled (CHRISTMAS_NO_NATIVE=1 or native.disabled)',
    };
  if (!existsSync(nativeModulePath))
    return {
      kernels: fallbackKernels,
      kind: 'typescript',
      reason: `not built (${nativeModulePath} missing; run make build)`,
    };
  try {
    const mod = createRequire(import.meta.url)(nativeModulePath) as Kernels;
    return { kernels: mod, kind: 'native', reason: nativeModulePath };
  } catch (err) {
    return { kernels: fallbackKernels, kind: 'typescript', reason: `load failed: ${(err as Error).message}` };
  }
}

let cached: LoadedKernels | undefined;
/** Process-wide kernels, chosen once. */
export function kernels(): LoadedKernels {
  cached ??= loadKernels();
  return cached;
}
