// Venue name -> adapter factory.
import type { FeedConfig, VenueName } from '../config/types.js';
import type { VenueAdapter } from './venue.js';
import { binanceAdapter } from './binance/adapter.js';
import { bybitAdapter } from './bybit/adapter.js';
import { coinbaseAdvancedAdapter, coinbaseExchangeAdapter } from './coinbase/adapter.js';
import { krakenAdapter } from './kraken/adapter.js';
import { genericAdapter } from './generic/adapter.js';
import { upbitAdapter } from './upbit/adapter.js';

/** The venues with a frame adapter of their own (generic needs field paths from config). */
export const FRAME_VENUES: readonly VenueName[] = [
  'binance',
  'binance-usdm',
  'bybit',
  'bybit-linear',
  'coinbase',
  'coinbase-advanced',
  'kraken',
  'upbit',
];

export function adapterFor(
  feed: Pick<FeedConfig, 'venue' | 'fields' | 'subscribe'>,
  opts: { fastPath?: boolean } = {},
): VenueAdapter {
  switch (feed.venue) {
    case 'binance':
    case 'binance-usdm':
      return binanceAdapter(feed.venue, opts);
    case 'bybit':
    case 'bybit-linear':
      return bybitAdapter(feed.venue);
    case 'coinbase':
      return coinbaseExchangeAdapter();
    case 'coinbase-advanced':
      return coinbaseAdvancedAdapter();
    case 'kraken':
      return krakenAdapter();
    case 'upbit':
      return upbitAdapter();
    case 'generic':
      return genericAdapter('generic', feed.fields!, feed.subscribe);
  }
}
