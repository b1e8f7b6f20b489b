// Level lists of venue book messages into a BookMessage side: [price, size] pairs (strings or numbers), Coinbase's
// [side, price, size] changes, Coinbase Advanced Trade's {side, price_level, new_quantity} updates, or Kraken's
// {price, qty} objects. A level that is not a pair of numbers becomes NaN
// (the book skips and counts it as bad-level); a list that is not an array is a FrameError.
import { FrameError } from '../model/errors.js';
import { ensureLevels, type BookMessage } from '../book/message.js';

const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v.length > 0 && v.length < 40 ? Number(v) : NaN;

/** [[price, size], ...] into one side; returns the count. */
export function pairsInto(m: BookMessage, side: 'bids' | 'asks', raw: unknown, field: string): number {
  if (!Array.isArray(raw)) throw new FrameError('bad-field', `field ${field}: expected an array of levels`);
  const out = ensureLevels(m, side, raw.length);
  for (let i = 0; i < raw.length; i++) {
    const lv = raw[i] as unknown;
    const ok = Array.isArray(lv) && lv.length >= 2;
    out[2 * i] = ok ? num(lv[0]) : NaN;
    out[2 * i + 1] = ok ? num(lv[1]) : NaN;
  }
  return raw.length;
}

/** [{price, qty}, ...] (Kraken v2) into one side; returns the count. */
export function objectsInto(m: BookMessage, side: 'bids' | 'asks', raw: unknown, field: string): number {
  if (!Array.isArray(raw)) throw new FrameError('bad-field', `field ${field}: expected an array of levels`);
  const out = ensureLevels(m, side, raw.length);
  for (let i = 0; i < raw.length; i++) {
    const lv = raw[i] as { price?: unknown; qty?: unknown } | null;
    out[2 * i] = lv && typeof lv === 'object' ? num(lv.price) : NaN;
    out[2 * i + 1] = lv && typeof lv === 'object' ? num(lv.qty) : NaN;
  }
  return raw.length;
}

/** Coinbase [[side, price, size], ...] changes (side buy/sell) into both sides. */
export function changesInto(m: BookMessage, raw: unknown, field: string): void {
  if (!Array.isArray(raw)) throw new FrameError('bad-field', `field ${field}: expected an array of changes`);
  let nb = 0,
    na = 0;
  const bids = ensureLevels(m, 'bids', raw.length),
    asks = ensureLevels(m, 'asks', raw.length);
  for (const c of raw as unknown[]) {
    if (!Array.isArray(c) || c.length < 3)
      throw new FrameError('bad-field', `field ${field}: a change is not [side, price, size]`);
    const target = c[0] === 'buy' ? bids : c[0] === 'sell' ? asks : undefined;
    if (!target)
      throw new FrameError('bad-field', `field ${field}: side ${String(c[0]).slice(0, 8)} is not buy or sell`);
    const k = target === bids ? nb++ : na++;
    target[2 * k] = num(c[1]);
    target[2 * k + 1] = num(c[2]);
  }
  m.bidCount = nb;
  m.askCount = na;
}

/** Coinbase Advanced Trade [{side: bid|offer, price_level, new_quantity}, ...] updates into both sides. */
export function advancedUpdatesInto(m: BookMessage, raw: unknown, field: string): void {
  if (!Array.isArray(raw)) throw new FrameError('bad-field', `field ${field}: expected an array of levels`);
  let nb = 0,
    na = 0;
  const bids = ensureLevels(m, 'bids', raw.length),
    asks = ensureLevels(m, 'asks', raw.length);
  for (const u of raw as Array<{ side?: unknown; price_level?: unknown; new_quantity?: unknown } | null>) {
    const target = u?.side === 'bid' ? bids : u?.side === 'offer' ? asks : undefined;
    if (!target)
      throw new FrameError('bad-field', `field ${field}: side ${String(u?.side).slice(0, 8)} is not bid or offer`);
    const k = target === bids ? nb++ : na++;
    target[2 * k] = num(u!.price_level);
    target[2 * k + 1] = num(u!.new_quantity);
  }
  m.bidCount = nb;
  m.askCount = na;
}
