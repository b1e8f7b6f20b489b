// Binance spot / USD-M adapter: parsing (parse.ts, parse-bytes.ts) and SUBSCRIBE requests (subscriptions.ts).
// Binance pings at the WebSocket level; the `ws` client answers with pongs automatically. The 24 h
// connection limit is met by the connection's scheduled reconnect (feeds[].maxConnectionAgeMs).
import type { DepthSnapshotSpec, VenueAdapter } from '../venue.js';
import type { Tick } from '../../model/tick.js';
import { makeBinanceParser } from './parse.js';
import { fastBinanceBytes } from './parse-bytes.js';
import { binanceSubscribe } from './subscriptions.js';
import { binanceSnapshotMessage } from './parse-depth.js';
import { emptyMessage, type BookInput } from '../../book/message.js';
import { fastBinanceDepthBytes } from './parse-depth-bytes.js';
import { parseJson } from '../numbers.js';

/** Binance's documented weights of GET depth by limit (spot /api/v3/depth, USD-M /fapi/v1/depth). */
const depthSpecs: Record<'binance' | 'binance-usdm', DepthSnapshotSpec> = {
  binance: {
    defaultRestUrl: 'https://api.binance.com',
    path: (symbol, limit) => `/api/v3/depth?symbol=${encodeURIComponent(symbol)}&limit=${limit}`,
    weight: (limit) => (limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250),
  },
  'binance-usdm': {
    defaultRestUrl: 'https://fapi.binance.com',
    path: (symbol, limit) => `/fapi/v1/depth?symbol=${encodeURIComponent(symbol)}&limit=${limit}`,
    weight: (limit) => (limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20),
  },
};

export function binanceAdapter(venue: 'binance' | 'binance-usdm', opts: { fastPath?: boolean } = {}): VenueAdapter {
  const fastPath = opts.fastPath ?? true;
  let requestId = 0;
  const snapshotScratch = emptyMessage();
  return {
    venue,
    parse: makeBinanceParser(venue, fastPath),
    ...(fastPath
      ? {
          parseBytes: (frame: Uint8Array, tsRecvNs: number, out: Tick[], books?: BookInput) =>
            fastBinanceBytes(venue, frame, tsRecvNs, out) || fastBinanceDepthBytes(venue, frame, tsRecvNs, books),
        }
      : {}),
    depthSnapshot: depthSpecs[venue],
    parseSnapshot: (symbol, body, tsRecvNs, books) =>
      books.onBookMessage(binanceSnapshotMessage(venue, symbol, parseJson(body), tsRecvNs, snapshotScratch)),
    subscribeMessages: (symbols, channels) => [binanceSubscribe(symbols, channels, ++requestId)],
    connectUrl: (baseUrl) => baseUrl,
    normalizeSymbol: (raw) => raw.toUpperCase(),
  };
}
