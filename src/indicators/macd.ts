// MACD line = EMA(fast) − EMA(slow); signal = EMA(signal) of the line; hist = line − signal.
// Convention 'talib' (default): the fast EMA is seeded with the SMA of the `fast` values ending where the
// slow EMA's seed ends, so both start at index slow−1, and all three outputs start at slow−1+signal−1
// (index 33 for 12/26/9). Convention 'sma-each' (technicalindicators, trading-signals): each EMA seeded with
// the SMA of its own first values; the line starts at slow−1, the signal at slow−1+signal−1.
import { Streaming, checkPeriod, finite } from './indicator.js';
import { CountWindow } from './window.js';
import { EMA } from './ema.js';

export interface MacdValue {
  macd: number;
  signal: number;
  hist: number;
}

export class MACD extends Streaming {
  readonly value: MacdValue = { macd: NaN, signal: NaN, hist: NaN };
  private readonly fastEma: EMA;
  private readonly slowEma: EMA;
  private readonly signalEma: EMA;
  private readonly seedWin: CountWindow;
  /** All three EMAs seeded: update takes the inlined steady-state path (the same arithmetic as EMA.update). */
  private steady = false;
  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signal = 9,
    readonly convention: 'talib' | 'sma-each' = 'talib',
  ) {
    super();
    checkPeriod(fast, 'fast');
    checkPeriod(slow, 'slow');
    checkPeriod(signal, 'signal');
    this.fastEma = new EMA(fast);
    this.slowEma = new EMA(slow);
    this.signalEma = new EMA(signal);
    this.seedWin = new CountWindow(Math.max(fast, 1));
  }
  get ready(): boolean {
    return this.signalEma.ready;
  }
  update(x: number): MacdValue {
    finite(x, 'MACD input');
    this.count++;
    const v = this.value;
    if (this.steady) {
      const fe = this.fastEma,
        se = this.slowEma,
        ge = this.signalEma;
      fe.count++;
      se.count++;
      ge.count++;
      const f = (fe.value = (x - fe.value) * fe.alpha + fe.value);
      const s = (se.value = (x - se.value) * se.alpha + se.value);
      const line = f - s;
      const sig = (ge.value = (line - ge.value) * ge.alpha + ge.value);
      v.macd = line;
      v.signal = sig;
      v.hist = line - sig;
      return v;
    }
    const s = this.slowEma.update(x);
    let f: number;
    if (this.convention === 'sma-each' || this.fast >= this.slow) f = this.fastEma.update(x);
    else {
      if (this.count <= this.slow) this.seedWin.push(x); // only the seed needs the last `fast` values
      if (this.count < this.slow) f = NaN;
      else if (this.count === this.slow) {
        let sum = 0;
        for (let i = 0; i < this.fast; i++) sum += this.seedWin.at(i);
        f = sum / this.fast;
        this.fastEma.seedWith(f, this.fast);
      } else f = this.fastEma.update(x);
    }
    if (!this.slowEma.ready) return v;
    const line = f - s;
    const sig = this.signalEma.update(line);
    if (this.convention === 'sma-each' || this.signalEma.ready) v.macd = line;
    if (this.signalEma.ready) {
      v.signal = sig;
      v.hist = line - sig;
    }
    this.steady =
      this.signalEma.ready &&
      this.fastEma.ready &&
      this.slowEma.ready &&
      this.fastEma.count > this.fast &&
      this.signalEma.count > this.signal;
    return v;
  }
  reset(): void {
    this.count = 0;
    this.steady = false;
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.seedWin.clear();
    this.value.macd = this.value.signal = this.value.hist = NaN;
  }
}
