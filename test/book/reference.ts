// The reference books of a recording for the book tests: every frame and recorded snapshot of it through the
// sync code (FrameProcessor + BookSet, TypeScript books), in order, with the options a test needs.
import { readRecording, type ReplayRecord } from '../../src/feed/replay/readers.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { binanceAdapter } from '../../src/feed/binance/adapter.js';
import { BookSet, type BookSetOptions } from '../../src/book/books.js';
import { TsBook } from '../../src/book/ts-book.js';

/** Every record of a file, in order. */
export async function recordsOf(file: string): Promise<ReplayRecord[]> {
  const out: ReplayRecord[] = [];
  for await (const r of readRecording(file)) out.push(r);
  return out;
}

/** Plays records (Binance frames and snapshots) into a new BookSet; `skip` leaves records out. */
export function playBinance(
  recs: readonly ReplayRecord[],
  opts: BookSetOptions = {},
  skip?: (r: ReplayRecord, i: number) => boolean,
): { books: BookSet; proc: FrameProcessor } {
  const books = new BookSet({ makeBook: () => new TsBook(), ...opts });
  const proc = new FrameProcessor(binanceAdapter('binance'), () => undefined);
  proc.books = books;
  recs.forEach((r, i) => {
    if (skip?.(r, i)) return;
    if (r.type === 'frame') proc.onFrame(r.text, r.recvNs);
    else if (r.type === 'snapshot') proc.onSnapshot(r.symbol, r.text, r.recvNs);
  });
  return { books, proc };
}
