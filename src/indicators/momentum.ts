// Momentum: x − x[n]; first output at index n.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';

export class Momentum extends Streaming {
  value = NaN;
  private readonly win: CountWindow;
  constructor(readonly period: number) {
    super();
    checkPeriod(period);
    this.win = new CountWindow(period + 1);
  }
  get ready(): boolean {
    return this.count > this.period;
  }
  update(x: number): number {
    finite(x, 'Momentum input');
    this.count++;
    this.win.push(x);
    if (this.win.full) this.value = x - this.win.at(0);
    return this.value;
  }
  reset(): void {
    this.value = NaN;
    this.count = 0;
    this.win.clear();
  }
}
