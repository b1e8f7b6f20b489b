// Bybit v5 public WebSocket message shapes this engine reads (spot and linear). Numbers arrive as strings.

/** Every topic message: topic, type (snapshot | delta), ts (ms), data. */
export interface BybitTopicMessage<T> {
  topic: string;
  type: 'snapshot' | 'delta';
  ts: number;
  cts?: number;
  data: T;
}

/** `publicTrade.<symbol>` item: T time (ms), s symbol, S taker side, v size, p price, i trade id (string). */
export interface BybitTrade {
  T: number;
  s: string;
  S: 'Buy' | 'Sell';
  v: string;
  p: string;
  L?: string;
  i: string;
  BT?: boolean;
}

/** `orderbook.1.<symbol>` data: b/a [[price, size]] (size "0" deletes the level), u update id, seq. */
export interface BybitOrderbook {
  s: string;
  b: Array<[string, string]>;
  a: Array<[string, string]>;
  u: number;
  seq: number;
}

/** `tickers.<symbol>` data (linear carries bid1/ask1; spot does not). cs (cross sequence) sits beside data. */
export interface BybitTicker {
  symbol: string;
  bid1Price?: string;
  bid1Size?: string;
  ask1Price?: string;
  ask1Size?: string;
}

/** Replies to our requests: {"op":"subscribe","success":true,...} and pongs. */
export interface BybitOpReply {
  op: string;
  success?: boolean;
  ret_msg?: string;
  conn_id?: string;
}

/** Requests we send. */
export interface BybitRequest {
  op: 'subscribe' | 'unsubscribe' | 'ping';
  args?: string[];
}
