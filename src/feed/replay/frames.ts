// Loads a recording into memory as frames for serving; tick-only files (CSV) become Binance-format
// trade / bookTicker frames built from the real rows, so any file can be served the way Binance would.
import type { Tick } from '../../model/tick.js';
import { readRecording } from './readers.js';

export interface ServedFrame {
  recvNs: number;
  text: string;
  /** A recorded REST depth snapshot of this symbol: not sent, it seeds the server's book for the REST endpoint. */
  snapshotOf?: string;
}

function binanceFrameOf(t: Tick): string {
  const sym = t.symbol.toLowerCase();
  const ms = Math.round(t.tsExchNs / 1e6);
  if (t.kind === 'trade') {
    return `{"stream":"${sym}@trade","data":{"e":"trade","E":${ms},"s":"${t.symbol}","t":${t.id},"p":"${t.price}","q":"${t.size}","T":${ms},"m":${t.side === 'sell'},"M":true}}`;
  }
  return `{"stream":"${sym}@bookTicker","data":{"u":${t.id},"s":"${t.symbol}","b":"${t.bid}","B":"${t.bidSize}","a":"${t.ask}","A":"${t.askSize}"}}`;
}

export async function loadFrames(files: string[]): Promise<ServedFrame[]> {
  const frames: ServedFrame[] = [];
  for (const f of files) {
    for await (const r of readRecording(f)) {
      if (r.type === 'frame') frames.push({ recvNs: r.recvNs, text: r.text });
      else if (r.type === 'snapshot') frames.push({ recvNs: r.recvNs, text: r.text, snapshotOf: r.symbol });
      else frames.push({ recvNs: r.tick.tsRecvNs, text: binanceFrameOf(r.tick) });
    }
  }
  return frames;
}

/**
 * For --loop: shifts Binance ids and times by one recording's span per lap so a looped session stays a
 * valid, gap-free, duplicate-free stream. Non-Binance frames pass unchanged.
 */
export function shiftBinanceFrame(
  text: string,
  lap: number,
  idSpan: { trade: number; agg: number; update: number },
  timeSpanMs: number,
): string {
  if (lap === 0 || !text.startsWith('{"stream"')) return text;
  try {
    const m = JSON.parse(text) as { data: Record<string, number> };
    const d = m.data;
    if (typeof d.t === 'number') d.t += idSpan.trade * lap;
    if (typeof d.a === 'number') d.a += idSpan.agg * lap;
    if (typeof d.u === 'number') d.u += idSpan.update * lap;
    if (typeof d.U === 'number') d.U += idSpan.update * lap;
    for (const k of ['E', 'T'] as const) if (typeof d[k] === 'number') d[k] += timeSpanMs * lap;
    return JSON.stringify(m);
  } catch {
    return text;
  }
}

type ShiftKind = 'trade' | 'agg' | 'update' | 'time';
const SHIFT_KEYS: Record<string, ShiftKind> = { t: 'trade', a: 'agg', u: 'update', U: 'update', E: 'time', T: 'time' };

/**
 * The same shift as shiftBinanceFrame, without parsing each frame on every lap: each frame is cut once
 * into text parts around its shifted numbers, and a lap's frame is the parts joined with the numbers
 * moved. A frame whose cut does not reproduce shiftBinanceFrame's output exactly keeps the slow path.
 */
export class FrameShifter {
  private readonly compiled: Array<{ parts: string[]; kinds: ShiftKind[]; values: number[] } | null | undefined>;

  constructor(
    private readonly frames: ServedFrame[],
    private readonly idSpan: { trade: number; agg: number; update: number },
    private readonly timeSpanMs: number,
  ) {
    this.compiled = new Array(frames.length);
  }

  text(index: number, lap: number): string {
    const f = this.frames[index]!;
    if (lap === 0) return f.text;
    let c = this.compiled[index];
    if (c === undefined) {
      c = this.compile(f.text);
      this.compiled[index] = c;
    }
    if (c === null) return shiftBinanceFrame(f.text, lap, this.idSpan, this.timeSpanMs);
    let out = c.parts[0]!;
    for (let i = 0; i < c.kinds.length; i++)
      out += String(c.values[i]! + this.step(c.kinds[i]!) * lap) + c.parts[i + 1]!;
    return out;
  }

  private step(k: ShiftKind): number {
    return k === 'time' ? this.timeSpanMs : this.idSpan[k];
  }

  private compile(text: string): { parts: string[]; kinds: ShiftKind[]; values: number[] } | null {
    if (!text.startsWith('{"stream"')) return null;
    const parts: string[] = [],
      kinds: ShiftKind[] = [],
      values: number[] = [];
    const re = /"([taUuET])":(-?\d+)(?=[,}])/g;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      parts.push(text.slice(last, m.index + m[1]!.length + 3));
      kinds.push(SHIFT_KEYS[m[1]!]!);
      values.push(Number(m[2]));
      last = m.index + m[0].length;
    }
    parts.push(text.slice(last));
    const c = { parts, kinds, values };
    // Only when the cut gives exactly what the parsing shift gives (nested keys, number formats and
    // re-serialisation differences all fall back).
    for (const lap of [1, 7]) {
      let out = parts[0]!;
      for (let i = 0; i < kinds.length; i++) out += String(values[i]! + this.step(kinds[i]!) * lap) + parts[i + 1]!;
      if (out !== shiftBinanceFrame(text, lap, this.idSpan, this.timeSpanMs)) return null;
    }
    return c;
  }
}

/** The id and time span of a recording, for shiftBinanceFrame. */
export function spansOf(frames: ServedFrame[]): {
  idSpan: { trade: number; agg: number; update: number };
  timeSpanMs: number;
} {
  const span = {
    trade: [Infinity, -Infinity],
    agg: [Infinity, -Infinity],
    update: [Infinity, -Infinity],
    time: [Infinity, -Infinity],
  };
  const take = (r: number[], v: unknown) => {
    if (typeof v === 'number') {
      r[0] = Math.min(r[0]!, v);
      r[1] = Math.max(r[1]!, v);
    }
  };
  for (const f of frames) {
    if (f.snapshotOf !== undefined || !f.text.startsWith('{"stream"')) continue;
    try {
      const d = (JSON.parse(f.text) as { data: Record<string, unknown> }).data;
      if (d.e === 'trade') take(span.trade, d.t);
      if (d.e === 'aggTrade') take(span.agg, d.a);
      take(span.update, d.u);
      take(span.time, d.E);
      take(span.time, d.T);
    } catch {
      /* not JSON: served as is */
    }
  }
  const w = (r: number[]) => (Number.isFinite(r[0]) ? r[1]! - r[0]! + 1 : 0);
  return { idSpan: { trade: w(span.trade), agg: w(span.agg), update: w(span.update) }, timeSpanMs: w(span.time) };
}
