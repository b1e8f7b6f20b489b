// Binance depth into book messages: `depthUpdate` stream events (spot U/u, USD-M adds pu) and REST depth
// snapshots ({"lastUpdateId", "bids", "asks"}). Levels are [price, size] decimal strings; a level that is not
// a pair of numbers becomes NaN and is skipped and counted by the book (bad-level), not the whole frame.
import { FrameError } from '../../model/errors.js';
import { ensureLevels, type BookMessage } from '../../book/message.js';
import { idOf, msToNs, str } from '../numbers.js';

function levelsInto(m: BookMessage, side: 'bids' | 'asks', raw: unknown, field: string): number {
  if (!Array.isArray(raw)) throw new FrameError('bad-field', `field ${field}: expected an array of levels`);
  const out = ensureLevels(m, side, raw.length);
  for (let i = 0; i < raw.length; i++) {
    const lv = raw[i] as unknown;
    if (Array.isArray(lv) && lv.length >= 2) {
      out[2 * i] = typeof lv[0] === 'string' && lv[0].length > 0 ? Number(lv[0]) : NaN;
      out[2 * i + 1] = typeof lv[1] === 'string' && lv[1].length > 0 ? Number(lv[1]) : NaN;
    } else {
      out[2 * i] = NaN;
      out[2 * i + 1] = NaN;
    }
  }
  return raw.length;
}

/** A depthUpdate event (already unwrapped) into `m`. */
export function binanceDepthMessage(
  venue: string,
  d: Record<string, unknown>,
  tsRecvNs: number,
  m: BookMessage,
): BookMessage {
  const first = idOf(d.U),
    last = idOf(d.u);
  if (first < 0 || last < first) throw new FrameError('bad-field', 'fields U/u: expected update ids with U <= u');
  m.venue = venue;
  m.symbol = str(d.s, 's');
  m.kind = 'delta';
  m.firstId = first;
  m.lastId = last;
  m.prevId = d.pu === undefined ? -1 : idOf(d.pu);
  m.tsExchNs = msToNs(d.T ?? d.E, 'E');
  m.tsRecvNs = tsRecvNs;
  m.bidCount = levelsInto(m, 'bids', d.b, 'b');
  m.askCount = levelsInto(m, 'asks', d.a, 'a');
  m.checksum = -1;
  return m;
}

/**
 * A REST depth snapshot's body into `m`. It carries no exchange time (spot): the receive time stands in; USD-M's
 * E is used when present.
 */
export function binanceSnapshotMessage(
  venue: string,
  symbol: string,
  body: unknown,
  tsRecvNs: number,
  m: BookMessage,
): BookMessage {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new FrameError('bad-shape', 'depth snapshot is not a JSON object');
  const b = body as Record<string, unknown>;
  const last = idOf(b.lastUpdateId);
  if (last < 0) throw new FrameError('bad-field', 'field lastUpdateId: expected an update id');
  m.venue = venue;
  m.symbol = symbol;
  m.kind = 'snapshot';
  m.firstId = -1;
  m.lastId = last;
  m.prevId = -1;
  m.tsExchNs = typeof b.E === 'number' ? msToNs(b.E, 'E') : tsRecvNs;
  m.tsRecvNs = tsRecvNs;
  m.bidCount = levelsInto(m, 'bids', b.bids, 'bids');
  m.askCount = levelsInto(m, 'asks', b.asks, 'asks');
  m.checksum = -1;
  return m;
}
