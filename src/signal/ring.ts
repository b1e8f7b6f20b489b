// The replay ring: the last N signals with their encoded frames, for clients resuming from a seq.
import type { Signal } from '../model/signal.js';

/** `json` is encoded on first use (only NDJSON clients need it). */
export interface RingEntry { seq: number; symbol: string; signal: Signal; msgpack: Buffer; json: Buffer | undefined }

export class SignalRing {
  private readonly entries: Array<RingEntry | undefined>;
  private head = 0;
  private size = 0;
  constructor(readonly capacity: number) { this.entries = new Array(capacity); }

  push(e: RingEntry): void {
    this.entries[(this.head + this.size) % this.capacity] = e;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Oldest seq still held, or undefined when empty. */
  get minSeq(): number | undefined { return this.size ? this.entries[this.head]!.seq : undefined; }
  get maxSeq(): number | undefined { return this.size ? this.entries[(this.head + this.size - 1) % this.capacity]!.seq : undefined; }

  /** Entries with seq >= fromSeq, oldest first (seqs are strictly increasing, so a binary search finds the start). */
  *from(fromSeq: number): Generator<RingEntry> {
    let lo = 0, hi = this.size;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.entries[(this.head + mid) % this.capacity]!.seq < fromSeq) lo = mid + 1; else hi = mid; }
    for (let i = lo; i < this.size; i++) yield this.entries[(this.head + i) % this.capacity]!;
  }
}
