// Redis key names (DESIGN.md §4). The braces are a Redis Cluster hash tag: a symbol's keys share a slot.

export const ticksKey = (venue: string, symbol: string): string => `christmas:{${venue}:${symbol}}:ticks`;
/** The top N of the symbol's L2 book (a hash: state, updateId, tsExchNs, tsRecvNs, bids, asks as JSON). */
export const bookKey = (venue: string, symbol: string): string => `christmas:{${venue}:${symbol}}:book`;
export const lastKey = (venue: string, symbol: string): string => `christmas:{${venue}:${symbol}}:last`;

/** "BINANCE:BTCUSDT" / "binance:BTCUSDT" -> venue and symbol as stored (venue lower-case). */
export function parseInstrument(s: string): { venue: string; symbol: string } | undefined {
  const i = s.indexOf(':');
  if (i <= 0 || i === s.length - 1) return undefined;
  return { venue: s.slice(0, i).toLowerCase(), symbol: s.slice(i + 1) };
}
