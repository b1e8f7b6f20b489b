// Reads recorded market data: hftbacktest `<recv_ns> <frame>`, cryptofeed `<epoch_s>: <frame>`, plain JSONL
// frames, and the trade / bookTicker / Lean SPY CSVs of shared data; gzip or not. Yields frames, ticks, and the
// REST depth snapshots recorded between frames.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';

export type ReplayRecord =
  | { type: 'frame'; recvNs: number; text: string }
  | { type: 'tick'; tick: Tick }
  /** A REST depth snapshot recorded beside the frames (`<url> -> <epoch_s>: <body>` in cryptofeed logs). */
  | { type: 'snapshot'; recvNs: number; url: string; symbol: string; text: string };

/** A record's receive time (epoch ns). */
export function recordRecvNs(r: ReplayRecord): number {
  return r.type === 'tick' ? r.tick.tsRecvNs : r.recvNs;
}

/** `https://.../depth?symbol=X&limit=N -> <epoch_s>: <body>`: a recorded REST snapshot. */
const SNAPSHOT_LINE = /^(https?:\/\/\S+) -> (\d+(?:\.\d+)?): (.*)$/;

/** A recorded REST request's line as a snapshot record, when it is a depth snapshot of one symbol. */
function snapshotRecord(line: string): ReplayRecord | undefined {
  const m = SNAPSHOT_LINE.exec(line);
  if (!m) return undefined;
  const url = m[1]!;
  const symbol = /[?&]symbol=([A-Za-z0-9_.-]+)/.exec(url)?.[1];
  if (!symbol || !/depth/i.test(url)) return undefined;
  return { type: 'snapshot', recvNs: Math.round(Number(m[2]) * 1e9), url, symbol: symbol.toUpperCase(), text: m[3]! };
}

type RecordingFormat = 'hftbacktest' | 'cryptofeed' | 'jsonl' | 'csv-trades' | 'csv-quotes' | 'csv-lean';

/** Venue and symbol implied by a shared-data file name, e.g. binance-usdm-BTCUSDT-trades-... */
export function venueFromFileName(file: string): { venue: string; symbol?: string } {
  const base = path.basename(file).toLowerCase();
  const sym = /-(btcusdt|ethusdt|spy)-/i.exec(path.basename(file))?.[1]?.toUpperCase();
  if (base.includes('binance-usdm') || base.includes('binance-futures')) return { venue: 'binance-usdm', symbol: sym };
  if (base.startsWith('lean-')) return { venue: 'lean', symbol: sym ?? 'SPY' };
  for (const v of ['coinbase-advanced', 'coinbase', 'bybit-linear', 'bybit', 'kraken', 'upbit', 'binance'])
    if (base.includes(v)) return { venue: v, symbol: sym };
  return { venue: 'binance', symbol: sym };
}

function detectFormat(first: string): RecordingFormat {
  if (/^\d{15,20} [[{]/.test(first)) return 'hftbacktest';
  // cryptofeed logs open with `configuration: ...` or the connection line `wss://... <-> <epoch_s>`
  if (/^\d{9,11}(\.\d+)?: /.test(first) || first.startsWith('configuration:') || /^wss?:\/\/\S+ <-?> /.test(first))
    return 'cryptofeed';
  if (first.startsWith('trade_id,')) return 'csv-trades';
  if (first.startsWith('update_id,')) return 'csv-quotes';
  if (first.startsWith('ms_since_midnight') || /^\d+,\d+(\.\d+)?,\d+,/.test(first)) return 'csv-lean';
  return 'jsonl';
}

/** Lean tick files: ms since midnight US/Eastern on the date in the file name. */
function leanDayStartMs(file: string): number {
  const m = /(\d{4})(\d{2})(\d{2})/.exec(path.basename(file));
  if (!m) return 0;
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // US Eastern: UTC-4 in daylight time (2nd Sunday of March to 1st Sunday of November), else UTC-5.
  const month = Number(m[2]);
  const dst = (month > 3 && month < 11) || (month === 3 && Number(m[3]) >= 8) || (month === 11 && Number(m[3]) < 7);
  return utcMidnight + (dst ? 4 : 5) * 3600_000;
}

/** A CSV cell as a number: empty or blank is NaN (Number('') would read it as 0), the rest as Number() reads it. */
function cell(c: string | undefined): number {
  if (c === undefined) return NaN;
  const len = c.length;
  if (len > 0 && len <= 15) {
    // Plain digits (ids, times, LEAN's integer prices and sizes): summed exactly below 10^15, which is what
    // Number() gives for them, at a fraction of its cost; anything else goes to Number().
    let v = 0,
      i = 0;
    for (; i < len; i++) {
      const d = c.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === len) return v;
  }
  const n = Number(c);
  return n === 0 && c.trim() === '' ? NaN : n; // only a 0 can be a blank cell: the rest skip the trim
}

/** A CSV trade or update id: a safe integer, else -1 (no id). */
function idCell(c: string | undefined): number {
  const n = cell(c);
  return Number.isSafeInteger(n) ? n : -1;
}

export interface ReadOptions {
  venue?: string;
  symbol?: string;
  nowNs?: () => number;
}

/**
 * The lines of a file (gzip or not) in batches, one per chunk read (64 KiB inflated, 1 MiB plain): a reader pays one await per
 * batch, not per line. CRLF line ends are taken as LF, like readline's crlfDelay: Infinity.
 */
async function* readLineBatches(file: string): AsyncGenerator<string[]> {
  // 1 MiB reads and 64 KiB inflated chunks: a tenth of the default's turns (measured here: the reading alone
  // takes about half the time of 64 KiB reads and 16 KiB chunks).
  let input: NodeJS.ReadableStream = createReadStream(file, { highWaterMark: 1 << 20 });
  if (file.endsWith('.gz')) input = input.pipe(createGunzip({ chunkSize: 64 << 10 }));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
    if (lines.length) yield lines;
  }
  rest += decoder.end();
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest.length) yield [rest];
}

