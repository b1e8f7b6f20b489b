// Coinbase frames -> Ticks. Exchange ws-feed: match / last_match (side = the MAKER's side, so the aggressor
// is the opposite) and ticker; level2 snapshot / l2update frames are checked and go to the BookInput. Advanced Trade: market_trades
// (side = the taker's), ticker, and level2 (l2_data snapshot / update events) to the BookInput.
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import { emptyMessage, type BookInput, type BookMessage } from '../../book/message.js';
import { advancedUpdatesInto, changesInto, pairsInto } from '../book-levels.js';
import { idOf, isObject, isoToNs, nonNegative, parseJson, positive, str } from '../numbers.js';

function sizeOrZero(v: unknown, field: string): number {
  return v === undefined || v === null ? 0 : nonNegative(v, field);
}

/** Coinbase sometimes sends the zero time 0001-01-01T00:00:00Z: tolerated as "unknown", i.e. the receive time. */
function timeOrRecv(v: unknown, field: string, tsRecvNs: number): number {
  return typeof v === 'string' && v.startsWith('0001-01-01') ? tsRecvNs : isoToNs(v, field);
}

/** Book frames are not ticks here, but their numbers are checked so a venue sending garbage is seen. */
function checkLevels(levels: unknown, field: string, withSide: boolean): void {
  if (levels === undefined) return;
  if (!Array.isArray(levels)) throw new FrameError('bad-field', `${field} is not an array`);
  for (const l of levels) {
    if (!Array.isArray(l) || l.length < 2) throw new FrameError('bad-field', `${field} level malformed`);
    positive(l[withSide ? 1 : 0], `${field}.price`);
    nonNegative(l[withSide ? 2 : 1], `${field}.size`);
  }
}

/** Scratch for level2 messages (the book copies what it keeps). */
const bookScratch = emptyMessage();

/** The common fields of a level2 snapshot or l2update (no sequence: Coinbase Exchange level2 has none). */
function coinbaseBook(m: Record<string, unknown>, kind: 'snapshot' | 'delta', tsRecvNs: number): BookMessage {
  const b = bookScratch;
  b.venue = 'coinbase';
  b.symbol = str(m.product_id, 'product_id');
  b.kind = kind;
  b.firstId = b.lastId = b.prevId = -1;
  b.tsExchNs = m.time === undefined ? tsRecvNs : timeOrRecv(m.time, 'time', tsRecvNs); // snapshots carry no time
  b.tsRecvNs = tsRecvNs;
  b.checksum = -1;
  b.streamEpoch = -1;
  return b;
}

export function parseCoinbaseExchange(frame: string, tsRecvNs: number, out: Tick[], books?: BookInput): void {
  const venue = 'coinbase';
  const m = parseJson(frame);
  if (!isObject(m)) throw new FrameError('bad-shape', 'Coinbase frame is not a JSON object');
  switch (m.type) {
    case 'match':
    case 'last_match': {
      const makerSide = m.side;
      if (makerSide !== 'buy' && makerSide !== 'sell')
        throw new FrameError('bad-field', 'field side: expected buy|sell');
      out.push(
        tradeTick(
          venue,
          str(m.product_id, 'product_id'),
          timeOrRecv(m.time, 'time', tsRecvNs),
          tsRecvNs,
          positive(m.price, 'price'),
          nonNegative(m.size, 'size'),
          makerSide === 'buy' ? 'sell' : 'buy',
          idOf(m.trade_id),
        ),
      );
      return;
    }
    case 'ticker': {
      if (m.best_bid === undefined || m.best_ask === undefined) return;
      out.push(
        quoteTick(
          venue,
          str(m.product_id, 'product_id'),
          timeOrRecv(m.time, 'time', tsRecvNs),
          tsRecvNs,
          positive(m.best_bid, 'best_bid'),
          sizeOrZero(m.best_bid_size, 'best_bid_size'),
          positive(m.best_ask, 'best_ask'),
          sizeOrZero(m.best_ask_size, 'best_ask_size'),
          idOf(m.sequence),
        ),
      );
      return;
    }
    case 'snapshot':
      checkLevels(m.bids, 'bids', false);
      checkLevels(m.asks, 'asks', false);
      if (books) {
        const b = coinbaseBook(m, 'snapshot', tsRecvNs);
        b.bidCount = pairsInto(b, 'bids', m.bids, 'bids');
        b.askCount = pairsInto(b, 'asks', m.asks, 'asks');
        books.onBookMessage(b);
      }
      return;
    case 'l2update':
      checkLevels(m.changes, 'changes', true);
      if (books) {
        const b = coinbaseBook(m, 'delta', tsRecvNs);
        changesInto(b, m.changes, 'changes');
        books.onBookMessage(b);
      }
      return;
    case 'error':
      throw new FrameError('venue-error', `Coinbase error: ${String(m.message).slice(0, 80)}`);
    default:
      return; // subscriptions, heartbeat, received/open/done...
  }
}

