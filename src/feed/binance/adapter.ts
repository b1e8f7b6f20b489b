// Binance spot / USD-M adapter: stream names, SUBSCRIBE requests, the 24 h connection limit.
// Binance pings at the WebSocket level; the `ws` client answers with pongs automatically.
import type { VenueAdapter } from '../venue.js';
import type { Tick } from '../../model/tick.js';
import { makeBinanceParser } from './parse.js';
import { fastBinanceBytes } from './parse-bytes.js';

const channelStream: Record<string, string> = { trade: 'trade', aggTrade: 'aggTrade', quote: 'bookTicker', bookTicker: 'bookTicker' };

export function binanceStreams(symbols: readonly string[], channels: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of symbols) for (const c of channels) out.push(`${s.toLowerCase()}@${channelStream[c] ?? c}`);
  return [...new Set(out)];
}

export function binanceAdapter(venue: 'binance' | 'binance-usdm', opts: { fastPath?: boolean } = {}): VenueAdapter {
  const fastPath = opts.fastPath ?? true;
  const parse = makeBinanceParser(venue, fastPath);
  let requestId = 0;
  return {
    venue,
    parse,
    ...(fastPath ? { parseBytes: (frame: Uint8Array, tsRecvNs: number, out: Tick[]) => fastBinanceBytes(venue, frame, tsRecvNs, out) } : {}),
    subscribeMessages(symbols, channels) {
      return [JSON.stringify({ method: 'SUBSCRIBE', params: binanceStreams(symbols, channels), id: ++requestId })];
    },
    connectUrl(baseUrl) { return baseUrl; },
    normalizeSymbol: (raw) => raw.toUpperCase(),
  };
}
