// Loads a recording into memory as frames for serving; tick-only files (CSV) become Binance-format
// trade / bookTicker frames built from the real rows, so any file can be served the way Binance would.
import type { Tick } from '../../model/tick.js';
import { readRecording } from './readers.js';

export interface ServedFrame { recvNs: number; text: string }

export function binanceFrameOf(t: Tick): string {
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
      else frames.push({ recvNs: r.tick.tsRecvNs, text: binanceFrameOf(r.tick) });
    }
  }
  return frames;
}

/**
 * For --loop: shifts Binance ids and times by one recording's span per lap so a looped session stays a
 * valid, gap-free, duplicate-free stream. Non-Binance frames pass unchanged.
 */
export function shiftBinanceFrame(text: string, lap: number, idSpan: { trade: number; agg: number; update: number }, timeSpanMs: number): string {
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
  } catch { return text; }
}

/** The id and time span of a recording, for shiftBinanceFrame. */
export function spansOf(frames: ServedFrame[]): { idSpan: { trade: number; agg: number; update: number }; timeSpanMs: number } {
  const span = { trade: [Infinity, -Infinity], agg: [Infinity, -Infinity], update: [Infinity, -Infinity], time: [Infinity, -Infinity] };
  const take = (r: number[], v: unknown) => { if (typeof v === 'number') { r[0] = Math.min(r[0]!, v); r[1] = Math.max(r[1]!, v); } };
  for (const f of frames) {
    if (!f.text.startsWith('{"stream"')) continue;
    try {
      const d = (JSON.parse(f.text) as { data: Record<string, unknown> }).data;
      if (d.e === 'trade') take(span.trade, d.t);
      if (d.e === 'aggTrade') take(span.agg, d.a);
      take(span.update, d.u);
      take(span.time, d.E); take(span.time, d.T);
    } catch { /* not JSON: served as is */ }
  }
  const w = (r: number[]) => (Number.isFinite(r[0]) ? r[1]! - r[0]! + 1 : 0);
  return { idSpan: { trade: w(span.trade), agg: w(span.agg), update: w(span.update) }, timeSpanMs: w(span.time) };
}
