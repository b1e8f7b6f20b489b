// Kraken v2 subscribe requests (trade without snapshot, ticker on every best bid/ask change) and its ping.
import { venueChannels } from '../venue.js';
import type { KrakenRequest } from './messages.js';

export function krakenSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  return venueChannels(channels, 'trade', 'ticker', 'book').map((channel) => {
    const req: KrakenRequest = {
      method: 'subscribe',
      params:
        channel === 'ticker'
          ? { channel, symbol: symbols, event_trigger: 'bbo' }
          : channel === 'book'
            ? { channel, symbol: symbols, depth: KRAKEN_BOOK_DEPTH }
            : { channel, symbol: symbols, snapshot: false },
    };
    return JSON.stringify(req);
  });
}

/** The book depth subscribed (the checksum covers the top 10; the book is cut to this many levels). */
const KRAKEN_BOOK_DEPTH = 10;

/** A book resync: unsubscribe and subscribe the symbol's book again (Kraken sends a fresh snapshot). */
export function krakenResubscribeBook(symbol: string): string[] {
  return (['unsubscribe', 'subscribe'] as const).map((method) =>
    JSON.stringify({
      method,
      params: { channel: 'book', symbol: [symbol], depth: KRAKEN_BOOK_DEPTH },
    } satisfies KrakenRequest),
  );
}

/** Kraken sends a heartbeat each second; an application ping keeps idle connections verifiably alive. */
export const krakenPing = { intervalMs: 30_000, message: JSON.stringify({ method: 'ping' } satisfies KrakenRequest) };
