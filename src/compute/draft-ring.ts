// Shared-memory ring carrying signal drafts from one shard worker (single producer) back to the main thread
// (single consumer), instead of a postMessage per batch (DESIGN.md §3). Records are [u32 length][draft-codec
// layout], encoded and decoded in place, at 8-byte aligned offsets; a record that would cross the end is
// preceded by a wrap marker. Header (Int32): WRITE and READ byte positions (monotonic int32, wrap-safe), and
// WAITING (1 while the producer waits for room). The consumer waits with Atomics.waitAsync on WRITE, and
// also drains opportunistically when busy.
import { DraftDecoder, draftBound, encodeDraft, type DraftRecord } from './draft-codec.js';
import { RingError } from '../model/errors.js';

export const D_WRITE = 0,
  D_READ = 1,
  D_WAITING = 2,
  D_HEADER_INTS = 4;
const WRAP = 0xffffffff;

export interface DraftRingBuffers {
  header: SharedArrayBuffer;
  bytes: SharedArrayBuffer;
}

export function createDraftRing(capacityBytes: number): DraftRingBuffers {
  return { header: new SharedArrayBuffer(D_HEADER_INTS * 4), bytes: new SharedArrayBuffer(capacityBytes) };
}

const align8 = (n: number) => (n + 7) & ~7;

export class DraftRingWriter {
  private readonly header: Int32Array;
  private readonly buf: Buffer;
  private readonly view: DataView;
  private readonly cap: number;
  /** Write position including records appended but not yet committed. */
  private w: number;
  constructor(b: DraftRingBuffers) {
    this.header = new Int32Array(b.header);
    this.buf = Buffer.from(b.bytes);
    this.view = new DataView(b.bytes);
    this.cap = b.bytes.byteLength;
    this.w = Atomics.load(this.header, D_WRITE);
  }

  /**
   * Appends one record, invisible to the reader until commit(): a tick's drafts are published together, so a
   * worker that dies mid-tick leaves none of them (the relaunch recomputes the tick). Waits (blocking this
   * worker) while the consumer has not made room; returns false if told to stop meanwhile.
   */
  append(rec: DraftRecord, shouldStop: () => boolean): boolean {
    const need = align8(4 + draftBound(rec)); // room is reserved for the bound; the position advances by the real size
    if (need + 8 > this.cap) throw new RingError(`draft of up to ${need} bytes exceeds the draft ring`);
    for (;;) {
      const w = this.w,
        rd = Atomics.load(this.header, D_READ);
      const off = ((w % this.cap) + this.cap) % this.cap;
      const toEnd = this.cap - off;
      const total = need <= toEnd ? need : toEnd + need; // a wrap marker pads to the end
      if (this.cap - ((w - rd) | 0) >= total) {
        let at = off;
        let pad = 0;
        if (need > toEnd) {
          this.view.setUint32(off, WRAP);
          at = 0;
          pad = toEnd;
        }
        const len = encodeDraft(this.buf, at + 4, rec) - (at + 4);
        this.view.setUint32(at, len);
        this.w = (w + pad + align8(4 + len)) | 0;
        return true;
      }
      if (shouldStop()) return false;
      this.commit(); // a tick with more drafts than the ring holds: publish what there is, or nothing frees room
      Atomics.store(this.header, D_WAITING, 1);
      Atomics.wait(this.header, D_READ, rd, 20);
      Atomics.store(this.header, D_WAITING, 0);
    }
  }

  /** Publishes the appended records and wakes the reader. */
  commit(): void {
    if (Atomics.load(this.header, D_WRITE) === this.w) return;
    Atomics.store(this.header, D_WRITE, this.w);
    Atomics.notify(this.header, D_WRITE);
  }

  /** append + commit, for a single record. */
  write(rec: DraftRecord, shouldStop: () => boolean): boolean {
    const ok = this.append(rec, shouldStop);
    this.commit();
    return ok;
  }
}

export class DraftRingReader {
  readonly header: Int32Array;
  private readonly buf: Buffer;
  private readonly view: DataView;
  private readonly cap: number;
  private readonly decoder = new DraftDecoder();
  private waiting = false;
  private closed = false;
  constructor(
    b: DraftRingBuffers,
    private readonly onRecord: (r: DraftRecord) => void,
  ) {
    this.header = new Int32Array(b.header);
    this.buf = Buffer.from(b.bytes);
    this.view = new DataView(b.bytes);
    this.cap = b.bytes.byteLength;
  }

  /** True when records are waiting (one Atomics load: cheap enough to call per tick). */
  pending(): boolean {
    return Atomics.load(this.header, D_WRITE) !== Atomics.load(this.header, D_READ);
  }

  /** Delivers every complete record; returns how many. */
  drain(): number {
    let rd = Atomics.load(this.header, D_READ);
    const w = Atomics.load(this.header, D_WRITE);
    let n = 0;
    while (rd !== w) {
      let off = ((rd % this.cap) + this.cap) % this.cap;
      let len = this.view.getUint32(off);
      if (len === WRAP) {
        rd = (rd + (this.cap - off)) | 0;
        off = 0;
        len = this.view.getUint32(0);
      }
      const rec = this.decoder.decode(this.buf, off + 4);
      rd = (rd + align8(4 + len)) | 0;
      Atomics.store(this.header, D_READ, rd);
      n++;
      this.onRecord(rec);
    }
    if (n > 0 && Atomics.load(this.header, D_WAITING) === 1) Atomics.notify(this.header, D_READ);
    return n;
  }

  /** Keeps one Atomics.waitAsync armed on WRITE: the main thread wakes when the worker writes while it is idle. */
  watch(): void {
    if (this.waiting || this.closed) return;
    const seen = Atomics.load(this.header, D_WRITE);
    if (seen !== Atomics.load(this.header, D_READ)) {
      this.drain();
      queueMicrotask(() => this.watch());
      return;
    }
    const res = Atomics.waitAsync(this.header, D_WRITE, seen, 1000);
    if (!res.async) {
      this.drain();
      queueMicrotask(() => this.watch());
      return;
    }
    this.waiting = true;
    void res.value.then(() => {
      this.waiting = false;
      if (this.closed) return;
      this.drain();
      this.watch();
    });
  }

  close(): void {
    this.closed = true;
    Atomics.notify(this.header, D_WRITE);
  }
}
