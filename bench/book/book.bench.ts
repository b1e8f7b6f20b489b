// L2 books on real Binance depth frames (issue 21): frame -> book updated with the parse included (byte path,
// native and TypeScript books) against JSON.parse alone of the same frames; levels applied per level, native vs
// TypeScript vs a plain JS sorted-array book; the top-10 read; Kraken's checksum; and the whole 2021 session
// (10 symbols, REST snapshots) through FrameProcessor and BookSet. All references run in the same process.
import { readFileSync } from 'node:fs';
import { binanceAdapter } from '../../src/feed/binance/adapter.js';
import { ASK, BID, type L2Book } from '../../src/book/book.js';
import { TsBook } from '../../src/book/ts-book.js';
import { emptyMessage, type BookInput, type BookMessage } from '../../src/book/message.js';
import { BookSet } from '../../src/book/books.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { readRecording } from '../../src/feed/replay/readers.js';
import { nativeModule } from '../../src/native/index.js';
import { PlainJsBook } from './plain-book.js';
import { bookModes } from './modes.bench.js';
import {
  percentile,
  perItem,
  shared,
  sharedLines,
  type BenchResult,
  type SuiteOptions,
  startedReplayEngine,
} from '../lib.js';
import { loadConfig } from '../../src/config/load.js';

/** Applies each message to one book, no sequencing: the cost of parse + apply alone. */
function applier(book: L2Book): BookInput {
  return {
    onBookMessage: (m: BookMessage) => {
      book.apply(BID, m.bids, m.bidCount);
      book.apply(ASK, m.asks, m.askCount);
    },
  };
}

/**
 * Depth frame -> book updated -> onBook of a book strategy (ofi-momentum) -> risk gate, in a real inline engine at
 * the 2021 session's 10 symbols: each depth frame's time through FrameProcessor.onFrame, p50 and p99 over
 * several passes (a fresh engine each: the sync needs its snapshots again).
 */
