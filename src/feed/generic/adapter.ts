// A venue described by configuration: dotted field paths pick kind, symbol, time, price, size, side, id
// and best bid/ask out of a JSON object frame; subscribe messages are sent verbatim.
import { quoteTick, tradeTick, type Tick } from '../../model/tick.js';
import { FrameError } from '../../model/errors.js';
import type { GenericFieldPaths } from '../../config/types.js';
import type { VenueAdapter } from '../venue.js';
import { decimal, idOf, isObject, isoToNs, nonNegative, parseJson, positive, str } from '../numbers.js';

function getter(path: string): (o: unknown) => unknown {
  const parts = path.split('.');
  return (o) => {
    let n: unknown = o;
    for (const p of parts) {
      if (n === null || typeof n !== 'object') return undefined;
      n = (n as Record<string, unknown>)[p];
    }
    return n;
  };
}

const unitToNs = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 } as const;

export function genericAdapter(venue: string, fields: GenericFieldPaths, subscribe: unknown[] = []): VenueAdapter {
  const g = (p: string | undefined) => (p ? getter(p) : () => undefined);
  const kind = g(fields.kindPath),
    symbol = g(fields.symbolPath),
    time = g(fields.timePath);
  const price = g(fields.pricePath),
    size = g(fields.sizePath),
    side = g(fields.sidePath),
    id = g(fields.idPath);
  const bid = g(fields.bidPath),
    bidSize = g(fields.bidSizePath),
    ask = g(fields.askPath),
    askSize = g(fields.askSizePath);
  const timeNs = (m: unknown): number => {
    const v = time(m);
    if (fields.timeUnit === 'iso') return isoToNs(v, fields.timePath);
    const n = decimal(v, fields.timePath) * unitToNs[fields.timeUnit];
    if (!(n > 0)) throw new FrameError('bad-field', `field ${fields.timePath}: expected a positive time`);
    return n;
  };
  return {
    venue,
    normalizeSymbol: (raw) => raw,
    connectUrl: (baseUrl) => baseUrl,
    subscribeMessages: () => subscribe.map((s) => (typeof s === 'string' ? s : JSON.stringify(s))),
    parse(frame, tsRecvNs, out: Tick[]) {
      const m = parseJson(frame);
      if (!isObject(m)) throw new FrameError('bad-shape', 'frame is not a JSON object');
      const k = kind(m);
      if (k === fields.tradeKind) {
        const sv = side(m);
        const s =
          fields.buyValue !== undefined
            ? sv === undefined
              ? 'unknown'
              : String(sv) === fields.buyValue
                ? 'buy'
                : 'sell'
            : 'unknown';
        out.push(
          tradeTick(
            venue,
            str(symbol(m), fields.symbolPath),
            timeNs(m),
            tsRecvNs,
            positive(price(m), fields.pricePath ?? 'price'),
            nonNegative(size(m), fields.sizePath ?? 'size'),
            s,
            idOf(id(m)),
          ),
        );
      } else if (k === fields.quoteKind) {
        out.push(
          quoteTick(
            venue,
            str(symbol(m), fields.symbolPath),
            timeNs(m),
            tsRecvNs,
            positive(bid(m), fields.bidPath ?? 'bid'),
            nonNegative(bidSize(m), fields.bidSizePath ?? 'bidSize'),
            positive(ask(m), fields.askPath ?? 'ask'),
            nonNegative(askSize(m), fields.askSizePath ?? 'askSize'),
            idOf(id(m)),
          ),
        );
      }
    },
  };
}
