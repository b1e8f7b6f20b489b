// Volume-weighted moving average over the last n inputs: Σ(p·v)/Σv, with compensated running sums (a value that
// leaves the window leaves no residue). A window with no volume has no VWMA (NaN, printed as null), never a
// ratio of residues; a window whose prices are all equal gives exactly that price (so VWMA(1) is the price).
import { Streaming, checkPeriod, finite, nonNegative } from './indicator.js';
import { CountWindow } from './window.js';
import { CompensatedSum } from './compensated.js';

export class VWMA extends Streaming {
  value = NaN;
  private readonly pv = new CompensatedSum();
  private readonly v = new CompensatedSum();
  /** Inputs in the window with volume > 0. */
  private withVolume = 0;
  private last = NaN;
  private run = 0;
  private readonly pvWin: CountWindow;
  private readonly vWin: CountWindow;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.pvWin = new CountWindow(period);
    this.vWin = new CountWindow(period);
  }
  get ready(): boolean {
    return this.count >= this.period && this.withVolume > 0;
  }
  update(price: number, volume: number): number {
    finite(price, 'VWMA price');
    nonNegative(volume, 'VWMA volume');
    this.count++;
    const pv = price * volume;
    const oldPv = this.pvWin.push(pv),
      oldV = this.vWin.push(volume);
    this.pv.add(pv);
    this.v.add(volume);
    if (volume > 0) this.withVolume++;
    if (oldV === oldV) {
      this.pv.add(-oldPv);
      this.v.add(-oldV);
      if (oldV > 0) this.withVolume--;
    }
    this.run = price === this.last ? this.run + 1 : 1;
    this.last = price;
    if (this.count >= this.period) {
      if (this.withVolume === 0) this.value = NaN;
      else this.value = this.run >= this.period ? price : this.pv.value / this.v.value;
    }
    return this.value;
  }
  reset(): void {
    this.value = this.last = NaN;
    this.pv.clear();
    this.v.clear();
    this.withVolume = this.run = this.count = 0;
    this.pvWin.clear();
    this.vWin.clear();
  }
}