/**
 * The Advanced Trade parser of one connection. sequence_num numbers every message of a connection, whatever its
 * channel or product, so a skipped number means some message was lost without saying whose: each book of the
 * connection then resyncs on its next message (BookMessage.streamEpoch). A number below the last one is a new
 * connection (they start again at 0), which subscribes anew and gets fresh snapshots.
 */
export function coinbaseAdvancedParser(): (frame: string, tsRecvNs: number, out: Tick[], books?: BookInput) => void {
  let lastSeq = -1,
    gaps = 0;
  return (frame, tsRecvNs, out, books) => {
    const m = parseJson(frame);
    if (!isObject(m)) throw new FrameError('bad-shape', 'Coinbase Advanced frame is not a JSON object');
    const seq = m.sequence_num;
    if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) {
      if (lastSeq >= 0 && seq > lastSeq + 1) gaps++;
      lastSeq = seq;
    }
    if (m.channel === 'l2_data') advancedBook(m, tsRecvNs, books, gaps);
    else parseCoinbaseAdvanced(m, tsRecvNs, out);
  };
}

function advancedBook(m: Record<string, unknown>, tsRecvNs: number, books: BookInput | undefined, gaps: number): void {
  if (!Array.isArray(m.events)) throw new FrameError('bad-field', 'events is not an array');
  const tsExchNs = m.timestamp !== undefined ? isoToNs(m.timestamp, 'timestamp') : tsRecvNs;
  for (const ev of m.events) {
    if (!isObject(ev)) throw new FrameError('bad-field', 'event is not an object');
    if (ev.type !== 'snapshot' && ev.type !== 'update')
      throw new FrameError('bad-field', `l2_data event type ${String(ev.type).slice(0, 12)}: expected snapshot|update`);
    const b = bookScratch;
    b.venue = 'coinbase-advanced';
    b.symbol = str(ev.product_id, 'product_id');
    b.kind = ev.type === 'snapshot' ? 'snapshot' : 'delta';
    b.firstId = b.lastId = typeof m.sequence_num === 'number' ? m.sequence_num : -1;
    b.prevId = -1;
    b.tsExchNs = tsExchNs;
    b.tsRecvNs = tsRecvNs;
    b.checksum = -1;
    b.streamEpoch = gaps;
    advancedUpdatesInto(b, ev.updates, 'updates');
    if (books) books.onBookMessage(b);
  }
}

function parseCoinbaseAdvanced(m: Record<string, unknown>, tsRecvNs: number, out: Tick[]): void {
  const venue = 'coinbase-advanced';
  if (m.type === 'error') throw new FrameError('venue-error', `Coinbase error: ${String(m.message).slice(0, 80)}`);
  if (m.channel !== 'market_trades' && m.channel !== 'ticker') return; // heartbeats, subscriptions
  if (!Array.isArray(m.events)) throw new FrameError('bad-field', 'events is not an array');
  const envelopeNs = m.timestamp !== undefined ? isoToNs(m.timestamp, 'timestamp') : tsRecvNs;
  for (const ev of m.events) {
    if (!isObject(ev)) throw new FrameError('bad-field', 'event is not an object');
    if (m.channel === 'market_trades') {
      if (!Array.isArray(ev.trades)) throw new FrameError('bad-field', 'trades is not an array');
      for (const t of ev.trades) {
        if (!isObject(t)) throw new FrameError('bad-field', 'trade is not an object');
        out.push(
          tradeTick(
            venue,
            str(t.product_id, 'product_id'),
            isoToNs(t.time, 'time'),
            tsRecvNs,
            positive(t.price, 'price'),
            nonNegative(t.size, 'size'),
            t.side === 'BUY' ? 'buy' : t.side === 'SELL' ? 'sell' : 'unknown',
            idOf(t.trade_id),
          ),
        );
      }
    } else {
      if (!Array.isArray(ev.tickers)) throw new FrameError('bad-field', 'tickers is not an array');
      for (const t of ev.tickers) {
        if (!isObject(t)) throw new FrameError('bad-field', 'ticker is not an object');
        if (t.best_bid === undefined || t.best_ask === undefined) continue;
        out.push(
          quoteTick(
            venue,
            str(t.product_id, 'product_id'),
            envelopeNs,
            tsRecvNs,
            positive(t.best_bid, 'best_bid'),
            sizeOrZero(t.best_bid_quantity, 'best_bid_quantity'),
            positive(t.best_ask, 'best_ask'),
            sizeOrZero(t.best_ask_quantity, 'best_ask_quantity'),
            idOf(m.sequence_num),
          ),
        );
      }
    }
  }
}
