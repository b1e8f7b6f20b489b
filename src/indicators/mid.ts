// Mid price (bid + ask) / 2.
import { Streaming, finite } from './indicator.js';

export class Mid extends Streaming {
  value = NaN;
  get ready(): boolean {
    return this.count > 0;
  }
  update(bid: number, ask: number): number {
    finite(bid, 'bid');
    finite(ask, 'ask');
    this.count++;
    this.value = (bid + ask) / 2;
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.count = 0;
  }
}
