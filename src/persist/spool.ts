// Append-only disk spool for batches the database could not take. Record: u32 BE payload length,
// u32 BE CRC-32 of the payload, payload = msgpack {table, rows}. Each append is fsynced. Files rotate
// when draining starts, so the drainer reads closed files in order while new batches go to a new file.
// A torn record at the end of a file (crash mid-write) or a checksum mismatch is detected, logged, skipped.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { Packr, Unpackr } from 'msgpackr';
import type { Row, TableName } from './rows.js';
import { silentLogger, type Logger } from '../telemetry/logger.js';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export interface SpoolRecord { table: TableName; rows: Row[] }

export interface ReadResult { records: SpoolRecord[]; corrupt: Array<{ offset: number; why: string }> }

/** Parses a whole spool file; never throws on bad content. */
export function readSpoolFile(file: string): ReadResult { return parseSpool(readFileSync(file)); }

/** Parses spool bytes; never throws on bad content. */
export function parseSpool(buf: Buffer): ReadResult {
  const records: SpoolRecord[] = [];
  const corrupt: Array<{ offset: number; why: string }> = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < 8) { corrupt.push({ offset: off, why: `torn header (${buf.length - off} bytes at the end)` }); break; }
    const len = buf.readUInt32BE(off), sum = buf.readUInt32BE(off + 4);
    if (off + 8 + len > buf.length) { corrupt.push({ offset: off, why: `torn record: ${len} bytes announced, ${buf.length - off - 8} present` }); break; }
    const payload = buf.subarray(off + 8, off + 8 + len);
    if (crc32(payload) !== sum) { corrupt.push({ offset: off, why: 'checksum mismatch' }); off += 8 + len; continue; }
    try {
      const rec = unpackr.unpack(payload) as SpoolRecord;
      if (!rec || typeof rec.table !== 'string' || !Array.isArray(rec.rows)) throw new Error('not a spool record');
      records.push(rec);
    } catch (err) { corrupt.push({ offset: off, why: `undecodable: ${(err as Error).message.slice(0, 60)}` }); }
    off += 8 + len;
  }
  return { records, corrupt };
}

export class Spool {
  private fd: number | undefined;
  private currentFile: string | undefined;
  private fileSeq = 0;
  bytes = 0;
  records = 0;
  overflowed = 0;
  constructor(readonly dir: string, readonly maxBytes: number, private readonly log: Logger = silentLogger) {
    mkdirSync(dir, { recursive: true });
    for (const f of this.files()) { this.bytes += statSync(f).size; this.fileSeq = Math.max(this.fileSeq, Number(/spool-(\d+)\.bin$/.exec(f)?.[1] ?? 0)); }
  }

  /** Closed and open spool files in write order. */
  files(): string[] {
    return readdirSync(this.dir).filter((f) => /^spool-\d+\.bin$/.test(f)).sort().map((f) => path.join(this.dir, f));
  }

  get empty(): boolean { return this.bytes === 0; }

  /** Appends one batch durably. Returns false (and alarms) when the spool is full. */
  append(rec: SpoolRecord): boolean {
    const payload = packr.pack(rec);
    if (this.bytes + payload.length + 8 > this.maxBytes) {
      this.overflowed += rec.rows.length;
      this.log.error({ spoolBytes: this.bytes, maxBytes: this.maxBytes, rowsLost: rec.rows.length }, 'SPOOL FULL: database unreachable and spool at its size bound; rows are being lost');
      return false;
    }
    if (this.fd === undefined) {
      this.currentFile = path.join(this.dir, `spool-${String(++this.fileSeq).padStart(12, '0')}.bin`);
      this.fd = openSync(this.currentFile, 'a', 0o640);
    }
    const head = Buffer.allocUnsafe(8);
    head.writeUInt32BE(payload.length, 0);
    head.writeUInt32BE(crc32(payload), 4);
    writeSync(this.fd, Buffer.concat([head, payload]));
    fsyncSync(this.fd);
    this.bytes += payload.length + 8;
    this.records++;
    return true;
  }

  /** Closes the file being written so the drainer can take it; the next append opens a new one. */
  rotate(): void {
    if (this.fd !== undefined) { closeSync(this.fd); this.fd = undefined; this.currentFile = undefined; }
  }

  /** Removes a drained file. */
  remove(file: string): void {
    try { this.bytes -= statSync(file).size; unlinkSync(file); } catch { /* gone */ }
    if (this.bytes < 0) this.bytes = 0;
  }

  close(): void { this.rotate(); }
}
