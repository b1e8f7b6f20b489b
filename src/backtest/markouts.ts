// Markouts and a simple simulated PnL of signals, computed online as a recording replays (issue 22).
// Times are exchange times: a signal is made at the tsExchNs of the tick that produced it. The reference price
// at a time T is the price of the last tick, in stream order, whose exchange time is at or before T: the last
// trade's price, or, when the recording has quotes, the last quote's mid. A signal's markout at horizon h is
// side × (ref(t + h) − signal price) / signal price × 1e4 bps; a horizon that passes the end of the data is left
// out (and counted). PnL: enter at the first tick at or after t + latency (its trade price or mid), exit at the
// reference at entry + ttlMs, minus the fee on each side.
import type { Tick } from '../model/tick.js';
import type { Signal } from '../model/signal.js';

export interface MarkoutOptions {
  /** Each horizon and its label in the report (as the user wrote it: "1s", "60s", "250ms"). */
  horizons: Array<{ ms: number; label: string }>;
  latencyMs: number;
  feeBps: number;
}

interface Pending {
  dueNs: number;
  apply: (ref: number) => void;
}

export interface StrategySymbolStats {
  name: string;
  symbol: string;
  signals: number;
  markoutsBps: Record<string, number[]>;
  /** Signals whose horizon passed the end of the data, per horizon. */
  beyondEnd: Record<string, number>;
  pnlBps: number[];
  pnlBeyondEnd: number;
}

const sideOf = (s: Signal['side']): number => (s === 'buy' ? 1 : s === 'sell' ? -1 : 0);

export class Markouts {
  private readonly bySymbolRef = new Map<string, { ref: number; hasQuotes: boolean; lastTrade: number }>();
  /** Waiting for a time to pass, per symbol, in due order (a min-heap would do; signals are few). */
  private readonly pending = new Map<string, Pending[]>();
  private readonly entries = new Map<string, Array<{ afterNs: number; enter: (price: number) => void }>>();
  readonly stats = new Map<string, StrategySymbolStats>();

  constructor(private readonly o: MarkoutOptions) {}

  private key(t: { venue: string; symbol: string }): string {
    return `${t.venue}:${t.symbol}`;
  }

  /** Every tick, in stream order, before it reaches the strategies. */
  onTick(t: Tick): void {
    const k = this.key(t);
    let r = this.bySymbolRef.get(k);
    if (!r) this.bySymbolRef.set(k, (r = { ref: NaN, hasQuotes: false, lastTrade: NaN }));
    // The times this tick passes: what was due before it takes the reference as it was.
    const due = this.pending.get(k);
    if (due) {
      let i = 0;
      while (i < due.length && due[i]!.dueNs < t.tsExchNs) due[i++]!.apply(r.ref);
      if (i) due.splice(0, i);
    }
    const price = t.kind === 'trade' ? t.price : (t.bid + t.ask) / 2;
    const ent = this.entries.get(k);
    if (ent) {
      let i = 0;
      while (i < ent.length && ent[i]!.afterNs <= t.tsExchNs) ent[i++]!.enter(price);
      if (i) ent.splice(0, i);
    }
    if (t.kind === 'quote') {
      r.hasQuotes = true;
      r.ref = price;
    } else {
      r.lastTrade = t.price;
      if (!r.hasQuotes) r.ref = t.price;
    }
  }

  private wait(k: string, p: Pending): void {
    let q = this.pending.get(k);
    if (!q) this.pending.set(k, (q = []));
    let i = q.length;
    while (i > 0 && q[i - 1]!.dueNs > p.dueNs) i--;
    q.splice(i, 0, p);
  }

  /** A signal that passed the risk gates (the engine's onSignal). */
  onSignal(s: Signal): void {
    const k = this.key(s);
    const sk = `${s.strategy}\u0000${k}`;
    let st = this.stats.get(sk);
    if (!st) {
      st = { name: s.strategy, symbol: k, signals: 0, markoutsBps: {}, beyondEnd: {}, pnlBps: [], pnlBeyondEnd: 0 };
      for (const h of this.o.horizons) {
        st.markoutsBps[h.label] = [];
        st.beyondEnd[h.label] = 0;
      }
      this.stats.set(sk, st);
    }
    const stats = st;
    stats.signals++;
    const side = sideOf(s.side),
      t0 = s.latency.tsExchNs;
    for (const h of this.o.horizons)
      this.wait(k, {
        dueNs: t0 + h.ms * 1e6,
        apply: (ref) => {
          if (ref === ref) stats.markoutsBps[h.label]!.push(((side * (ref - s.price)) / s.price) * 1e4);
        },
      });
    let list = this.entries.get(k);
    if (!list) this.entries.set(k, (list = []));
    list.push({
      afterNs: t0 + this.o.latencyMs * 1e6,
      enter: (entry) => {
        const exitAt = t0 + this.o.latencyMs * 1e6 + s.ttlMs * 1e6;
        this.wait(k, {
          dueNs: exitAt,
          apply: (exit) => {
            if (exit === exit) stats.pnlBps.push(((side * (exit - entry)) / entry) * 1e4 - 2 * this.o.feeBps);
          },
        });
      },
    });
  }

  /** The end of the data: what is still waiting passed it. */
  finish(): void {
    for (const st of this.stats.values()) {
      const total = st.signals;
      for (const h of this.o.horizons) st.beyondEnd[h.label] = total - st.markoutsBps[h.label]!.length;
      st.pnlBeyondEnd = total - st.pnlBps.length;
    }
    this.pending.clear();
    this.entries.clear();
  }
}

/** "1s,10s,250ms,1m" -> each in ms with its label; undefined for a malformed list. */
export function parseHorizons(text: string): Array<{ ms: number; label: string }> | undefined {
  const out: Array<{ ms: number; label: string }> = [];
  for (const part of text.split(',')) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(part.trim());
    if (!m) return undefined;
    const v = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
    if (!(v > 0)) return undefined;
    out.push({ ms: v, label: part.trim() });
  }
  return out.length ? out : undefined;
}
