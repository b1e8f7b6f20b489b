// Frames -> ticks for each venue's trade channel on the real recordings: ns per frame. Binance: the byte fast
// path on the frame's Buffer as ws delivers it (budget: <= 400 ns per trade frame including parse) against
// toString + JSON.parse on the same Buffers, the text path replays use, and JSON.parse alone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { adapterFor } from '../../src/feed/adapters.js';
import type { Tick } from '../../src/model/tick.js';
import { emptyScratch } from '../../src/model/scratch.js';
import type { VenueName } from '../../src/config/types.js';
import { perItem, repoRoot, shared, sharedLines, type BenchResult, type SuiteOptions } from '../lib.js';

function samples(rel: string, key: string): string[] {
  const d = JSON.parse(readFileSync(shared(rel), 'utf8')) as Record<
    string,
    { messages?: unknown[]; captured?: Array<{ raw: string }> }
  >;
  const v = d[key]!;
  return v.messages
    ? v.messages.map((m) => JSON.stringify(m))
    : (v as unknown as Array<{ raw: string }>).map((c) => c.raw);
}
/** Repeats a small sample set to a chunk of n frames. */
const chunk = (frames: string[], n: number) => Array.from({ length: n }, (_, i) => frames[i % frames.length]!);

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const out: Tick[] = [];
  const mk = (venue: VenueName, frames: string[], fastPath = true) => {
    const a = adapterFor({ venue }, { fastPath });
    return () => {
      for (let i = 0; i < frames.length; i++) {
        emptyScratch(out);
        a.parse(frames[i]!, 1, out);
      }
    };
  };
  const spot = sharedLines('messages/binance-spot-trade.jsonl');
  const usdm = sharedLines('messages/binance-usdm-trade.jsonl');
  const bybit = chunk(
    samples('messages/bybit-v5-samples.json', 'recorded_spot_v5_2023_04_05').filter((m) => m.includes('publicTrade')),
    2000,
  );
  const cb = chunk(sharedLines('messages/coinbase-exchange-match.jsonl'), 2000);
  const cba = chunk(
    (
      JSON.parse(readFileSync(shared('messages/coinbase-advanced-market_trades.json'), 'utf8')) as {
        captured: Array<{ raw: string }>;
      }
    ).captured.map((c) => c.raw),
    2000,
  );
  const krd = JSON.parse(readFileSync(shared('messages/kraken-v2-samples.json'), 'utf8')) as Record<
    string,
    { messages?: unknown[] }
  >;
  const kr = chunk(
    Object.values(krd)
      .flatMap((v) => (v && typeof v === 'object' && Array.isArray(v.messages) ? v.messages : []))
      .map((m) => JSON.stringify(m))
      .filter((m) => m.includes('"channel":"trade"')),
    2000,
  );
  // Upbit: no recording exists; its documented-layout trade frames (test/fixtures/upbit) stand in.
  const up = chunk(
    readFileSync(path.join(repoRoot, 'test/fixtures/upbit/frames.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => /"(type|ty)":"trade"/.test(l) && !l.includes('0.-1')),
    2000,
  );
  const rawJson = () => {
    for (let i = 0; i < spot.length; i++) JSON.parse(spot[i]!);
  };
  const bytes = (venue: VenueName, frames: string[]) => {
    const a = adapterFor({ venue }),
      slowA = adapterFor({ venue }, { fastPath: false });
    const bufs = frames.map((f) => Buffer.from(f));
    return {
      fast: () => {
        for (let i = 0; i < bufs.length; i++) {
          emptyScratch(out);
          if (!a.parseBytes!(bufs[i]!, 1, out)) a.parse(bufs[i]!.toString('utf8'), 1, out);
        }
      },
      slow: () => {
        for (let i = 0; i < bufs.length; i++) {
          emptyScratch(out);
          slowA.parse(bufs[i]!.toString('utf8'), 1, out);
        }
      },
    };
  };
  const spotBytes = bytes('binance', spot),
    usdmBytes = bytes('binance-usdm', usdm);
  const book = sharedLines('messages/binance-spot-bookTicker.jsonl');
  const bookBytes = bytes('binance', book);
  return perItem(
    'feed',
    [
      {
        name: 'binance spot trade: byte fast path (ws Buffer)',
        items: spot.length,
        fn: spotBytes.fast,
        note: 'budget <= 400 ns/frame',
      },
      { name: 'binance spot trade: toString + JSON.parse path', items: spot.length, fn: spotBytes.slow },
      { name: 'binance spot trade: text fast path (replay)', items: spot.length, fn: mk('binance', spot, true) },
      { name: 'binance spot trade: text JSON.parse path', items: spot.length, fn: mk('binance', spot, false) },
      { name: 'JSON.parse alone (reference)', items: spot.length, fn: rawJson },
      { name: 'binance usdm trade: byte fast path', items: usdm.length, fn: usdmBytes.fast },
      { name: 'binance spot bookTicker: byte fast path', items: book.length, fn: bookBytes.fast },
      { name: 'binance spot bookTicker: toString + JSON.parse path', items: book.length, fn: bookBytes.slow },
      { name: 'bybit v5 publicTrade', items: bybit.length, fn: mk('bybit', bybit) },
      { name: 'coinbase match', items: cb.length, fn: mk('coinbase', cb) },
      { name: 'coinbase advanced market_trades', items: cba.length, fn: mk('coinbase-advanced', cba) },
      { name: 'kraken v2 trade', items: kr.length, fn: mk('kraken', kr) },
      { name: 'upbit trade (documented-layout frames, no recording)', items: up.length, fn: mk('upbit', up) },
    ],
    o,
  );
}
