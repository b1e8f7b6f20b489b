// Real ticks for tests: the recorded Binance spot trades and book tickers (and, on request, Coinbase matches)
// parsed through the live feed's FrameProcessor, with receive times the caller chooses.
import { readFileSync } from 'node:fs';
import { adapterFor } from '../src/feed/adapters.js';
import { FrameProcessor } from '../src/feed/processor.js';
import type { Tick } from '../src/model/tick.js';
import { shared } from './helpers.js';

export interface RecordedTicksOptions {
  /** Frames read from each file (all by default). */
  limit?: number;
  /** The receive time of the next frame, given its file and the ticks parsed so far. */
  recvNs: (file: 'trade' | 'bookTicker' | 'coinbase', ticksSoFar: number) => number;
  /** Adds the Coinbase Exchange matches after the Binance files. */
  coinbase?: boolean;
}

const lines = (rel: string, limit?: number): string[] =>
  readFileSync(shared(rel), 'utf8').split('\n').filter(Boolean).slice(0, limit);

export function recordedTicks(o: RecordedTicksOptions): Tick[] {
  const ticks: Tick[] = [];
  const bin = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => ticks.push(t));
  for (const f of ['trade', 'bookTicker'] as const)
    for (const l of lines(`messages/binance-spot-${f}.jsonl`, o.limit)) bin.onFrame(l, o.recvNs(f, ticks.length));
  if (o.coinbase) {
    const cb = new FrameProcessor(adapterFor({ venue: 'coinbase' }), (t) => ticks.push(t));
    for (const l of lines('messages/coinbase-exchange-match.jsonl')) cb.onFrame(l, o.recvNs('coinbase', ticks.length));
  }
  return ticks;
}
