// Binance stream names and the SUBSCRIBE request sent after every (re)connect.
import type { BinanceSubscribe } from './messages.js';

const channelStream: Record<string, string> = {
  trade: 'trade',
  aggTrade: 'aggTrade',
  quote: 'bookTicker',
  bookTicker: 'bookTicker',
  depth: 'depth@100ms',
};

/** `<symbol lower-case>@<stream>` for every symbol x channel, without repeats. */
function binanceStreams(symbols: readonly string[], channels: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of symbols) for (const c of channels) out.push(`${s.toLowerCase()}@${channelStream[c] ?? c}`);
  return [...new Set(out)];
}

export function binanceSubscribe(symbols: readonly string[], channels: readonly string[], id: number): string {
  const msg: BinanceSubscribe = { method: 'SUBSCRIBE', params: binanceStreams(symbols, channels), id };
  return JSON.stringify(msg);
}
