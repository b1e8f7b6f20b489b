// Append-only disk spool for batches the database could not take. Record: u32 BE payload length,
// u32 BE CRC-32 of the payload, payload = msgpack {table, rows}. Each append is written whole and fsynced
// before the spool counts it; a failed write or fsync (disk full, I/O error) is cut back off the file, so the
// file always ends on a whole record, and append reports the failure instead of throwing. Files rotate when
// draining starts, so the drainer reads closed files in order, record by record in bounded memory, while new
// batches go to a new file. A torn record at the end of a file (crash mid-write) or a checksum mismatch is
// detected, logged, skipped.
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { Packr, Unpackr } from 'msgpackr';
import type { Row, TableName } from './rows.js';
import { silentLogger, type Logger } from '../telemetry/logger.js';
import { SpoolRecordError } from '../model/errors.js';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export interface SpoolRecord {
  table: TableName;
  rows: Row[];
}

export interface ReadResult {
  records: SpoolRecord[];
  corrupt: Array<{ offset: number; why: string }>;
}

/** A record announced larger than this is a corrupt header, not a record (a batch is far smaller). */
const MAX_RECORD_BYTES = 1 << 30;

export type SpoolItem = { record: SpoolRecord } | { corrupt: { offset: number; why: string } };

/** Reads one spool file record by record (one record in memory at a time); never throws on bad content. */
export function* spoolRecords(file: string): Generator<SpoolItem> {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(8);
    let off = 0;
    while (off < size) {
      if (size - off < 8) {
        yield { corrupt: { offset: off, why: `torn header (${size - off} bytes at the end)` } };
        return;
      }
      readSync(fd, head, 0, 8, off);
      const len = head.readUInt32BE(0),
        sum = head.readUInt32BE(4);
      if (len > MAX_RECORD_BYTES || off + 8 + len > size) {
        yield { corrupt: { offset: off, why: `torn record: ${len} bytes announced, ${size - off - 8} present` } };
        return;
      }
      const payload = Buffer.allocUnsafe(len);
      readSync(fd, payload, 0, len, off + 8);
      const item = decodeRecord(payload, sum, off);
      off += 8 + len;
      yield item;
    }
  } finally {
    closeSync(fd);
  }
}

function decodeRecord(payload: Buffer, sum: number, offset: number): SpoolItem {
  if (crc32(payload) !== sum) return { corrupt: { offset, why: 'checksum mismatch' } };
  try {
    const rec = unpackr.unpack(payload) as SpoolRecord;
    if (!rec || typeof rec.table !== 'string' || !Array.isArray(rec.rows))
      throw new SpoolRecordError('not a spool record');
    return { record: rec };
  } catch (err) {
    return { corrupt: { offset, why: `undecodable: ${(err as Error).message.slice(0, 60)}` } };
  }
}

/** Parses a whole spool file (tests and tools; the drain streams with spoolRecords); never throws on bad content. */
export function readSpoolFile(file: string): ReadResult {
  const out: ReadResult = { records: [], corrupt: [] };
  for (const it of spoolRecords(file))
    if ('record' in it) out.records.push(it.record);
    else out.corrupt.push(it.corrupt);
  return out;
}

/** Parses spool bytes; never throws on bad content. */
export function parseSpool(buf: Buffer): ReadResult {
  const records: SpoolRecord[] = [];
  const corrupt: Array<{ offset: number; why: string }> = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < 8) {
      corrupt.push({ offset: off, why: `torn header (${buf.length - off} bytes at the end)` });
      break;
    }
    const len = buf.readUInt32BE(off),
      sum = buf.readUInt32BE(off + 4);
    if (off + 8 + len > buf.length) {
      corrupt.push({ offset: off, why: `torn record: ${len} bytes announced, ${buf.length - off - 8} present` });
      break;
    }
    const item = decodeRecord(buf.subarray(off + 8, off + 8 + len), sum, off);
    if ('record' in item) records.push(item.record);
    else corrupt.push(item.corrupt);
    off += 8 + len;
  }
  return { records, corrupt };
}

/** ok: written and fsynced; full: over maxBytes; error: the write or fsync failed (see lastError). */
export type AppendResult = 'ok' | 'full' | 'error';

export class Spool {
  private fd: number | undefined;
  private currentFile: string | undefined;
  private currentBytes = 0;
  private fileSeq = 0;
  bytes = 0;
  records = 0;
  /** The last write failure (errno code and message), for the writer's log and readiness. */
  lastError = '';
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    private readonly log: Logger = silentLogger,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const f of this.files()) {
      this.bytes += statSync(f).size;
      this.fileSeq = Math.max(this.fileSeq, Number(/spool-(\d+)\.bin$/.exec(f)?.[1] ?? 0));
    }
  }

  /** Closed and open spool files in write order. */
  files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => /^spool-\d+\.bin$/.test(f))
      .sort()
      .map((f) => path.join(this.dir, f));
  }

  get empty(): boolean {
    return this.bytes === 0;
  }

  /** Appends one batch durably, whole or not at all; never throws. */
  append(rec: SpoolRecord): AppendResult {
    const payload = packr.pack(rec);
    if (this.bytes + payload.length + 8 > this.maxBytes) return 'full';
    const head = Buffer.allocUnsafe(8);
    head.writeUInt32BE(payload.length, 0);
    head.writeUInt32BE(crc32(payload), 4);
    const record = Buffer.concat([head, payload]);
    try {
      if (this.fd === undefined) {
        this.currentFile = path.join(this.dir, `spool-${String(++this.fileSeq).padStart(12, '0')}.bin`);
        this.fd = openSync(this.currentFile, 'a', 0o640);
        this.currentBytes = fstatSync(this.fd).size;
      }
      let done = 0;
      while (done < record.length) done += writeSync(this.fd, record, done, record.length - done);
      fsyncSync(this.fd);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      this.lastError = `${e.code ?? 'EIO'}: ${e.message}`;
      this.undo();
      return 'error';
    }
    this.currentBytes += record.length;
    this.bytes += record.length;
    this.records++;
    return 'ok';
  }

  /** Cuts a partly written record back off the file and closes it (the next append opens a new file). */
  private undo(): void {
    if (this.fd === undefined) return;
    try {
      ftruncateSync(this.fd, this.currentBytes);
      fsyncSync(this.fd);
    } catch (err) {
      this.log.error(
        { file: this.currentFile, err: (err as Error).message },
        'could not cut a failed spool write back off; the drain will skip its torn end',
      );
    }
    try {
      closeSync(this.fd);
    } catch {
      /* already gone */
    }
    this.fd = undefined;
    this.currentFile = undefined;
  }

  /** Closes the file being written so the drainer can take it; the next append opens a new one. */
  rotate(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        /* gone */
      }
      this.fd = undefined;
      this.currentFile = undefined;
    }
  }

  /** Removes a drained file. */
  remove(file: string): void {
    try {
      this.bytes -= statSync(file).size;
      unlinkSync(file);
    } catch {
      /* gone */
    }
    if (this.bytes < 0) this.bytes = 0;
  }

  close(): void {
    this.rotate();
  }
}
