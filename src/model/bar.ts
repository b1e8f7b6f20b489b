// An OHLCV bar built from trades, with its VWAP and trade count.

export interface Bar {
  venue: string;
  symbol: string;
  /** Bar open time, epoch ms (start of the bucket for time bars, first trade for tick/volume bars). */
  tsOpenMs: number;
  /** Bar close time, epoch ms (end of the bucket or last trade). */
  tsCloseMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Σ price·size / Σ size over the bar's trades. */
  vwap: number;
  trades: number;
}
