// Coinbase Exchange (ws-feed) and Advanced Trade WebSocket message shapes this engine reads.
// Prices and sizes are decimal strings; times are RFC 3339 with up to ns digits.

/** Exchange `match` / `last_match`: side is the maker's order side. */
export interface CoinbaseMatch {
  type: 'match' | 'last_match';
  trade_id: number;
  sequence: number;
  maker_order_id: string;
  taker_order_id: string;
  time: string;
  product_id: string;
  size: string;
  price: string;
  side: 'buy' | 'sell';
}

/** Exchange `ticker`: best bid/ask with sizes (sizes absent in old captures). */
export interface CoinbaseTicker {
  type: 'ticker';
  sequence: number;
  product_id: string;
  price: string;
  best_bid: string;
  best_bid_size?: string;
  best_ask: string;
  best_ask_size?: string;
  time: string;
}

/** Exchange level-2 frames, validated only. */
export interface CoinbaseSnapshot {
  type: 'snapshot';
  product_id: string;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}
export interface CoinbaseL2Update {
  type: 'l2update';
  product_id: string;
  changes: Array<['buy' | 'sell', string, string]>;
  time: string;
}

/** Exchange subscribe request. */
export interface CoinbaseSubscribe {
  type: 'subscribe' | 'unsubscribe';
  product_ids: readonly string[];
  channels: string[];
}

/** Advanced Trade envelope: channel, timestamp, sequence_num, events. */
export interface AdvancedEnvelope<E> {
  channel: string;
  client_id?: string;
  timestamp: string;
  sequence_num: number;
  events: E[];
}
export interface AdvancedTrade {
  trade_id: string;
  product_id: string;
  price: string;
  size: string;
  side: 'BUY' | 'SELL';
  time: string;
}
export interface AdvancedTradesEvent {
  type: 'snapshot' | 'update';
  trades: AdvancedTrade[];
}
export interface AdvancedTicker {
  product_id: string;
  price: string;
  best_bid: string;
  best_bid_quantity?: string;
  best_ask: string;
  best_ask_quantity?: string;
}
export interface AdvancedTickerEvent {
  type: 'snapshot' | 'update';
  tickers: AdvancedTicker[];
}

/** Advanced Trade subscribe request (one channel per request). */
export interface AdvancedSubscribe {
  type: 'subscribe' | 'unsubscribe';
  product_ids?: readonly string[];
  channel: string;
}
