// Kraken spot WebSocket v2 message shapes this engine reads. Prices and quantities are JSON numbers.

/** Channel message: channel (trade | ticker | heartbeat | status | book), type (snapshot | update), data. */
export interface KrakenChannelMessage<T> {
  channel: string;
  type?: 'snapshot' | 'update';
  data: T[];
}

export interface KrakenTrade {
  symbol: string;
  side: 'buy' | 'sell';
  price: number;
  qty: number;
  ord_type: string;
  trade_id: number;
  timestamp: string;
}

/** Ticker with event_trigger "bbo": one message per best bid/ask change (timestamp only on newer feeds). */
export interface KrakenTicker {
  symbol: string;
  bid: number;
  bid_qty: number;
  ask: number;
  ask_qty: number;
  last?: number;
  timestamp?: string;
}

/** Reply to a method (subscribe, ping): {"method":"subscribe","success":true,...}. */
export interface KrakenMethodReply {
  method: string;
  success?: boolean;
  error?: string;
  req_id?: number;
}

/** Requests we send. */
export interface KrakenRequest {
  method: 'subscribe' | 'unsubscribe' | 'ping';
  params?: {
    channel: string;
    symbol: readonly string[];
    snapshot?: boolean;
    event_trigger?: 'bbo' | 'trades';
    depth?: number;
  };
}
