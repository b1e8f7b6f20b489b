// Allocates signal sequence numbers that are strictly increasing per instance and never repeat after a
// restart: blocks of numbers are reserved in a file (written and fsynced before use); after a crash the
// next run starts past the whole reserved block. A floor from the database (max persisted seq) also counts.
// The next block is reserved ahead, off the main thread, once half of the current one is used, so the hot
// path never waits on an fsync; only if that has not finished when the block runs out is it done inline.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

export class SeqAllocator {
  private next: number;
  private reservedUpTo: number;
  private ahead: Promise<void> | undefined;
  /** Reservations made inline because the one ahead was late (a slow disk shows here). */
  inlineReservations = 0;
  constructor(
    private readonly file: string,
    private readonly block = 10_000,
    floor = 0,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    let saved = 0;
    try {
      saved = Number(readFileSync(file, 'utf8').trim()) || 0;
    } catch {
      /* first run */
    }
    this.next = Math.max(saved, floor) + 1;
    this.reservedUpTo = this.next - 1;
  }

  /** The last seq handed out (0 before the first). */
  get last(): number {
    return this.next - 1;
  }

  take(): number {
    if (this.next > this.reservedUpTo) {
      this.inlineReservations++;
      this.reserveSync(this.next + this.block - 1);
    } else if (this.ahead === undefined && this.reservedUpTo - this.next < this.block / 2)
      this.reserveAhead(this.reservedUpTo + this.block);
    return this.next++;
  }

  /** Resolves once no reservation is being written (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.ahead) await this.ahead;
  }

  /** On a clean stop, record the last seq used so the next run continues right after it. */
  close(): void {
    this.reserveSync(this.last);
  }

  private reserveSync(upTo: number): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o640);
    writeSync(fd, `${upTo}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
    this.reservedUpTo = upTo;
  }

  private reserveAhead(upTo: number): void {
    const tmp = `${this.file}.ahead`;
    this.ahead = (async () => {
      const fh = await open(tmp, 'w', 0o640);
      try {
        await fh.writeFile(`${upTo}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.file);
      if (upTo > this.reservedUpTo) this.reservedUpTo = upTo;
    })()
      .catch(() => {
        /* the inline path reserves (and reports errors) when the block runs out */
      })
      .finally(() => {
        this.ahead = undefined;
      });
  }
}

/** Replay's numbering: 1, 2, 3... per run, nothing kept. */
export class CountingSeq {
  last = 0;
  take(): number {
    return ++this.last;
  }
  close(): void {
    /* nothing kept */
  }
}
