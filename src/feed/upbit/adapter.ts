// Upbit quotation adapter (KRW, BTC and USDT markets; codes like KRW-BTC): parse.ts turns frames into
// ticks, subscriptions.ts builds the request. Upbit sends its JSON in binary frames.
import type { VenueAdapter } from '../venue.js';
import { makeUpbitParser } from './parse.js';
import { upbitPing, upbitSubscribe } from './subscriptions.js';

export function upbitAdapter(): VenueAdapter {
  return {
    venue: 'upbit',
    appPing: upbitPing,
    textInBinaryFrames: true,
    tradeIdsContiguous: false,
    normalizeSymbol: (raw) => raw.toUpperCase(),
    connectUrl: (baseUrl) => baseUrl,
    subscribeMessages: upbitSubscribe,
    parse: makeUpbitParser('upbit'),
  };
}
