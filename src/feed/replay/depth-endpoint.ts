// serve-replay's REST depth endpoint (GET /api/v3/depth and /fapi/v1/depth ?symbol=X&limit=N): the venue's book
// as the recording stands at the serving cursor. Every frame the cursor passes (faults or not: the venue's book
// does not care what the client missed) and every recorded snapshot is applied to reference books kept by the
// same sync code; a request is answered from the symbol's live reference book, or held until it is live (a
// recording whose snapshot comes later), or 503 when the recording ends first. Requests and their Binance weights
// are counted, so tests can hold the client to its budget.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BookSet } from '../../book/books.js';
import { TsBook } from '../../book/ts-book.js';
import { FrameProcessor } from '../processor.js';
import { binanceAdapter } from '../binance/adapter.js';

export interface DepthEndpointStats {
  requests: number;
  weight: number;
  /** When each request arrived (ms since the epoch). */
  requestTimesMs: number[];
  held: number;
}

export class DepthEndpoint {
  private readonly books = new BookSet({ makeBook: () => new TsBook() });
  private readonly proc = new FrameProcessor(binanceAdapter('binance'), () => undefined);
  private readonly pending = new Map<string, Array<{ res: ServerResponse; limit: number }>>();
  private readonly seen = new Set<string>();
  readonly stats: DepthEndpointStats = { requests: 0, weight: 0, requestTimesMs: [], held: 0 };
  private ended = false;
  private readonly out = new Float64Array(4 * 5000);

  constructor() {
    this.proc.books = this.books;
  }

  /** A frame the cursor passed. */
  onFrame(text: string, recvNs: number): void {
    if (!text.includes('depthUpdate')) return;
    this.proc.onFrame(text, recvNs);
    const sym = /"s":"([A-Z0-9]+)"/.exec(text)?.[1];
    if (sym) {
      this.seen.add(sym);
      this.answer(sym);
    }
  }

  /** A recorded snapshot the cursor passed; `lastIdShift` moves its id with the lap (--loop). */
  onSnapshot(symbol: string, body: string, recvNs: number, lastIdShift: number): void {
    this.seen.add(symbol);
    let text = body;
    if (lastIdShift !== 0)
      text = body.replace(/"lastUpdateId":(\d+)/, (_, id: string) => `"lastUpdateId":${Number(id) + lastIdShift}`);
    this.proc.onSnapshot(symbol, text, recvNs);
    this.answer(symbol);
  }

  /** The recording ended: what is held and cannot be answered gets a 503. */
  end(): void {
    this.ended = true;
    for (const sym of [...this.pending.keys()]) this.answer(sym);
  }

  /** True when it handled the request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || !/\/(api\/v3|fapi\/v1)\/depth$/.test(url.pathname)) return false;
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    const limit = Math.min(5000, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
    this.stats.requests++;
    this.stats.weight += limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
    this.stats.requestTimesMs.push(Date.now());
    if (!this.seen.has(symbol) && this.ended) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"code":-1121,"msg":"Invalid symbol."}');
      return true;
    }
    const list = this.pending.get(symbol) ?? [];
    list.push({ res, limit });
    this.pending.set(symbol, list);
    this.stats.held++;
    this.answer(symbol);
    return true;
  }

  private answer(symbol: string): void {
    const list = this.pending.get(symbol);
    if (!list || list.length === 0) return;
    const b = this.books.get('binance', symbol);
    if (!b || b.state !== 'live') {
      if (!this.ended) return;
      for (const p of list) {
        p.res.writeHead(503, { 'content-type': 'application/json' });
        p.res.end('{"code":-1003,"msg":"No book for this symbol in the recording."}');
      }
      this.pending.delete(symbol);
      return;
    }
    this.pending.delete(symbol);
    for (const p of list) {
      const packed = b.book.top(this.out, p.limit);
      const side = (base: number, n: number) => {
        let s = '[';
        for (let k = 0; k < n; k++)
          s += `${k ? ',' : ''}["${this.out[base + 2 * k]!}","${this.out[base + 2 * k + 1]!}"]`;
        return s + ']';
      };
      p.res.writeHead(200, { 'content-type': 'application/json' });
      p.res.end(
        `{"lastUpdateId":${b.lastId},"bids":${side(0, packed & 0xffff)},"asks":${side(2 * p.limit, packed >>> 16)}}`,
      );
    }
  }
}
