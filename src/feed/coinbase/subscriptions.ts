// Coinbase subscribe requests: Exchange takes every channel in one request (plus heartbeat); Advanced
// Trade one request per channel (plus heartbeats, which keep quiet product subscriptions open).
import { venueChannels } from '../venue.js';
import type { AdvancedSubscribe, CoinbaseSubscribe } from './messages.js';

export function coinbaseExchangeSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  const req: CoinbaseSubscribe = {
    type: 'subscribe',
    product_ids: symbols,
    channels: [...venueChannels(channels, 'matches', 'ticker'), 'heartbeat'],
  };
  return [JSON.stringify(req)];
}

export function coinbaseAdvancedSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  const reqs: AdvancedSubscribe[] = venueChannels(channels, 'market_trades', 'ticker').map((channel) => ({
    type: 'subscribe',
    product_ids: symbols,
    channel,
  }));
  reqs.push({ type: 'subscribe', channel: 'heartbeats' });
  return reqs.map((r) => JSON.stringify(r));
}
