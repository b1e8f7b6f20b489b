// Bybit v5 public streams (spot / linear): parse.ts turns frames into ticks, subscriptions.ts builds requests.
// Book update ids restart with each connection's snapshot, so the sequence check resets them on reconnect.
import type { VenueAdapter } from '../venue.js';
import { makeBybitParser } from './parse.js';
import { bybitPing, bybitResubscribeBook, bybitSubscribe } from './subscriptions.js';

export function bybitAdapter(venue: 'bybit' | 'bybit-linear'): VenueAdapter {
  return {
    venue,
    appPing: bybitPing,
    quoteIdsResetOnReconnect: true,
    normalizeSymbol: (raw) => raw.toUpperCase(),
    connectUrl: (baseUrl) => baseUrl,
    subscribeMessages: bybitSubscribe,
    parse: makeBybitParser(venue),
    resubscribeBook: bybitResubscribeBook,
  };
}
