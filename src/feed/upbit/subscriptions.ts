// Upbit subscribe request (one array for every type and code; a new request replaces the previous one)
// and the text keep-alive Upbit answers with {"status":"UP"} (idle connections close after 120 s).
import { venueChannels } from '../venue.js';
import type { UpbitRequest } from './messages.js';

export function upbitSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  const req: UpbitRequest = [{ ticket: `christmas-${process.pid}` }];
  for (const type of venueChannels(channels, 'trade', 'orderbook') as Array<'trade' | 'orderbook'>) {
    // `.1`: one level pair is all a best bid/ask needs (the default is 30).
    req.push({
      type,
      codes: type === 'orderbook' ? symbols.map((s) => `${s}.1`) : [...symbols],
      is_only_realtime: true,
    });
  }
  req.push({ format: 'DEFAULT' });
  return [JSON.stringify(req)];
}

export const upbitPing = { intervalMs: 60_000, message: 'PING' };
