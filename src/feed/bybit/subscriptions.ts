// Bybit v5 subscribe requests (at most 10 topics per request) and the application ping Bybit expects.
import type { BybitRequest } from './messages.js';

const ARGS_PER_REQUEST = 10;

export function bybitSubscribe(symbols: readonly string[], channels: readonly string[]): string[] {
  const topics = new Set<string>();
  for (const s of symbols)
    for (const c of channels)
      topics.add(
        c === 'trade' || c === 'aggTrade' ? `publicTrade.${s}` : c === 'depth' ? bookTopic(s) : `orderbook.1.${s}`,
      );
  const args = [...topics],
    msgs: string[] = [];
  for (let i = 0; i < args.length; i += ARGS_PER_REQUEST) {
    const req: BybitRequest = { op: 'subscribe', args: args.slice(i, i + ARGS_PER_REQUEST) };
    msgs.push(JSON.stringify(req));
  }
  return msgs;
}

/** The L2 book topic: 50 levels (orderbook.1 is the top of book the quotes come from). */
const bookTopic = (symbol: string) => `orderbook.50.${symbol}`;

/** A book resync: unsubscribe and subscribe the symbol's book topic again (Bybit sends a fresh snapshot). */
export function bybitResubscribeBook(symbol: string): string[] {
  return (['unsubscribe', 'subscribe'] as const).map((op) =>
    JSON.stringify({ op, args: [bookTopic(symbol)] } satisfies BybitRequest),
  );
}

/** Bybit closes a connection without traffic; it expects {"op":"ping"} about every 20 s. */
export const bybitPing = { intervalMs: 20_000, message: JSON.stringify({ op: 'ping' } satisfies BybitRequest) };
