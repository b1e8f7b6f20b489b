// Allocates signal sequence numbers that are strictly increasing per instance and never repeat after a
// restart: blocks of numbers are reserved in a file (written and fsynced before use); after a crash the
// next run starts past the whole reserved block. A floor from the database (max persisted seq) also counts.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export class SeqAllocator {
  private next: number;
  private reservedUpTo: number;
  constructor(private readonly file: string, private readonly block = 10_000, floor = 0) {
    mkdirSync(path.dirname(file), { recursive: true });
    let saved = 0;
    try { saved = Number(readFileSync(file, 'utf8').trim()) || 0; } catch { /* first run */ }
    this.next = Math.max(saved, floor) + 1;
    this.reservedUpTo = this.next - 1;
  }

  /** The last seq handed out (0 before the first). */
  get last(): number { return this.next - 1; }

  take(): number {
    if (this.next > this.reservedUpTo) this.reserve(this.next + this.block - 1);
    return this.next++;
  }

  /** On a clean stop, record the last seq used so the next run continues right after it. */
  close(): void { this.reserve(this.last); }

  private reserve(upTo: number): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o640);
    writeSync(fd, `${upTo}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
    this.reservedUpTo = upTo;
  }
}
