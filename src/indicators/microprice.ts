// Microprice (size-weighted mid): (bid·askSize + ask·bidSize) / (bidSize + askSize); the mid when both sizes are 0.
import { Streaming, finite, nonNegative } from './indicator.js';

export class Microprice extends Streaming {
  value = NaN;
  get ready(): boolean {
    return this.count > 0;
  }
  update(bid: number, bidSize: number, ask: number, askSize: number): number {
    finite(bid, 'bid');
    finite(ask, 'ask');
    nonNegative(bidSize, 'bidSize');
    nonNegative(askSize, 'askSize');
    this.count++;
    const d = bidSize + askSize;
    this.value = d > 0 ? (bid * askSize + ask * bidSize) / d : (bid + ask) / 2;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.count = 0;
  }
}
