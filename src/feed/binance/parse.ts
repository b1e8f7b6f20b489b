// Binance spot and USD-M frames -> Ticks (trade, aggTrade, bookTicker) and book messages (depthUpdate, to the
// BookInput when there is one), raw or combined-stream wrapped.
// The byte fast path (parse-bytes.ts) takes the common trade/bookTicker frames; anything it does not recognise
// goes to JSON.parse here. Text frames (replays) are encoded into a scratch buffer to share that one fast path.
// Spot bookTicker carries no event time: its tsExchNs is the receive time (documented precision loss).
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import { fastBinanceBytes } from './parse-bytes.js';
import { idOf, isObject, msToNs, nonNegative, parseJson, positive, str } from '../numbers.js';
import { emptyMessage, type BookInput } from '../../book/message.js';
import { binanceDepthMessage } from './parse-depth.js';
import { fastBinanceDepthBytes } from './parse-depth-bytes.js';

/** Scratch for depth events (the book copies what it keeps). */
const depthScratch = emptyMessage();

/** Parses a JSON-object event (already unwrapped). */
function parseBinanceEvent(
  venue: string,
  d: Record<string, unknown>,
  tsRecvNs: number,
  out: Tick[],
  books: BookInput | undefined,
): void {
  const e = d.e;
  if (e === 'trade' || e === 'aggTrade') {
    if (d.X !== undefined && d.X !== 'MARKET') return; // USD-M insurance-fund / ADL prints are not market trades
    const id = e === 'trade' ? idOf(d.t) : idOf(d.a);
    if (id < 0) throw new FrameError('bad-field', `field ${e === 'trade' ? 't' : 'a'}: expected a trade id`);
    if (typeof d.m !== 'boolean') throw new FrameError('bad-field', 'field m: expected a boolean');
    out.push(
      tradeTick(
        venue,
        str(d.s, 's'),
        msToNs(d.T ?? d.E, 'T'),
        tsRecvNs,
        positive(d.p, 'p'),
        nonNegative(d.q, 'q'),
        d.m ? 'sell' : 'buy',
        id,
      ),
    );
    return;
  }
  if (e === 'bookTicker' || (e === undefined && d.u !== undefined && d.b !== undefined && d.a !== undefined)) {
    const id = idOf(d.u);
    const ts = d.E !== undefined ? msToNs(d.E, 'E') : tsRecvNs;
    out.push(
      quoteTick(
        venue,
        str(d.s, 's'),
        ts,
        tsRecvNs,
        positive(d.b, 'b'),
        nonNegative(d.B, 'B'),
        positive(d.a, 'a'),
        nonNegative(d.A, 'A'),
        id,
      ),
    );
    return;
  }
  if (e === 'depthUpdate') {
    if (books !== undefined) books.onBookMessage(binanceDepthMessage(venue, d, tsRecvNs, depthScratch));
    return;
  }
  if (e === '24hrTicker' || e === 'kline' || e === 'markPriceUpdate') return; // not ours
  throw new FrameError('unknown-event', `unknown Binance event ${typeof e === 'string' ? e.slice(0, 32) : typeof e}`);
}

/** Scratch for text frames (replays, recordings) to take the byte fast path: UTF-8 needs at most 3 bytes per UTF-16 unit. */
const SCRATCH_BYTES = 1 << 16;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

export function makeBinanceParser(venue: string, fastPath = true) {
  return (frame: string, tsRecvNs: number, out: Tick[], books?: BookInput): void => {
    if (fastPath && frame.length * 3 <= SCRATCH_BYTES) {
      const n = scratch.write(frame, 0, 'utf8');
      if (
        fastBinanceBytes(venue, scratch, tsRecvNs, out, n) ||
        fastBinanceDepthBytes(venue, scratch, tsRecvNs, books, n)
      )
        return;
    }
    const msg = parseJson(frame);
    if (!isObject(msg)) throw new FrameError('bad-shape', 'Binance frame is not a JSON object');
    if ('result' in msg && 'id' in msg) return; // subscribe ack
    if ('lastUpdateId' in msg) return; // REST depth snapshot interleaved in recordings (book sync), not a tick
    if ('code' in msg && 'msg' in msg)
      throw new FrameError('venue-error', `Binance error ${String(msg.code)}: ${String(msg.msg).slice(0, 80)}`);
    const data = 'stream' in msg && 'data' in msg ? msg.data : msg;
    if (!isObject(data)) throw new FrameError('bad-shape', 'Binance combined-stream data is not an object');
    parseBinanceEvent(venue, data, tsRecvNs, out, books);
  };
}
