// Kraken spot WebSocket v2 frames -> Ticks: trade (taker side, RFC 3339 times) and ticker (best bid/ask).
// Values are JSON numbers; heartbeats, status and method replies carry no ticks.
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import { idOf, isObject, isoToNs, nonNegative, parseJson, positive, str } from '../numbers.js';

export function parseKraken(frame: string, tsRecvNs: number, out: Tick[]): void {
  const venue = 'kraken';
  const m = parseJson(frame);
  if (!isObject(m))
    throw new FrameError('bad-shape', 'Kraken frame is not a JSON object (v1 array frames are not supported)');
  if (m.method !== undefined) {
    if (m.success === false)
      throw new FrameError('venue-error', `Kraken ${String(m.method)} failed: ${String(m.error).slice(0, 80)}`);
    return;
  }
  if (m.channel !== 'trade' && m.channel !== 'ticker') return; // heartbeat, status, book...
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
