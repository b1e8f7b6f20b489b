// Volume-weighted moving average over the last n inputs: Σ(p·v)/Σv.
import { Streaming, checkPeriod, finite, nonNegative } from './indicator.js';
import { CountWindow } from './window.js';

export class VWMA extends Streaming {
  value = NaN;
  private pv = 0; private v = 0;
  private readonly pvWin: CountWindow; private readonly vWin: CountWindow;
  constructor(readonly period: number) { super(); checkPeriod(period); this.pvWin = new CountWindow(period); this.vWin = new CountWindow(period); }
  get ready(): boolean { return this.count >= this.period && this.v > 0; }
  update(price: number, volume: number): number {
    finite(price, 'VWMA price'); nonNegative(volume, 'VWMA volume');
    this.count++;
    const oldPv = this.pvWin.push(price * volume), oldV = this.vWin.push(volume);
    this.pv += price * volume; this.v += volume;
    if (!Number.isNaN(oldPv)) { this.pv -= oldPv; this.v -= oldV; }
    if (this.count >= this.period) this.value = this.v > 0 ? this.pv / this.v : NaN;
    return this.value;
  }
  reset(): void { this.value = NaN; this.pv = this.v = 0; this.count = 0; this.pvWin.clear(); this.vWin.clear(); }
}
