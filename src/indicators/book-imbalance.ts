// Top-of-book imbalance in [−1, 1]: (bidSize − askSize) / (bidSize + askSize); 0 when both are 0.
import { Streaming, nonNegative } from './indicator.js';

export class BookImbalance extends Streaming {
  value = NaN;
  get ready(): boolean {
    return this.count > 0;
  }
  update(bidSize: number, askSize: number): number {
    nonNegative(bidSize, 'bidSize');
    nonNegative(askSize, 'askSize');
    this.count++;
    const d = bidSize + askSize;
    this.value = d > 0 ? (bidSize - askSize) / d : 0;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.count = 0;
  }
}
