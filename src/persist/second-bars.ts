// The 1 s OHLCV bars that persistence stores beside the ticks: one time-bar builder per symbol, fed every
// trade, handing each closed bar to `sink`; `closeAll` closes the open bars at shutdown so the last second
// is stored too.
import type { Tick } from '../model/tick.js';
import type { Bar } from '../model/bar.js';
import { BarBuilder } from '../indicators/bars.js';
import { emptyScratch } from '../model/scratch.js';

export class SecondBars {
  private readonly bars = new Map<string, Map<string, BarBuilder>>();
  private last: BarBuilder | undefined;
  private readonly out: Bar[] = [];

  constructor(private readonly sink: (b: Bar) => void) {}

  private barsOf(t: Tick): BarBuilder {
    const last = this.last;
    if (last && last.symbol === t.symbol && last.venue === t.venue) return last;
    let byVenue = this.bars.get(t.venue);
    if (!byVenue) {
      byVenue = new Map();
      this.bars.set(t.venue, byVenue);
    }
    let b = byVenue.get(t.symbol);
    if (!b) {
      b = new BarBuilder(t.venue, t.symbol, { type: 'time', ms: 1000 }, false);
      byVenue.set(t.symbol, b);
    }
    this.last = b;
    return b;
  }

  /** One trade: updates its symbol's bar and hands on the bars it closed (none for most trades). */
  addTrade(t: Tick): void {
    const out = this.out;
    emptyScratch(out);
    this.barsOf(t).update(t.price, t.size, t.tsExchNs / 1e6, out);
    for (let i = 0; i < out.length; i++) this.sink(out[i]!);
  }

  /** Closes every open bar (shutdown). */
  closeAll(): void {
    for (const m of this.bars.values())
      for (const b of m.values()) {
        const p = b.partial;
        if (!p) continue;
        const out: Bar[] = [];
        b.flushUntil(p.tsOpenMs + 1000, out);
        out.forEach(this.sink);
      }
  }
}
