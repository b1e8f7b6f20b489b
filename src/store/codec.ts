// Tick <-> msgpack member bytes for the sorted sets. A self-describing map (readable from any language)
// with the `--print ticks` field names minus venue/symbol (the key carries them). The venue's trade or update id
// makes a member unique, and the member holds nothing that changes when the venue re-sends the tick (no receive
// time; a quote's time is its score), so a re-sent tick is the same member: ZADD replaces, never adds. Ticks
// without a venue id keep te and tr so equal prices at equal times still do not collide.
import { Packr, Unpackr } from 'msgpackr';
import { quoteTick, sideCode, tradeTick, type Tick } from '../model/tick.js';
import { EVENT_SCHEMAS, memberFields } from '../model/events.js';

const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

/** The member map of a tick, laid out by its kind's schema (model/events.ts). */
export function encodeTick(t: Tick): Buffer {
  const m: Record<string, unknown> = { k: EVENT_SCHEMAS[t.kind].memberKind };
  for (const f of memberFields(t.kind, t.id >= 0)) m[f.member!] = f.format === 'side' ? sideCode(t.side) : t[f.prop];
  return packr.pack(m);
}

/**
 * A member back to a tick. A member without te takes its exchange time from the score (µs kept); one without
 * tr has no receive time in the store (NaN: printed as null).
 */
export function decodeTick(venue: string, symbol: string, bytes: Buffer, score = NaN): Tick {
  const m = unpackr.unpack(bytes) as Record<string, number | string>;
  const te = Math.round(score * 1e3) * 1e3;
  const t =
    m.k === EVENT_SCHEMAS.trade.memberKind
      ? tradeTick(venue, symbol, te, NaN, NaN, NaN, 'unknown', -1)
      : quoteTick(venue, symbol, te, NaN, NaN, NaN, NaN, NaN, -1);
  const id = m.id as number;
  for (const f of memberFields(t.kind, id >= 0)) {
    const v = m[f.member!];
    if (v === undefined) continue;
    if (f.format === 'side') t.side = v === 1 ? 'buy' : v === -1 ? 'sell' : 'unknown';
    else (t as unknown as Record<string, unknown>)[f.prop] = v;
  }
  return t;
}

/** Score: exchange time in ms with the µs fraction. */
export const scoreOf = (t: Tick): number => Math.round(t.tsExchNs / 1e3) / 1e3;
