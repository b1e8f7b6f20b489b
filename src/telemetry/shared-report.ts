// One small document (a status, a time and UTF-8 bytes) in shared memory, written by one thread and read
// whole by others: a sequence lock (odd while a write is in progress) lets a reader detect a write that
// overlapped its copy and retry, so it never serves a torn mix of two reports.
const HEADER_BYTES = 24; // Int32 [seq, byteLength, status, unused] + Float64 stampMs
const I_SEQ = 0,
  I_LEN = 1,
  I_STATUS = 2;
const MAX_READ_ATTEMPTS = 10_000;

export interface SharedReport {
  status: number;
  stampMs: number;
  text: string;
}

/** Shared memory for a report of at most `capacityBytes` bytes. */
export function allocateReport(capacityBytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + capacityBytes);
}

/** The layout's views, the same for the writer and every reader. */
function views(sab: SharedArrayBuffer): { head: Int32Array; stamp: Float64Array; body: Uint8Array } {
  return {
    head: new Int32Array(sab, 0, 4),
    stamp: new Float64Array(sab, 16, 1),
    body: new Uint8Array(sab, HEADER_BYTES),
  };
}

export class SharedReportWriter {
  private readonly head: Int32Array;
  private readonly stamp: Float64Array;
  private readonly body: Uint8Array;
  constructor(sab: SharedArrayBuffer) {
    ({ head: this.head, stamp: this.stamp, body: this.body } = views(sab));
  }

  /** Publishes a report; bytes past the capacity are cut off. Single writer only. */
  publish(status: number, bytes: Uint8Array, stampMs: number): void {
    const n = Math.min(bytes.length, this.body.length);
    Atomics.add(this.head, I_SEQ, 1); // odd: readers retry
    this.body.set(n === bytes.length ? bytes : bytes.subarray(0, n));
    this.stamp[0] = stampMs;
    Atomics.store(this.head, I_LEN, n);
    Atomics.store(this.head, I_STATUS, status);
    Atomics.add(this.head, I_SEQ, 1); // even again: this report is whole
  }
}

export class SharedReportReader {
  private readonly head: Int32Array;
  private readonly stamp: Float64Array;
  private readonly body: Uint8Array;
  private readonly decoder = new TextDecoder();
  constructor(sab: SharedArrayBuffer) {
    ({ head: this.head, stamp: this.stamp, body: this.body } = views(sab));
  }

  /** The latest whole report; undefined before the first publish, or if every attempt overlapped a write. */
  read(): SharedReport | undefined {
    for (let attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      const before = Atomics.load(this.head, I_SEQ);
      if (before === 0) return undefined;
      if ((before & 1) === 1) continue;
      const n = Atomics.load(this.head, I_LEN);
      const status = Atomics.load(this.head, I_STATUS);
      const stampMs = this.stamp[0]!;
      const copy = this.body.slice(0, n);
      if (Atomics.load(this.head, I_SEQ) !== before) continue;
      return { status, stampMs, text: this.decoder.decode(copy) };
    }
    return undefined;
  }
}
