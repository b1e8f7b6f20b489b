// Upbit frames -> Ticks: `trade` (aggressor from ask_bid, sequential_id as the trade id) and `orderbook`
// (its first unit is the best bid/ask). DEFAULT and SIMPLE key forms are both read. Upbit's sequential_id is
// unique and increasing but not contiguous, so it detects duplicates and never gaps (adapter flag).
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import { idOf, isObject, msToNs, nonNegative, parseJson, positive, str } from '../numbers.js';

export function makeUpbitParser(venue: string): (frame: string, tsRecvNs: number, out: Tick[]) => void {
  return (frame: string, tsRecvNs: number, out: Tick[]): void => {
    const msg = parseJson(frame);
    if (!isObject(msg)) throw new FrameError('bad-shape', 'Upbit frame is not a JSON object');
    const type = msg.type ?? msg.ty;
    if (type === 'trade') {
      const side = msg.ask_bid ?? msg.ab;
      out.push(
        tradeTick(
          venue,
          str(msg.code ?? msg.cd, 'code'),
          msToNs(msg.trade_timestamp ?? msg.ttms, 'trade_timestamp'),
          tsRecvNs,
          positive(msg.trade_price ?? msg.tp, 'trade_price'),
          nonNegative(msg.trade_volume ?? msg.tv, 'trade_volume'),
          side === 'BID' ? 'buy' : side === 'ASK' ? 'sell' : 'unknown',
          idOf(msg.sequential_id ?? msg.sid),
        ),
      );
      return;
    }
    if (type === 'orderbook') {
      const units = msg.orderbook_units ?? msg.obu;
      if (!Array.isArray(units)) throw new FrameError('bad-field', 'orderbook_units is not an array');
      if (units.length === 0) return; // an empty book has no best bid/ask
      const u = units[0];
      if (!isObject(u)) throw new FrameError('bad-field', 'orderbook unit is not an object');
      out.push(
        quoteTick(
          venue,
          str(msg.code ?? msg.cd, 'code'),
          msToNs(msg.timestamp ?? msg.tms, 'timestamp'),
          tsRecvNs,
          positive(u.bid_price ?? u.bp, 'bid_price'),
          nonNegative(u.bid_size ?? u.bs, 'bid_size'),
          positive(u.ask_price ?? u.ap, 'ask_price'),
          nonNegative(u.ask_size ?? u.as, 'ask_size'),
          -1,
        ),
      );
      return;
    }
    if (msg.status === 'UP') return; // keep-alive reply
    if (isObject(msg.error))
      throw new FrameError(
        'venue-error',
        `Upbit error ${String(msg.error.name).slice(0, 40)}: ${String(msg.error.message).slice(0, 80)}`,
      );
    if (typeof type === 'string') return; // ticker and other types are not ticks for this engine
    throw new FrameError('bad-shape', 'Upbit frame without type');
  };
}
