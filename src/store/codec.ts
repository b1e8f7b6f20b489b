// Tick <-> msgpack member bytes for the sorted sets. A self-describing map (readable from any language)
// with the `--print ticks` field names minus venue/symbol (the key carries them). The venue's trade or update id
// makes a member unique, and the member holds nothing that changes when the venue re-sends the tick (no receive
// time; a quote's time is its score), so a re-sent tick is the same member: ZADD replaces, never adds. Ticks
// without a venue id keep te and tr so equal prices at equal times still do not collide.
import { Packr, Unpackr } from 'msgpackr';
import { quoteTick, tradeTick, type Side, type Tick } from '../model/tick.js';

const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export function encodeTick(t: Tick): Buffer {
  const s = t.side === 'buy' ? 1 : t.side === 'sell' ? -1 : 0;
  if (t.kind === 'trade') {
    return packr.pack(
      t.id >= 0
        ? { k: 't', te: t.tsExchNs, id: t.id, p: t.price, q: t.size, s }
        : { k: 't', te: t.tsExchNs, tr: t.tsRecvNs, id: t.id, p: t.price, q: t.size, s },
    );
  }
  return packr.pack(
    t.id >= 0
      ? { k: 'q', id: t.id, b: t.bid, bq: t.bidSize, a: t.ask, aq: t.askSize }
      : { k: 'q', te: t.tsExchNs, tr: t.tsRecvNs, id: t.id, b: t.bid, bq: t.bidSize, a: t.ask, aq: t.askSize },
  );
}

interface Packed {
  k: 't' | 'q';
  te?: number;
  tr?: number;
  id: number;
  p?: number;
  q?: number;
  s?: number;
  b?: number;
  bq?: number;
  a?: number;
  aq?: number;
}

/**
 * A member back to a tick. A member without te takes its exchange time from the score (µs kept); one without
 * tr has no receive time in the store (NaN: printed as null).
 */
export function decodeTick(venue: string, symbol: string, bytes: Buffer, score = NaN): Tick {
  const m = unpackr.unpack(bytes) as Packed;
  const te = m.te ?? Math.round(score * 1e3) * 1e3;
  const tr = m.tr ?? NaN;
  if (m.k === 't') {
    const side: Side = m.s === 1 ? 'buy' : m.s === -1 ? 'sell' : 'unknown';
    return tradeTick(venue, symbol, te, tr, m.p!, m.q!, side, m.id);
  }
  return quoteTick(venue, symbol, te, tr, m.b!, m.bq!, m.a!, m.aq!, m.id);
}

/** Score: exchange time in ms with the µs fraction. */
export const scoreOf = (t: Tick): number => Math.round(t.tsExchNs / 1e3) / 1e3;
