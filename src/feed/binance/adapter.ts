// Binance spot / USD-M adapter: stream names, SUBSCRIBE requests, the 24 h connection limit.
// Binance pings at the WebSocket level; the `ws` client answers with pongs automatically.
import type { VenueAdapter } from '../venue.js';
import { makeBinanceParser } from './parse.js';

const channelStream: Record<string, string> = { trade: 'trade', aggTrade: 'aggTrade', quote: 'bookTicker', bookTicker: 'bookTicker' };

export function binanceStreams(symbols: readonly string[], channels: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of symbols) for (const c of channels) out.push(`${s.toLowerCase()}@${channelStream[c] ?? c}`);
  return [...new Set(out)];
}

export function binanceAdapter(venue: 'binance' | 'binance-usdm', opts: { fastPath?: boolean } = {}): VenueAdapter {
  const parse = makeBinanceParser(venue, opts.fastPath ?? true);
  let requestId = 0;
  return {
    venue,
    parse,
    subscribeMessages(symbols, channels) {
      return [JSON.stringify({ method: 'SUBSCRIBE', params: binanceStreams(symbols, channels), id: ++requestId })];
    },
    connectUrl(baseUrl) { return baseUrl; },
    normalizeSymbol: (raw) => raw.toUpperCase(),
  };
}
