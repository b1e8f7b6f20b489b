// Coinbase Exchange and Advanced Trade adapters: parse.ts turns frames into ticks, subscriptions.ts builds requests.
import type { VenueAdapter } from '../venue.js';
import { coinbaseAdvancedParser, parseCoinbaseExchange } from './parse.js';
import {
  coinbaseAdvancedResubscribeBook,
  coinbaseAdvancedSubscribe,
  coinbaseExchangeSubscribe,
  coinbaseResubscribeBook,
} from './subscriptions.js';

export function coinbaseExchangeAdapter(): VenueAdapter {
  return {
    venue: 'coinbase',
    normalizeSymbol: (raw) => raw.toUpperCase(),
    connectUrl: (baseUrl) => baseUrl,
    subscribeMessages: coinbaseExchangeSubscribe,
    parse: parseCoinbaseExchange,
    resubscribeBook: coinbaseResubscribeBook,
  };
}

/** One per connection: its parser follows the connection's sequence_num. */
export function coinbaseAdvancedAdapter(): VenueAdapter {
  return {
    venue: 'coinbase-advanced',
    normalizeSymbol: (raw) => raw.toUpperCase(),
    connectUrl: (baseUrl) => baseUrl,
    subscribeMessages: coinbaseAdvancedSubscribe,
    parse: coinbaseAdvancedParser(),
    resubscribeBook: coinbaseAdvancedResubscribeBook,
  };
}
