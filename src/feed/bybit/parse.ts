// Bybit v5 public frames -> Ticks: publicTrade, orderbook.1 (snapshot + deltas) and tickers for best bid/ask.
// orderbook.1 deltas carry only the changed side, so the last top of book per symbol is kept by the parser;
// orderbook.50/.200 go to the BookInput as L2 book messages.
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import { idOf, isObject, msToNs, nonNegative, parseJson, positive, str } from '../numbers.js';
import { emptyMessage, type BookInput } from '../../book/message.js';
import { pairsInto } from '../book-levels.js';

interface Top {
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
}

/** A parser for one connection's frames (it holds the top of book per symbol between deltas). */
export function makeBybitParser(
  venue: string,
): (frame: string, tsRecvNs: number, out: Tick[], books?: BookInput) => void {
  const tops = new Map<string, Top>();
  const bookScratch = emptyMessage();
  const topOf = (s: string): Top => {
    let t = tops.get(s);
    if (!t) {
      t = { bid: NaN, bidSize: NaN, ask: NaN, askSize: NaN };
      tops.set(s, t);
    }
    return t;
  };
  const emitTop = (symbol: string, top: Top, tsExchNs: number, tsRecvNs: number, id: number, out: Tick[]) => {
    if (top.bid > 0 && top.ask > 0)
      out.push(quoteTick(venue, symbol, tsExchNs, tsRecvNs, top.bid, top.bidSize, top.ask, top.askSize, id));
  };
  return (frame: string, tsRecvNs: number, out: Tick[], books?: BookInput): void => {
    const msg = parseJson(frame);
    if (!isObject(msg)) throw new FrameError('bad-shape', 'Bybit frame is not a JSON object');
    if (typeof msg.op === 'string') {
      if (msg.success === false)
        throw new FrameError('venue-error', `Bybit ${msg.op} failed: ${String(msg.ret_msg).slice(0, 80)}`);
      return; // subscribe ack, pong
    }
    const topic = msg.topic;
    if (typeof topic !== 'string') throw new FrameError('bad-shape', 'Bybit frame without topic');
    if (topic.startsWith('publicTrade.')) {
      if (!Array.isArray(msg.data)) throw new FrameError('bad-field', 'publicTrade data is not an array');
      for (const t of msg.data) {
        if (!isObject(t)) throw new FrameError('bad-field', 'publicTrade item is not an object');
        const side = t.S === 'Buy' ? 'buy' : t.S === 'Sell' ? 'sell' : 'unknown';
        out.push(
          tradeTick(
            venue,
            str(t.s, 's'),
            msToNs(t.T, 'T'),
            tsRecvNs,
            positive(t.p, 'p'),
            nonNegative(t.v, 'v'),
            side,
            idOf(t.i),
          ),
        );
      }
      return;
    }
    if (topic.startsWith('orderbook.') && !topic.startsWith('orderbook.1.')) {
      // orderbook.50 / .200: the L2 book. A snapshot (or any message with u = 1, a service restart) resets it.
      if (!books) return;
      const d = msg.data;
      if (!isObject(d)) throw new FrameError('bad-field', 'orderbook data malformed');
      const b = bookScratch;
      b.venue = venue;
      b.symbol = str(d.s, 's');
      b.lastId = idOf(d.u);
      if (b.lastId < 0) throw new FrameError('bad-field', 'field u: expected an update id');
      b.kind = msg.type === 'snapshot' || b.lastId === 1 ? 'snapshot' : 'delta';
      b.firstId = b.prevId = -1;
      b.tsExchNs = msToNs(msg.cts ?? msg.ts, 'ts');
      b.tsRecvNs = tsRecvNs;
      b.bidCount = pairsInto(b, 'bids', d.b, 'b');
      b.askCount = pairsInto(b, 'asks', d.a, 'a');
      b.checksum = -1;
      books.onBookMessage(b);
      return;
    }
    if (topic.startsWith('orderbook.1.')) {
      const d = msg.data;
      if (!isObject(d) || !Array.isArray(d.b) || !Array.isArray(d.a))
        throw new FrameError('bad-field', 'orderbook data malformed');
      const symbol = str(d.s, 's');
      const top = topOf(symbol);
      if (msg.type === 'snapshot') {
        top.bid = top.ask = top.bidSize = top.askSize = NaN;
      }
      for (const [side, levels] of [
        ['b', d.b],
        ['a', d.a],
      ] as const) {
        for (const lvl of levels as unknown[]) {
          if (!Array.isArray(lvl) || lvl.length < 2) throw new FrameError('bad-field', 'orderbook level malformed');
          const px = positive(lvl[0], `${side}.price`),
            qty = nonNegative(lvl[1], `${side}.size`);
          if (side === 'b') {
            if (qty === 0) {
              top.bid = NaN;
              top.bidSize = NaN;
            } else {
              top.bid = px;
              top.bidSize = qty;
            }
          } else if (qty === 0) {
            top.ask = NaN;
            top.askSize = NaN;
          } else {
            top.ask = px;
            top.askSize = qty;
          }
        }
      }
      emitTop(symbol, top, msToNs(msg.cts ?? msg.ts, 'ts'), tsRecvNs, idOf(d.u), out);
      return;
    }
    if (topic.startsWith('tickers.')) {
      const d = msg.data;
      if (!isObject(d)) throw new FrameError('bad-field', 'tickers data malformed');
      if (d.bid1Price === undefined && d.ask1Price === undefined) return;
      const symbol = str(d.symbol, 'symbol');
      const top = topOf(symbol);
      if (d.bid1Price !== undefined) {
        top.bid = positive(d.bid1Price, 'bid1Price');
        top.bidSize = nonNegative(d.bid1Size, 'bid1Size');
      }
      if (d.ask1Price !== undefined) {
        top.ask = positive(d.ask1Price, 'ask1Price');
        top.askSize = nonNegative(d.ask1Size, 'ask1Size');
      }
      emitTop(symbol, top, msToNs(msg.ts, 'ts'), tsRecvNs, idOf(msg.cs), out);
      return;
    }
    // liquidation and other topics are not ticks for this engine
  };
}
