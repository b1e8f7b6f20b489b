// Kraken v2 subscribe requests (trade without snapshot, ticker on every best bid/ask change) and its ping.
import { venueChannels } from '../venue.js';
import type { KrakenRequest } from './messages.js';

export function krakenSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  return venueChannels(channels, 'trade', 'ticker').map((channel) => {
    const req: KrakenRequest = {
      method: 'subscribe',
      params:
        channel === 'ticker'
          ? { channel, symbol: symbols, event_trigger: 'bbo' }
          : { channel, symbol: symbols, snapshot: false },
    };
    return JSON.stringify(req);
  });
}

/** Kraken sends a heartbeat each second; an application ping keeps idle connections verifiably alive. */
export const krakenPing = { intervalMs: 30_000, message: JSON.stringify({ method: 'ping' } satisfies KrakenRequest) };
