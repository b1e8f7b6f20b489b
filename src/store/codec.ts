// Tick <-> msgpack member bytes for the sorted sets. A self-describing map (readable from any language)
// with the `--print ticks` field names minus venue/symbol (the key carries them). tsRecvNs and the
// trade/update id make every member unique, so equal prices at equal times never collide, and a
// replayed tick re-encodes to the same bytes (ZADD is idempotent).
import { Packr, Unpackr } from 'msgpackr';
import { quoteTick, tradeTick, type Side, type Tick } from '../model/tick.js';

const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export function encodeTick(t: Tick): Buffer {
  if (t.kind === 'trade') {
    return packr.pack({ k: 't', te: t.tsExchNs, tr: t.tsRecvNs, id: t.id, p: t.price, q: t.size, s: t.side === 'buy' ? 1 : t.side === 'sell' ? -1 : 0 });
  }
  return packr.pack({ k: 'q', te: t.tsExchNs, tr: t.tsRecvNs, id: t.id, b: t.bid, bq: t.bidSize, a: t.ask, aq: t.askSize });
}

interface Packed { k: 't' | 'q'; te: number; tr: number; id: number; p?: number; q?: number; s?: number; b?: number; bq?: number; a?: number; aq?: number }

export function decodeTick(venue: string, symbol: string, bytes: Buffer): Tick {
  const m = unpackr.unpack(bytes) as Packed;
  if (m.k === 't') {
    const side: Side = m.s === 1 ? 'buy' : m.s === -1 ? 'sell' : 'unknown';
    return tradeTick(venue, symbol, m.te, m.tr, m.p!, m.q!, side, m.id);
  }
  return quoteTick(venue, symbol, m.te, m.tr, m.b!, m.bq!, m.a!, m.aq!, m.id);
}

/** Score: exchange time in ms with the µs fraction. */
export const scoreOf = (t: Tick): number => Math.round(t.tsExchNs / 1e3) / 1e3;
