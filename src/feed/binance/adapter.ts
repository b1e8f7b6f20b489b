// Binance spot / USD-M adapter: parsing (parse.ts, parse-bytes.ts) and SUBSCRIBE requests (subscriptions.ts).
// Binance pings at the WebSocket level; the `ws` client answers with pongs automatically. The 24 h
// connection limit is met by the connection's scheduled reconnect (feeds[].maxConnectionAgeMs).
import type { VenueAdapter } from '../venue.js';
import type { Tick } from '../../model/tick.js';
import { makeBinanceParser } from './parse.js';
import { fastBinanceBytes } from './parse-bytes.js';
import { binanceSubscribe } from './subscriptions.js';
import { binanceSnapshotMessage } from './parse-depth.js';
import { emptyMessage, type BookInput } from '../../book/message.js';
import { fastBinanceDepthBytes } from './parse-depth-bytes.js';
import { parseJson } from '../numbers.js';

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
    parseSnapshot: (symbol, body, tsRecvNs, books) =>
      books.onBookMessage(binanceSnapshotMessage(venue, symbol, parseJson(body), tsRecvNs, snapshotScratch)),
    subscribeMessages: (symbols, channels) => [binanceSubscribe(symbols, channels, ++requestId)],
    connectUrl: (baseUrl) => baseUrl,
    normalizeSymbol: (raw) => raw.toUpperCase(),
  };
}