/** Turns one file's lines into records, in order; lines that fit no format become frames for the parser to judge. */
function recordReader(file: string, opts: ReadOptions): (line: string) => ReplayRecord | undefined {
  const hint = venueFromFileName(file);
  const venue = opts.venue ?? hint.venue;
  const symbol = opts.symbol ?? hint.symbol ?? 'UNKNOWN';
  let format: RecordingFormat | undefined;
  let leanStart = 0;
  let lineNo = 0;
  const now = opts.nowNs ?? (() => Date.now() * 1e6);
  return (line) => {
    lineNo++;
    if (line.length === 0) return undefined;
    if (!format && line.startsWith('http')) return snapshotRecord(line); // a recording may open with a snapshot
    if (!format) {
      format = detectFormat(line);
      if (format === 'csv-lean') leanStart = leanDayStartMs(file);
      if (format === 'csv-trades' || format === 'csv-quotes' || line.startsWith('ms_since_midnight')) return undefined; // header
    }
    switch (format) {
      case 'hftbacktest': {
        if (line.startsWith('http')) return snapshotRecord(line);
        const sp = line.indexOf(' ');
        return { type: 'frame', recvNs: Number(line.slice(0, sp)), text: line.slice(sp + 1) };
      }
      case 'cryptofeed': {
        const m = /^(\d+(?:\.\d+)?): (.*)$/.exec(line);
        if (!m) return line.startsWith('http') ? snapshotRecord(line) : undefined; // configuration, sent messages
        if (!(m[2]!.startsWith('{') || m[2]!.startsWith('['))) return undefined;
        return { type: 'frame', recvNs: Math.round(Number(m[1]) * 1e9), text: m[2]! };
      }
      case 'jsonl':
        return { type: 'frame', recvNs: now(), text: line };
      case 'csv-trades': {
        // trade_id,price,qty,trade_time_ms,event_time_ms,is_buyer_maker,recv_time_ns
        const c = line.split(',');
        return {
          type: 'tick',
          tick: tradeTick(
            venue,
            symbol,
            cell(c[3]) * 1e6,
            cell(c[6]),
            cell(c[1]),
            cell(c[2]),
            c[5] === 'true' || c[5] === '1' || c[5] === 'True' ? 'sell' : 'buy',
            idCell(c[0]),
          ),
        };
      }
      case 'csv-quotes': {
        // update_id,bid,bid_qty,ask,ask_qty,recv_time_ns (spot bookTicker has no exchange time: use receive time)
        const c = line.split(',');
        const recv = cell(c[5]);
        return {
          type: 'tick',
          tick: quoteTick(venue, symbol, recv, recv, cell(c[1]), cell(c[2]), cell(c[3]), cell(c[4]), idCell(c[0])),
        };
      }
      case 'csv-lean': {
        // ms_since_midnight_ET,price,size,exchange,sale_condition,suspicious (price in dollars)
        const c = line.split(',');
        if (c[5] === '1' || c[5] === 'true') return undefined; // flagged suspicious by the data vendor
        const ts = (leanStart + cell(c[0])) * 1e6;
        return { type: 'tick', tick: tradeTick(venue, symbol, ts, ts, cell(c[1]), cell(c[2]), 'unknown', lineNo) };
      }
    }
    return undefined;
  };
}

/** Every record of one file in batches (one per chunk read): what replays iterate, one await a batch. */
export async function* readRecordingBatches(file: string, opts: ReadOptions = {}): AsyncGenerator<ReplayRecord[]> {
  const recordOf = recordReader(file, opts);
  for await (const lines of readLineBatches(file)) {
    const out: ReplayRecord[] = [];
    for (const line of lines) {
      const r = recordOf(line);
      if (r) out.push(r);
    }
    if (out.length) yield out;
  }
}

/** Yields every record of one file; lines that fit no format are yielded as frames for the parser to judge. */
export async function* readRecording(file: string, opts: ReadOptions = {}): AsyncGenerator<ReplayRecord> {
  for await (const batch of readRecordingBatches(file, opts)) yield* batch;
}
