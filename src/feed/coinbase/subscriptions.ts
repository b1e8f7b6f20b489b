// Coinbase subscribe requests: Exchange takes every channel in one request (plus heartbeat); Advanced
// Trade one request per channel (plus heartbeats, which keep quiet product subscriptions open).
import { venueChannels } from '../venue.js';
import type { AdvancedSubscribe, CoinbaseSubscribe } from './messages.js';

export function coinbaseExchangeSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  const req: CoinbaseSubscribe = {
    type: 'subscribe',
    product_ids: symbols,
    channels: [...venueChannels(channels, 'matches', 'ticker', BOOK_CHANNEL), 'heartbeat'],
  };
  return [JSON.stringify(req)];
}

/** level2_batch: the level2 snapshot and l2updates, batched every 50 ms, without authentication. */
const BOOK_CHANNEL = 'level2_batch';

/** A book resync: unsubscribe and subscribe the product's level2 again (a fresh snapshot follows). */
export function coinbaseResubscribeBook(symbol: string): string[] {
  return (['unsubscribe', 'subscribe'] as const).map((type) =>
    JSON.stringify({ type, product_ids: [symbol], channels: [BOOK_CHANNEL] } satisfies CoinbaseSubscribe),
  );
}

export function coinbaseAdvancedSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  const reqs: AdvancedSubscribe[] = venueChannels(channels, 'market_trades', 'ticker', 'level2').map((channel) => ({
    type: 'subscribe',
    product_ids: symbols,
    channel,
  }));
  reqs.push({ type: 'subscribe', channel: 'heartbeats' });
  return reqs.map((r) => JSON.stringify(r));
}

/** An Advanced Trade book resync: unsubscribe and subscribe the product's level2 (a fresh snapshot follows). */
export function coinbaseAdvancedResubscribeBook(symbol: string): string[] {
  return (['unsubscribe', 'subscribe'] as const).map((type) =>
    JSON.stringify({ type, product_ids: [symbol], channel: 'level2' } satisfies AdvancedSubscribe),
  );
}
