// Allocates signal sequence numbers that are strictly increasing per instance and never repeat after a
// restart: blocks of numbers are reserved in a file (written and fsynced before use). Every number handed out
// is also stored in a checkpoint file (`<file>.last`, native/checkpoint.ts: a store into a shared mapping,
// which survives the process being killed). After a crash of the process on the same boot the next run
// continues right after the last number handed out, so a resuming router sees no gap of numbers that never
// existed; after a machine crash (another boot id: the checkpoint may be stale) it starts past the whole
// reserved block. A floor from the database (max persisted seq) also counts. The next block is reserved ahead,
// off the main thread, once half of the current one is used, so the hot path never waits on an fsync; only if
// that has not finished when the block runs out is it done inline.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';
import { bootIdHash, openCheckpoint, readCheckpoint, type Checkpoint } from '../native/checkpoint.js';

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
    opts: { native?: boolean } = {},
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    let saved = 0;
    try {
      saved = Number(readFileSync(file, 'utf8').trim()) || 0;
    } catch {
      /* first run */
    }
    const [last, boot] = readCheckpoint(`${file}.last`, 2) as [number, number];
    const sameBoot = boot === bootIdHash() && last >= 0 && last <= saved;
    this.next = Math.max(sameBoot ? last : saved, floor) + 1;
    this.reservedUpTo = Math.max(saved, this.next - 1);
    this.checkpoint = openCheckpoint(`${file}.last`, 2, { native: opts.native });
    this.checkpoint.set(1, bootIdHash());
    this.checkpoint.set(0, this.next - 1);
  }
  private readonly checkpoint: Checkpoint;

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
    this.checkpoint.set(0, this.next);
    return this.next++;
  }

  /** Resolves once no reservation is being written (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.ahead) await this.ahead;
  }

  /** On a clean stop, record the last seq used so the next run continues right after it. */
  close(): void {
    this.reserveSync(this.last);
    this.checkpoint.set(0, this.last);
    this.checkpoint.close();
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
