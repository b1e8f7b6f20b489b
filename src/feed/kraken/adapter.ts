// Kraken spot WebSocket v2 adapter: parse.ts turns frames into ticks, subscriptions.ts builds requests.
import type { VenueAdapter } from '../venue.js';
import { parseKraken } from './parse.js';
import { krakenPing, krakenResubscribeBook, krakenSubscribe } from './subscriptions.js';

export function krakenAdapter(): VenueAdapter {
  return {
    venue: 'kraken',
    appPing: krakenPing,
    normalizeSymbol: (raw) => raw.toUpperCase(),
    connectUrl: (baseUrl) => baseUrl,
    subscribeMessages: krakenSubscribe,
    parse: parseKraken,
    resubscribeBook: krakenResubscribeBook,
  };
}
