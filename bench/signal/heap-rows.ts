// The codec suite's heap-per-item rows, measured in a process of their own (codec.bench.ts spawns this file):
// what a function allocates depends on how the JIT compiled it, and inside the bench process that depends on
// every suite run before (the same frame -> tick code measured 198 B per frame fresh and 454 B after the feed
// suite had run every venue through it). A fresh process sees the code as the daemon runs it: one venue, one
// strategy set. Prints the rows as JSON on stdout.
import { adapterFor } from '../../src/feed/adapters.js';
import { encodeSignalFrame } from '../../src/signal/signal-frame.js';
import { ComputeCore } from '../../src/compute/core.js';
import { loadConfig } from '../../src/config/load.js';
import { quoteTick, tradeTick, type Tick } from '../../src/model/tick.js';
import { emptyScratch } from '../../src/model/scratch.js';
import { heapBytesPerItem, sampleSignal, sharedLines, type BenchResult } from '../lib.js';

/** Items per measured call: fits in the young generation between two minor GCs; the meter reads it in steps of a few KB, under 8 B per item. */
const SLICE = 1024;
/**
 * The strategies: warm-up calls (enough for the JIT), measured calls, and the slices prepared (warm-up, measured,
 * retries after a GC). Each call takes a new slice and some slices draft signals, so the row moves with which
 * slices are measured (74-227 B over 9 calls, 104-159 B as the median of 31).
 */
const STRATEGY_WARM_CALLS = 40,
  STRATEGY_SAMPLES = 31,
  STRATEGY_CALLS = 160;

const heap = (name: string, fn: () => void, note: string, warmCalls?: number, samples = 9): BenchResult => ({
  suite: 'codec',
  name,
  unit: 'B/item',
  p50: heapBytesPerItem(fn, SLICE, samples, warmCalls),
  better: 'lower',
  note,
});

function rows(): BenchResult[] {
  const a = adapterFor({ venue: 'binance' });
  const tradeLines = sharedLines('messages/binance-spot-trade.jsonl');

  // Frame -> tick first, while no tick has been kept alive: V8 pretenures an allocation site whose objects
  // survive (it then allocates them in the old generation, where this meter does not look), and the daemon's
  // ticks die young. Measured after building the strategies' tick stream below, this row read 46 B, not 302.
  const tradeFrames = tradeLines.slice(0, SLICE).map((l) => Buffer.from(l));
  const parsed: Tick[] = [];
  // Indexed loops: a for-of loop's iterator results are allocated when its body calls a function the JIT does not inline.
  const parseRow = heap(
    'heap allocated per trade frame: binance byte path -> tick',
    () => {
      for (let i = 0; i < tradeFrames.length; i++) {
        emptyScratch(parsed);
        a.parseBytes!(tradeFrames[i]!, 1, parsed);
      }
    },
    'context: the tick object, with its double fields boxed',
  );

  const encodeRow = heap(
    'heap allocated per signal: frame encode (hand encoder)',
    () => {
      for (let i = 0; i < SLICE; i++) encodeSignalFrame(sampleSignal);
    },
    "context: the frame's view of the shared slab (96 B) and boxed doubles",
  );

  // The strategies see time move forward, as in a running daemon (their windows fill and evict): each measured
  // call takes the next slice of the recording, replayed in laps shifted by its span.
  const ticks: Tick[] = [];
  for (const l of [...tradeLines, ...sharedLines('messages/binance-spot-bookTicker.jsonl')]) a.parse(l, 1, ticks);
  const core = new ComputeCore(loadConfig({ env: {} }).strategies);
  const spanNs = ticks[ticks.length - 1]!.tsExchNs - ticks[0]!.tsExchNs + 1e6;
  const stream: Tick[] = [];
  for (let lap = 0; stream.length < STRATEGY_CALLS * SLICE; lap++)
    for (const t of ticks) {
      const shift = lap * spanNs; // built by the feed's own constructors, so the ticks have the daemon's shape
      stream.push(
        t.kind === 'trade'
          ? tradeTick(t.venue, t.symbol, t.tsExchNs + shift, t.tsRecvNs + shift, t.price, t.size, t.side, t.id)
          : quoteTick(
              t.venue,
              t.symbol,
              t.tsExchNs + shift,
              t.tsRecvNs + shift,
              t.bid,
              t.bidSize,
              t.ask,
              t.askSize,
              t.id,
            ),
      );
    }
  let next = 0;
  const strategySlice = () => {
    if (next + SLICE > stream.length) next = 0; // only after many retries: time steps back once
    const end = next + SLICE;
    for (let i = next; i < end; i++) core.onTick(stream[i]!);
    next = end;
  };
  const strategyRow = heap(
    'heap allocated per tick: default 4 strategies',
    strategySlice,
    'context: doubles returned by indicator calls the JIT did not inline are boxed; drafts are rare',
    STRATEGY_WARM_CALLS,
    STRATEGY_SAMPLES,
  );
  return [parseRow, strategyRow, encodeRow];
}

process.stdout.write(JSON.stringify(rows()) + '\n');
