// Binance spot / USD-M WebSocket message shapes this engine reads (market streams, raw or combined).
// Numbers that Binance sends as strings (prices, quantities) stay strings here; parse.ts converts them.

/** Combined-stream wrapper: /stream?streams=... or a SUBSCRIBE on /stream. */
export interface BinanceCombined<T> {
  stream: string;
  data: T;
}

/** `<symbol>@trade`. USD-M adds X (MARKET, INSURANCE_FUND, ADL, NA); spot adds M and, before 2023, b/a order ids. */
export interface BinanceTrade {
  e: 'trade';
  E: number;
  s: string;
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
  M?: boolean;
  X?: string;
  b?: number;
  a?: number;
}

/** `<symbol>@aggTrade`: a (aggregate id), f/l (first/last trade id). */
export interface BinanceAggTrade {
  e: 'aggTrade';
  E: number;
  s: string;
  a: number;
  p: string;
  q: string;
  f: number;
  l: number;
  T: number;
  m: boolean;
  M?: boolean;
  X?: string;
}

/** `<symbol>@bookTicker`. Spot has no e/E/T (no exchange time); USD-M has e, E and T. */
export interface BinanceBookTicker {
  e?: 'bookTicker';
  u: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
  E?: number;
  T?: number;
}

/** Reply to SUBSCRIBE / UNSUBSCRIBE. */
export interface BinanceAck {
  result: null | unknown;
  id: number;
}

/** Error reply, e.g. {"code": 2, "msg": "Invalid request"}. */
export interface BinanceError {
  code: number;
  msg: string;
}

/** SUBSCRIBE request sent after each (re)connect. */
export interface BinanceSubscribe {
  method: 'SUBSCRIBE';
  params: string[];
  id: number;
}