async function frameToSignal(
  records: Array<{ kind: 'frame' | 'snapshot'; text: string; recvNs: number; symbol: string }>,
  o: SuiteOptions,
): Promise<BenchResult> {
  const times: number[] = [];
  let signals = 0;
  for (let pass = 0; pass < (o.quick ? 3 : 10); pass++) {
    const cfg = loadConfig({
      env: {},
      overrides: {
        strategies: [{ name: 'ofi', type: 'ofi-momentum', symbols: ['*'], params: {} }],
        'risk.cooldownMs': 0,
      },
    });
    const engine = await startedReplayEngine(cfg);
    const proc = new FrameProcessor(binanceAdapter('binance'), (t) => engine.onTick(t, 0));
    proc.books = engine.bookInput;
    for (const r of records) {
      if (r.kind === 'snapshot') {
        proc.onSnapshot(r.symbol, r.text, r.recvNs);
        continue;
      }
      const depth = r.text.includes('depthUpdate');
      const t0 = depth ? process.hrtime.bigint() : 0n;
      proc.onFrame(r.text, r.recvNs);
      if (depth && pass > 0) times.push(Number(process.hrtime.bigint() - t0));
    }
    signals = engine.emitted;
    await engine.stop(1000);
  }
  times.sort((x, y) => x - y);
  return {
    suite: 'book',
    name: 'depth frame -> book -> ofi-momentum onBook -> risk gate, inline engine, 10 symbols (text frames)',
    unit: 'ns/item',
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    better: 'lower',
    note: `budget p50 <= 15 us; ${times.length} frames timed, ${signals} signals a pass`,
  };
}

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const NativeBook = nativeModule().mod?.NativeBook;
  if (!NativeBook) throw new Error(`book bench: native module not built (${nativeModule().reason})`);
  const frames = sharedLines('messages/binance-spot-depthUpdate.jsonl');
  const bufs = frames.map((f) => Buffer.from(f));
  const session = shared('messages/binance-spot-session-2021-04-05.cryptofeed.log');
  const records: Array<{ kind: 'frame' | 'snapshot'; text: string; recvNs: number; symbol: string }> = [];
  for await (const r of readRecording(session))
    if (r.type === 'frame') records.push({ kind: 'frame', text: r.text, recvNs: r.recvNs, symbol: '' });
    else if (r.type === 'snapshot')
      records.push({ kind: 'snapshot', text: r.text, recvNs: r.recvNs, symbol: r.symbol });
  const depth2021 = records
    .filter((r) => r.kind === 'frame' && r.text.includes('depthUpdate'))
    .map((r) => Buffer.from(r.text));

  // Pre-parsed level arrays for the per-level rows.
  const parsed: Array<{ bids: Float64Array; nb: number; asks: Float64Array; na: number }> = [];
  let levels = 0;
  const capture = binanceAdapter('binance');
  for (const b of bufs)
    capture.parseBytes!(b, 1, [], {
      onBookMessage: (m) => {
        parsed.push({
          bids: m.bids.slice(0, 2 * m.bidCount),
          nb: m.bidCount,
          asks: m.asks.slice(0, 2 * m.askCount),
          na: m.askCount,
        });
        levels += m.bidCount + m.askCount;
      },
    });
  const levels2021 = depth2021.reduce((n, b) => {
    capture.parseBytes!(b, 1, [], { onBookMessage: (m) => (n += m.bidCount + m.askCount) });
    return n;
  }, 0);

  const a = binanceAdapter('binance');
  const nativeBook = new NativeBook(),
    tsBook = new TsBook(),
    plain = new PlainJsBook();
  const toNative = applier(nativeBook),
    toTs = applier(tsBook);
  const byteFrames = (bs: Buffer[], sink: BookInput) => () => {
    for (let i = 0; i < bs.length; i++) a.parseBytes!(bs[i]!, 1, [], sink);
  };
  const applyAll =
    (book: { apply(side: number | boolean, l: Float64Array, n: number): unknown }, bid: unknown, ask: unknown) =>
    () => {
      for (let i = 0; i < parsed.length; i++) {
        const p = parsed[i]!;
        book.apply(bid as number, p.bids, p.nb);
        book.apply(ask as number, p.asks, p.na);
      }
    };
  const jsonSlow = binanceAdapter('binance', { fastPath: false });
  const scratch = emptyMessage();
  void scratch;

  // Kraken's checksum example book (10 levels a side).
  const kr = (
    JSON.parse(readFileSync(shared('messages/kraken-v2-samples.json'), 'utf8')) as {
      book_checksum_oracle: {
        message: {
          data: Array<{ bids: Array<{ price: number; qty: number }>; asks: Array<{ price: number; qty: number }> }>;
        };
      };
    }
  ).book_checksum_oracle.message.data[0]!;
  const krNative = new NativeBook(),
    krTs = new TsBook();
  for (const bk of [krNative, krTs]) {
    bk.apply(BID, Float64Array.from(kr.bids.flatMap((l) => [l.price, l.qty])), kr.bids.length);
    bk.apply(ASK, Float64Array.from(kr.asks.flatMap((l) => [l.price, l.qty])), kr.asks.length);
  }
  const top = new Float64Array(40);
  const TOP_CALLS = 1000,
    CHECKSUM_CALLS = 200;

  const sessionRun = () => {
    const books = new BookSet();
    const proc = new FrameProcessor(binanceAdapter('binance'), () => undefined);
    proc.books = books;
    for (const r of records)
      if (r.kind === 'frame') proc.onFrame(r.text, r.recvNs);
      else proc.onSnapshot(r.symbol, r.text, r.recvNs);
  };

  // N resident books: every frame applied to each of N symbols' books in turn (the frames' levels, N books' memory).
  const resident = (n: number) => {
    const books = Array.from({ length: n }, () => new NativeBook());
    const sinks = books.map(applier);
    return () => {
      for (let i = 0; i < bufs.length; i++) a.parseBytes!(bufs[i]!, 1, [], sinks[i % n]!);
    };
  };

  const rows = await perItem(
    'book',
    [
      {
        name: 'JSON.parse alone of the depth frames (reference)',
        items: frames.length,
        fn: () => frames.forEach((f) => JSON.parse(f)),
      },
      {
        name: 'depth frame -> book updated, byte path, native book (2024 BTCUSDT, 56.8 levels/frame)',
        items: frames.length,
        fn: byteFrames(bufs, toNative),
        note: 'budget <= 0.6x JSON.parse alone; <= 2 us for ~20 levels',
      },
      {
        name: 'depth frame -> book updated, byte path, TypeScript book',
        items: frames.length,
        fn: byteFrames(bufs, toTs),
      },
      { name: 'depth frame -> book updated, inline, 1 resident book', items: frames.length, fn: resident(1) },
      { name: 'depth frame -> book updated, inline, 10 resident books', items: frames.length, fn: resident(10) },
      { name: 'depth frame -> book updated, inline, 100 resident books', items: frames.length, fn: resident(100) },
      {
        name: 'depth frame -> book updated, toString + JSON.parse path, native book',
        items: frames.length,
        fn: () => {
          for (let i = 0; i < bufs.length; i++) jsonSlow.parse(bufs[i]!.toString('utf8'), 1, [], toNative);
        },
      },
      {
        name: `depth frame -> book updated, byte path, native book (2021 session, ${(levels2021 / depth2021.length).toFixed(1)} levels/frame)`,
        items: depth2021.length,
        fn: byteFrames(depth2021, applier(nativeBook)),
      },
      {
        name: 'level applied: native book',
        items: levels,
        fn: applyAll(nativeBook, BID, ASK),
        note: 'budget <= 50 ns and <= 0.5x plain JS',
      },
      { name: 'level applied: TypeScript book', items: levels, fn: applyAll(tsBook, BID, ASK) },
      {
        name: 'level applied: plain JS sorted-array book (reference)',
        items: levels,
        fn: applyAll(plain, true, false),
      },
      {
        name: 'top-10 read: native book',
        items: TOP_CALLS,
        fn: () => {
          for (let i = 0; i < TOP_CALLS; i++) nativeBook.top(top, 10);
        },
      },
      {
        name: 'top-10 read: TypeScript book',
        items: TOP_CALLS,
        fn: () => {
          for (let i = 0; i < TOP_CALLS; i++) tsBook.top(top, 10);
        },
      },
      {
        name: 'Kraken checksum (top 10 a side): native',
        items: CHECKSUM_CALLS,
        fn: () => {
          for (let i = 0; i < CHECKSUM_CALLS; i++) krNative.krakenChecksum(1, 8);
        },
        note: 'budget <= 2 us',
      },
      {
        name: 'Kraken checksum (top 10 a side): TypeScript',
        items: CHECKSUM_CALLS,
        fn: () => {
          for (let i = 0; i < CHECKSUM_CALLS; i++) krTs.krakenChecksum(1, 8);
        },
      },
      {
        name: 'whole 2021 session through FrameProcessor + BookSet (10 symbols, snapshots included), per depth frame',
        items: depth2021.length,
        fn: sessionRun,
      },
    ],
    o,
  );
  rows.push(await frameToSignal(records, o));
  rows.push(...(await bookModes(records, o)));
  const by = (prefix: string) => rows.find((r) => r.name.startsWith(prefix))!;
  const ratio = (name: string, num: BenchResult, den: BenchResult, note: string): BenchResult => ({
    suite: 'book',
    name,
    unit: 'ratio',
    p50: num.p50 / den.p50,
    better: 'lower',
    note,
  });
  rows.push(
    ratio(
      'depth frame -> native book / JSON.parse alone',
      by('depth frame -> book updated, byte path, native book (2024'),
      by('JSON.parse alone'),
      'budget <= 0.6',
    ),
    ratio('native level / plain JS level', by('level applied: native'), by('level applied: plain JS'), 'budget <= 0.5'),
    ratio(
      'TypeScript level / plain JS level',
      by('level applied: TypeScript'),
      by('level applied: plain JS'),
      'context',
    ),
  );
  return rows;
}
