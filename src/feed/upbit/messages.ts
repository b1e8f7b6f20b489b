// Upbit quotation WebSocket message shapes this engine reads (docs.upbit.com, "websocket-trade" and
// "websocket-orderbook"). Numbers arrive as JSON numbers; frames are UTF-8 JSON sent as *binary* WebSocket
// frames. The DEFAULT format uses long keys, SIMPLE the abbreviations given beside them; both are read.

/** `trade` (SIMPLE: ty cd tp tv ab ttms sid): ask_bid is the aggressor, ASK = a seller hit the bid. */
export interface UpbitTrade {
  type: 'trade';
  code: string;
  trade_price: number;
  trade_volume: number;
  ask_bid: 'ASK' | 'BID';
  trade_timestamp: number;
  timestamp: number;
  sequential_id: number;
  stream_type: 'SNAPSHOT' | 'REALTIME';
}

/** One price level pair of `orderbook` (SIMPLE obu: ap bp as bs). */
export interface UpbitOrderbookUnit {
  ask_price: number;
  bid_price: number;
  ask_size: number;
  bid_size: number;
}

/** `orderbook` (SIMPLE: ty cd tms obu): the book's best levels, best first. */
export interface UpbitOrderbook {
  type: 'orderbook';
  code: string;
  timestamp: number;
  total_ask_size: number;
  total_bid_size: number;
  orderbook_units: UpbitOrderbookUnit[];
  stream_type: 'SNAPSHOT' | 'REALTIME';
  level?: number;
}

/** The reply to the text `PING` keep-alive, and the error reply to a bad request. */
export interface UpbitStatus {
  status: 'UP';
}
export interface UpbitError {
  error: { name: string; message: string };
}

/** One request: a JSON array of ticket, data types and format objects. */
export type UpbitRequest = Array<
  | { ticket: string }
  | { type: 'trade' | 'orderbook'; codes: string[]; is_only_realtime?: boolean }
  | { format: 'DEFAULT' | 'SIMPLE' }
>;
