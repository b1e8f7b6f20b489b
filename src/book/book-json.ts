// `--print books`: one JSON line per applied update, {"type":"book","venue","symbol","updateId","tsExchNs",
// "tsRecvNs","bids":[[price,size],...],"asks":[...]}, best first, numbers as numbers (integers for the ids and
// times). The top is read into one reused typed array.
import type { SyncedBook } from './synced-book.js';

let scratch = new Float64Array(4 * 10);

function side(out: Float64Array, base: number, n: number): string {
  let s = '[';
  for (let k = 0; k < n; k++) s += (k ? ',[' : '[') + out[base + 2 * k] + ',' + out[base + 2 * k + 1] + ']';
  return s + ']';
}

export function bookLine(b: SyncedBook, depth: number): string {
  if (scratch.length < 4 * depth) scratch = new Float64Array(4 * depth);
  const packed = b.book.top(scratch, depth);
  return (
    `{"type":"book","venue":${JSON.stringify(b.venue)},"symbol":${JSON.stringify(b.symbol)},"updateId":${b.lastId},` +
    `"tsExchNs":${Math.round(b.tsExchNs)},"tsRecvNs":${Math.round(b.tsRecvNs)},` +
    `"bids":${side(scratch, 0, packed & 0xffff)},"asks":${side(scratch, 2 * depth, packed >>> 16)}}`
  );
}
