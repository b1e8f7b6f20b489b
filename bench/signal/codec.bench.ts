// Hot-piece codecs: Redis member encode (msgpack tick), signal frame encode, COPY row encode; and the heap bytes
// the hot path's own pieces allocate per item (frame -> tick, the default strategies, a signal's frame), which set
// how often minor GCs stop the main thread (README "Garbage collection").
import { readFileSync } from 'node:fs';
import { adapterFor } from '../../src/feed/adapters.js';
import { encodeTick } from '../../src/store/codec.js';
import { encodeFrame } from '../../src/signal/framing.js';
import { encodeSignalFrame } from '../../src/signal/signal-frame.js';
import { copyText, tickRow } from '../../src/persist/rows.js';
import { ComputeCore } from '../../src/compute/core.js';
import { loadConfig } from '../../src/config/load.js';
import type { Tick } from '../../src/model/tick.js';
import type { Signal } from '../../src/model/signal.js';
import { heapBytesPerItem, perItem, shared, type BenchResult, type SuiteOptions } from '../lib.js';

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const ticks: Tick[] = [];
  const a = adapterFor({ venue: 'binance' });
  for (const f of ['messages/binance-spot-trade.jsonl', 'messages/binance-spot-bookTicker.jsonl']) for (const l of readFileSync(shared(f), 'utf8').split('\n').filter(Boolean)) a.parse(l, 1, ticks);
  const signal = { type: 'signal', seq: 1, id: 'christmas-1-1', tsNs: 1.7e18, symbol: 'BTCUSDT', venue: 'binance', side: 'buy', strategy: 'ema-cross', price: 61800.12, strength: 0.7, ttlMs: 2000,
    reason: 'ema12 crossed above ema26, rsi 55.1', indicators: { emaFast: 61800.1, emaSlow: 61799.9, rsi: 55.1 }, latency: { tsExchNs: 1.7e18, tsRecvNs: 1.7e18, tsSignalNs: 1.7e18 } };
  const cfg = loadConfig({ env: {} });
  const core = new ComputeCore(cfg.strategies);
  const timed = await perItem('codec', [
    { name: 'redis member encode (msgpack tick)', items: ticks.length, fn: () => { for (const t of ticks) encodeTick(t); } },
    { name: 'COPY row encode', items: ticks.length, fn: () => { copyText(ticks.map(tickRow)); } },
    { name: 'signal frame encode', items: 1000, fn: () => { for (let i = 0; i < 1000; i++) encodeFrame(signal); } },
    { name: 'rule evaluation: default 4 strategies per tick', items: ticks.length, fn: () => { for (const t of ticks) core.onTick(t); } },
  ], o);
  // Heap per item, in slices small enough that a call fits in the young generation between two minor GCs. Indexed
  // loops: a for-of loop's iterator results are allocated when its body calls a function the JIT does not inline.
  const SLICE = 1024; // the meter reads the young generation in steps of a few KB: per item, that is under 8 B
  const tradeFrames = readFileSync(shared('messages/binance-spot-trade.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, SLICE).map((l) => Buffer.from(l));
  const parsed: Tick[] = [];
  const parseSlice = () => { for (let i = 0; i < tradeFrames.length; i++) { if (parsed.length !== 0) parsed.length = 0; a.parseBytes!(tradeFrames[i]!, 1, parsed); } };
  const tickSlice = ticks.slice(0, SLICE);
  const heap = (name: string, fn: () => void, items: number, note: string): BenchResult =>
    ({ suite: 'codec', name, unit: 'B/item', p50: heapBytesPerItem(fn, items), better: 'lower', note });
  return [...timed,
    heap('heap allocated per trade frame: binance byte path -> tick', parseSlice, tradeFrames.length, 'context: the tick object, with its double fields boxed'),
    heap('heap allocated per tick: default 4 strategies', () => { for (let i = 0; i < tickSlice.length; i++) core.onTick(tickSlice[i]!); }, tickSlice.length, 'context: doubles boxed where a call is not inlined (closure state, returned values); drafts are rare'),
    heap('heap allocated per signal: frame encode (hand encoder)', () => { for (let i = 0; i < SLICE; i++) encodeSignalFrame(signal as Signal); }, SLICE, 'context: the frame\'s view of the shared slab (96 B) and boxed doubles'),
  ];
}
