// Venue name -> adapter factory.
import type { FeedConfig } from '../config/types.js';
import type { VenueAdapter } from './venue.js';
import { binanceAdapter } from './binance/adapter.js';
import { bybitAdapter } from './bybit/adapter.js';
import { coinbaseAdvancedAdapter, coinbaseExchangeAdapter } from './coinbase/adapter.js';
import { krakenAdapter } from './kraken/adapter.js';
import { genericAdapter } from './generic/adapter.js';

export function adapterFor(feed: Pick<FeedConfig, 'venue' | 'fields' | 'subscribe'>, opts: { fastPath?: boolean } = {}): VenueAdapter {
  switch (feed.venue) {
    case 'binance': case 'binance-usdm': return binanceAdapter(feed.venue, opts);
    case 'bybit': case 'bybit-linear': return bybitAdapter(feed.venue);
    case 'coinbase': return coinbaseExchangeAdapter();
    case 'coinbase-advanced': return coinbaseAdvancedAdapter();
    case 'kraken': return krakenAdapter();
    case 'generic': return genericAdapter('generic', feed.fields!, feed.subscribe);
  }
}
