// Wire framing of the signal protocol (DESIGN.md §5): 4-byte unsigned big-endian length + msgpack map.
// Frames over 1 MiB are a protocol error. The decoder is incremental and never throws on bad input:
// it reports a protocol error reason instead.
import { Packr, Unpackr } from 'msgpackr';
import { encodeJsonLine } from './json-line.js';

const MAX_FRAME_BYTES = 1 << 20;

const packr = new Packr({ useRecords: false, variableMapSize: true });
// Readers of frames (the client library, the control socket): integers past 2^53 (the uint64 timestamps) as
// numbers, as JavaScript consumers use them. The JSON-lines form keeps them exact (BigInt, printed as digits).
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
const exactUnpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'bigint' });

export function encodeFrame(msg: Record<string, unknown>): Buffer {
  const body = packr.pack(msg);
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** A length-prefixed msgpack frame re-encoded as a JSON line (the NDJSON form of the same message, exact). */
export function frameToJsonLine(frame: Buffer): Buffer {
  return encodeJsonLine(exactUnpackr.unpack(frame.subarray(4)) as Record<string, unknown>);
}

export type DecodeResult = { ok: true; messages: Array<Record<string, unknown>> } | { ok: false; reason: string };

export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Adds bytes and decodes up to `limit` whole frames (the rest stays buffered). */
  push(chunk: Buffer, limit = Infinity): DecodeResult {
    if (chunk.length > 0) this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const messages: Array<Record<string, unknown>> = [];
    while (this.buf.length >= 4 && messages.length < limit) {
      const len = this.buf.readUInt32BE(0);
      if (len > this.maxFrameBytes)
        return { ok: false, reason: `frame length ${len} over the ${this.maxFrameBytes}-byte limit` };
      if (len === 0) return { ok: false, reason: 'empty frame' };
      if (this.buf.length < 4 + len) break;
      const body = this.buf.subarray(4, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      let msg: unknown;
      try {
        msg = unpackr.unpack(body);
      } catch (err) {
        return { ok: false, reason: `undecodable msgpack: ${(err as Error).message.slice(0, 60)}` };
      }
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || msg instanceof Uint8Array)
        return { ok: false, reason: 'frame is not a msgpack map' };
      messages.push(msg as Record<string, unknown>);
    }
    return { ok: true, messages };
  }

  get buffered(): number {
    return this.buf.length;
  }

  /** Hands over the undecoded bytes (used when a stream switches to NDJSON after the welcome). */
  takeRest(): Buffer {
    const r = this.buf;
    this.buf = Buffer.alloc(0);
    return r;
  }
}

/** Splits newline-delimited JSON (clients that asked for format "json"). */
export class JsonLineDecoder {
  private rest = '';
  push(chunk: Buffer): DecodeResult {
    this.rest += chunk.toString('utf8');
    if (this.rest.length > MAX_FRAME_BYTES) return { ok: false, reason: 'JSON line over the 1 MiB limit' };
    const messages: Array<Record<string, unknown>> = [];
    let nl: number;
    while ((nl = this.rest.indexOf('\n')) >= 0) {
      const line = this.rest.slice(0, nl);
      this.rest = this.rest.slice(nl + 1);
      if (line.trim() === '') continue;
      try {
        const m = JSON.parse(line) as unknown;
        if (m === null || typeof m !== 'object' || Array.isArray(m))
          return { ok: false, reason: 'JSON line is not an object' };
        messages.push(m as Record<string, unknown>);
      } catch {
        return { ok: false, reason: 'invalid JSON line' };
      }
    }
    return { ok: true, messages };
  }
}
