// One ZADD for many ticks, encoded straight into RESP bytes: `*N $4 ZADD $len key` then per tick the score
// (exchange ms with the µs fraction, as decimal text) and the member (member.ts). ioredis would turn every
// argument into its own string and buffer; here a batch is one scratch pass and one copy. The command goes
// through ioredis (pipelines, replies, cluster slot of the key) as a Command whose wire bytes are ours.
import { Command } from 'ioredis';
import type { Tick } from '../model/tick.js';
import { MAX_MEMBER_BYTES, writeMember } from './member.js';

/** A command with pre-encoded wire bytes; `key` is its only argument as far as routing is concerned. */
export class EncodedCommand extends Command {
  constructor(
    name: string,
    key: string,
    private readonly wire: Buffer,
  ) {
    super(name, [key]);
  }
  override toWritable(): Buffer {
    return this.wire;
  }
}

let scratch = Buffer.allocUnsafe(1 << 20);

function writeAscii(b: Buffer, pos: number, text: string): number {
  return pos + b.write(text, pos, 'latin1');
}

/** Writes a non-negative integer in decimal; returns the position after it. */
function writeUint(b: Buffer, pos: number, v: number): number {
  if (v < 10) {
    b[pos] = 48 + v;
    return pos + 1;
  }
  let digits = 0;
  for (let x = v; x >= 1; x = Math.floor(x / 10)) digits++;
  for (let k = pos + digits - 1; k >= pos; k--) {
    b[k] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + digits;
}

/** The score of a tick as text: exchange time in ms with exactly three fraction digits (the µs). */
function writeScore(b: Buffer, pos: number, tsExchNs: number): number {
  const us = Math.round(tsExchNs / 1e3);
  pos = writeUint(b, pos, Math.floor(us / 1000));
  const frac = us % 1000;
  b[pos] = 46;
  b[pos + 1] = 48 + Math.floor(frac / 100);
  b[pos + 2] = 48 + (Math.floor(frac / 10) % 10);
  b[pos + 3] = 48 + (frac % 10);
  return pos + 4;
}

/** Digits of a length prefix (members and scores are < 10^4 bytes). */
const lenDigits = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4);

/**
 * `ZADD key score member ...` for ticks[from, to) as RESP bytes (a fresh Buffer the socket may keep).
 * Returns the command and the newest score in ms among them (for trimming by age).
 */
export function encodeZadd(
  key: string,
  ticks: readonly Tick[],
  from: number,
  to: number,
): { command: EncodedCommand; newestMs: number } {
  const n = to - from;
  const need = 64 + Buffer.byteLength(key) + n * (MAX_MEMBER_BYTES + 48);
  if (scratch.length < need) scratch = Buffer.allocUnsafe(need * 2);
  const b = scratch;
  let pos = writeAscii(b, 0, '*');
  pos = writeUint(b, pos, 2 + 2 * n);
  pos = writeAscii(b, pos, '\r\n$4\r\nZADD\r\n$');
  pos = writeUint(b, pos, Buffer.byteLength(key));
  pos = writeAscii(b, pos, '\r\n');
  pos += b.write(key, pos, 'utf8');
  b[pos++] = 13;
  b[pos++] = 10;
  let newestNs = 0;
  for (let i = from; i < to; i++) {
    const t = ticks[i]!;
    if (t.tsExchNs > newestNs) newestNs = t.tsExchNs;
    // Score: written after a placeholder length, which is patched once the digits are known.
    b[pos++] = 36; // $
    const scoreLenAt = pos;
    pos += 2;
    b[pos++] = 13;
    b[pos++] = 10;
    const scoreStart = pos;
    pos = writeScore(b, pos, t.tsExchNs);
    const scoreLen = pos - scoreStart; // 5..21 digits: always two length digits for real clocks
    if (scoreLen < 10) {
      b.copyWithin(scoreLenAt + 1, scoreLenAt + 2, pos);
      pos--;
      b[scoreLenAt] = 48 + scoreLen;
    } else {
      b[scoreLenAt] = 48 + Math.floor(scoreLen / 10);
      b[scoreLenAt + 1] = 48 + (scoreLen % 10);
    }
    b[pos++] = 13;
    b[pos++] = 10;
    // Member: same trick with a length of up to three digits.
    b[pos++] = 36;
    const memberLenAt = pos;
    const memberStart = memberLenAt + 4; // room for "NN\r\n"
    const memberEnd = writeMember(b, memberStart, t);
    const memberLen = memberEnd - memberStart;
    const digits = lenDigits(memberLen);
    if (digits !== 2) {
      b.copyWithin(memberLenAt + digits + 2, memberStart, memberEnd);
    }
    writeUint(b, memberLenAt, memberLen);
    b[memberLenAt + digits] = 13;
    b[memberLenAt + digits + 1] = 10;
    pos = memberLenAt + digits + 2 + memberLen;
    b[pos++] = 13;
    b[pos++] = 10;
  }
  const wire = Buffer.allocUnsafe(pos);
  b.copy(wire, 0, 0, pos);
  return { command: new EncodedCommand('zadd', key, wire), newestMs: Math.round(newestNs / 1e3) / 1e3 };
}
