// The contract every venue adapter implements: pure frame parsing plus the subscribe/ping protocol.
import type { Tick } from '../model/tick.js';
import type { BookInput } from '../book/message.js';

/** A venue's REST depth snapshot endpoint: its default base URL, request path and rate-limit weight. */
export interface DepthSnapshotSpec {
  defaultRestUrl: string;
  /** The request path and query for a symbol and level limit, e.g. /api/v3/depth?symbol=BTCUSDT&limit=1000. */
  path(symbol: string, limit: number): string;
  /** The request's weight in the venue's per-minute budget at this limit. */
  weight(limit: number): number;
}

export interface VenueAdapter {
  readonly venue: string;
  /**
   * Parses one text frame, appending zero or more ticks to `out`. Control frames (acks, heartbeats,
   * snapshots of no interest) append nothing. Book messages (depth deltas, stream snapshots) go to `books` when
   * given, else are ignored. Malformed frames throw FrameError; never anything else.
   */
  parse(frame: string, tsRecvNs: number, out: Tick[], books?: BookInput): void;
  /** Where this venue's REST depth snapshots come from (venues that sync books from REST). */
  readonly depthSnapshot?: DepthSnapshotSpec;
  /** A REST depth snapshot's body (venues that sync books from REST), into `books`. Throws FrameError. */
  parseSnapshot?(symbol: string, body: string, tsRecvNs: number, books: BookInput): void;
  /**
   * Optional fast path on the frame's raw bytes (no UTF-8 decode). Returns true when it handled the frame
   * (appending its ticks); false, appending nothing, when the caller must decode the text and call parse.
   * Must never throw and never accept what parse would reject.
   */
  parseBytes?(frame: Uint8Array, tsRecvNs: number, out: Tick[], books?: BookInput): boolean;
  /** Messages to send after (re)connecting, for these symbols and channels. */
  subscribeMessages(symbols: readonly string[], channels: readonly string[]): string[];
  /** Stream-snapshot venues: messages that drop and re-open one symbol's book channel (a new snapshot follows). */
  resubscribeBook?(symbol: string): string[];
  /** URL to connect to for these subscriptions (venues that subscribe in the URL). */
  connectUrl(baseUrl: string, symbols: readonly string[], channels: readonly string[]): string;
  /** Application-level keep-alive some venues need (Bybit: {"op":"ping"} every 20 s). */
  readonly appPing?: { intervalMs: number; message: string };
  /** True where book update ids restart with each connection's snapshot (Bybit), so regressions after a reconnect are not duplicates. */
  readonly quoteIdsResetOnReconnect?: boolean;
  /** The venue sends its JSON text in binary WebSocket frames (Upbit); other venues' binary frames are malformed. */
  readonly textInBinaryFrames?: boolean;
  /** False where trade ids are unique and increasing but not contiguous (Upbit): duplicates are detected, gaps are not. */
  readonly tradeIdsContiguous?: boolean;
  /** The venue's symbol in the Tick (e.g. btcusdt -> BTCUSDT). */
  normalizeSymbol(raw: string): string;
}

/**
 * Maps configured channels to a venue's own channel names (trade-like vs best bid/ask), without repeats; `depth`
 * maps to `depthName` (left out when the venue keeps no books).
 */
export function venueChannels(
  channels: readonly string[],
  tradeName: string,
  quoteName: string,
  depthName?: string,
): string[] {
  const out = new Set<string>();
  for (const c of channels) {
    if (c === 'depth') {
      if (depthName) out.add(depthName);
    } else out.add(c === 'trade' || c === 'aggTrade' ? tradeName : quoteName);
  }
  return [...out];
}
