// The replay ring: the last signals' encoded frames, for clients resuming from a seq. The frames live in
// one byte arena reserved (and touched) at start, with their seq, symbol, offset and length in fixed typed
// arrays, so the ring's memory is the same in the first minute and the hundredth: it never allocates per
// signal and holds no Signal objects. It is bounded twice: `capacity` frames and `capacityBytes` bytes,
// whichever fills first; the oldest frames are evicted to make room.

export interface RingFrame {
  seq: number;
  symbol: string;
  frame: Buffer;
}

export class SignalRing {
  private readonly arena: Buffer;
  private readonly seqs: Float64Array;
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly symbols: string[];
  private head = 0;
  private size = 0;
  private writePos = 0;
  /** Frames too large for the whole arena: delivered live, never replayable. */
  tooLarge = 0;

  constructor(
    readonly capacity: number,
    readonly capacityBytes: number,
  ) {
    this.arena = Buffer.allocUnsafeSlow(capacityBytes);
    this.arena.fill(0); // commit the pages now: resident memory does not creep up while the ring fills
    this.seqs = new Float64Array(capacity);
    this.offsets = new Uint32Array(capacity);
    this.lengths = new Uint32Array(capacity);
    this.symbols = new Array<string>(capacity).fill('');
  }

  get length(): number {
    return this.size;
  }
  /** Bytes of the arena held by live frames (not counting the unused tail left at a wrap). */
  get bytesHeld(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) n += this.lengths[(this.head + i) % this.capacity]!;
    return n;
  }

  /** Copies `frame` in; evicts the oldest frames its bytes (or its slot) would overwrite. */
  push(seq: number, symbol: string, frame: Uint8Array): void {
    const len = frame.length;
    if (len > this.capacityBytes) {
      this.tooLarge++;
      return;
    }
    if (this.writePos + len > this.capacityBytes) {
      // Wrap: everything stored at or after the old write position is older than everything before it.
      while (this.size > 0 && this.offsets[this.head]! >= this.writePos) this.evict();
      this.writePos = 0;
    }
    const end = this.writePos + len;
    while (this.size > 0) {
      const o = this.offsets[this.head]!;
      if (o < end && o + this.lengths[this.head]! > this.writePos) this.evict();
      else break;
    }
    if (this.size === this.capacity) this.evict();
    const slot = (this.head + this.size) % this.capacity;
    this.seqs[slot] = seq;
    this.offsets[slot] = this.writePos;
    this.lengths[slot] = len;
    this.symbols[slot] = symbol;
    this.arena.set(frame, this.writePos);
    this.writePos = end;
    this.size++;
  }

  private evict(): void {
    this.symbols[this.head] = '';
    this.head = (this.head + 1) % this.capacity;
    this.size--;
  }

  /** Oldest seq still held, or undefined when empty. */
  get minSeq(): number | undefined {
    return this.size ? this.seqs[this.head] : undefined;
  }
  get maxSeq(): number | undefined {
    return this.size ? this.seqs[(this.head + this.size - 1) % this.capacity] : undefined;
  }

  /**
   * Frames with seq >= fromSeq, oldest first (seqs strictly increase, so a binary search finds the start).
   * Each frame is a copy: a socket may still hold it after the arena has been overwritten. The caller
   * consumes the generator synchronously (no publish, so no eviction, can run in between).
   */
  *from(fromSeq: number): Generator<RingFrame> {
    let lo = 0,
      hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[(this.head + mid) % this.capacity]! < fromSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.size; i++) {
      const slot = (this.head + i) % this.capacity;
      const o = this.offsets[slot]!;
      yield {
        seq: this.seqs[slot]!,
        symbol: this.symbols[slot]!,
        frame: Buffer.from(this.arena.subarray(o, o + this.lengths[slot]!)),
      };
    }
  }
}
