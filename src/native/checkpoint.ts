// A few float64s in a file that survive the process being killed at any instant, at the cost of a store: the
// native module maps the file shared (a store reaches the page cache with no syscall); without it, each set is a
// pwrite of the 8 bytes. Same file layout either way (little-endian float64s from offset 0). Nothing is
// fsynced: a machine crash may lose the last values (callers tell that case apart by the boot id, bootIdHash).
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { nativeModule } from './index.js';

export interface Checkpoint {
  readonly kind: 'native' | 'typescript';
  get(i: number): number;
  set(i: number, v: number): void;
  close(): void;
}

/** Reads the values a checkpoint file holds (NaN where it has none). */
export function readCheckpoint(file: string, slots: number): number[] {
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch {
    return new Array<number>(slots).fill(NaN);
  }
  return Array.from({ length: slots }, (_, i) => (b.length >= (i + 1) * 8 ? b.readDoubleLE(i * 8) : NaN));
}

export function openCheckpoint(file: string, slots: number, opts: { native?: boolean } = {}): Checkpoint {
  const mod = opts.native === false ? undefined : nativeModule().mod;
  if (mod) {
    const view = new Float64Array(mod.mapFile(file, slots * 8));
    return {
      kind: 'native',
      get: (i) => view[i]!,
      set: (i, v) => {
        view[i] = v;
      },
      close: () => undefined, // unmapped when the buffer is collected
    };
  }
  // The same bytes as the mapping: a zero-filled file of `slots` float64s, written 8 bytes at a time.
  const mirror = Float64Array.from(readCheckpoint(file, slots), (v) => (Number.isNaN(v) ? 0 : v));
  const fd = openSync(file, existsSync(file) ? 'r+' : 'w+', 0o640);
  const buf = Buffer.alloc(8);
  const write = (i: number, v: number) => {
    mirror[i] = v;
    buf.writeDoubleLE(v, 0);
    writeSync(fd, buf, 0, 8, i * 8);
  };
  mirror.forEach((v, i) => write(i, v));
  return {
    kind: 'typescript',
    get: (i) => mirror[i]!,
    set: write,
    close: () => closeSync(fd),
  };
}

/** This boot of the machine as a number (the first 12 hex digits of the kernel's boot id); NaN if unknown. */
export function bootIdHash(): number {
  try {
    return parseInt(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').replace(/-/g, '').slice(0, 12), 16);
  } catch {
    return NaN;
  }
}
