// Quoted spread (ask − bid) and in basis points of the mid, from the latest best bid/ask.
import { Streaming, finite } from './indicator.js';
import { InputError } from '../model/errors.js';

export class Spread extends Streaming {
  value = NaN;
  bps = NaN;
  get ready(): boolean {
    return this.count > 0;
  }
  update(bid: number, ask: number): number {
    finite(bid, 'bid');
    finite(ask, 'ask');
    if (!(bid > 0) || !(ask > 0)) throw new InputError(`bid and ask must be > 0, got ${bid}/${ask}`);
    this.count++;
    this.value = ask - bid;
    this.bps = (this.value / ((ask + bid) / 2)) * 1e4;
    return this.value;
  }
  reset(): void {
    this.value = this.bps = NaN;
    this.count = 0;
  }
}
