// Kraken spot WebSocket v2 frames -> Ticks: trade (taker side, RFC 3339 times) and ticker (best bid/ask); book
// snapshots and updates, with the checksum Kraken sends after each, to the BookInput.
// Values are JSON numbers; heartbeats, status and method replies carry no ticks.
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import { idOf, isObject, isoToNs, nonNegative, parseJson, positive, str } from '../numbers.js';
import { emptyMessage, type BookInput } from '../../book/message.js';
import { objectsInto } from '../book-levels.js';

/** Scratch for book messages (the book copies what it keeps). */
const bookScratch = emptyMessage();

/** A v2 `book` message (snapshot or update) per data item, with Kraken's checksum, to the books. */
function krakenBook(m: Record<string, unknown>, tsRecvNs: number, books: BookInput): void {
  if (!Array.isArray(m.data)) throw new FrameError('bad-field', 'data is not an array');
  for (const d of m.data) {
    if (!isObject(d)) throw new FrameError('bad-field', 'data item is not an object');
    const b = bookScratch;
    b.venue = 'kraken';
    b.symbol = str(d.symbol, 'symbol');
    b.kind = m.type === 'snapshot' ? 'snapshot' : 'delta';
    b.firstId = b.lastId = b.prevId = -1;
    b.tsExchNs = d.timestamp !== undefined ? isoToNs(d.timestamp, 'timestamp') : tsRecvNs;
    b.tsRecvNs = tsRecvNs;
    b.bidCount = objectsInto(b, 'bids', d.bids ?? [], 'bids');
    b.askCount = objectsInto(b, 'asks', d.asks ?? [], 'asks');
    b.checksum = typeof d.checksum === 'number' && d.checksum >= 0 ? d.checksum : -1;
    books.onBookMessage(b);
  }
}

export function parseKraken(frame: string, tsRecvNs: number, out: Tick[], books?: BookInput): void {
  const venue = 'kraken';
  const m = parseJson(frame);
  if (!isObject(m))
    throw new FrameError('bad-shape', 'Kraken frame is not a JSON object (v1 array frames are not supported)');
  if (m.method !== undefined) {
    if (m.success === false)
      throw new FrameError('venue-error', `Kraken ${String(m.method)} failed: ${String(m.error).slice(0, 80)}`);
    return;
  }
  if (m.channel === 'book') {
    if (books) krakenBook(m, tsRecvNs, books);
    return;
  }
  if (m.channel !== 'trade' && m.channel !== 'ticker') return; // heartbeat, status...
  if (!Array.isArray(m.data)) throw new FrameError('bad-field', 'data is not an array');
  for (const d of m.data) {
    if (!isObject(d)) throw new FrameError('bad-field', 'data item is not an object');
    if (m.channel === 'trade') {
      out.push(
        tradeTick(
          venue,
          str(d.symbol, 'symbol'),
          isoToNs(d.timestamp, 'timestamp'),
          tsRecvNs,
          positive(d.price, 'price'),
          nonNegative(d.qty, 'qty'),
          d.side === 'buy' ? 'buy' : d.side === 'sell' ? 'sell' : 'unknown',
          idOf(d.trade_id),
        ),
      );
    } else {
      const ts = d.timestamp !== undefined ? isoToNs(d.timestamp, 'timestamp') : tsRecvNs;
      out.push(
        quoteTick(
          venue,
          str(d.symbol, 'symbol'),
          ts,
          tsRecvNs,
          positive(d.bid, 'bid'),
          nonNegative(d.bid_qty, 'bid_qty'),
          positive(d.ask, 'ask'),
          nonNegative(d.ask_qty, 'ask_qty'),
          -1,
        ),
      );
    }
  }
}
