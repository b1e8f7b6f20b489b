// Parses indicator specs ("ema:9,sma:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stddev:20,vwap") into
// a set of streaming indicators that update from trades or bars and report values under the spec keys.
import { InputError } from '../model/errors.js';
import { EMA } from './ema.js';
import { WMA } from './wma.js';
import { DEMA } from './dema.js';
import { TEMA } from './tema.js';
import { RSI } from './rsi.js';
import { MACD } from './macd.js';
import { ROC } from './roc.js';
import { Momentum } from './momentum.js';
import { Stochastic } from './stochastic.js';
import { RollingStdDev } from './stddev.js';
import { ATR } from './atr.js';
import { SessionVWAP, RollingVWAP } from './vwap.js';
import { VWMA } from './vwma.js';
import { ZScore } from './zscore.js';
import { RealizedVolatility } from './realized-vol.js';
import { WilderSmoothing } from './wilder.js';
import type { Streaming } from './indicator.js';

/** One input step: a trade (open=high=low=close=price) or a bar. */
export interface Step { open: number; high: number; low: number; close: number; volume: number; timeMs: number; /** Trade price, or a bar's exact VWAP. */ vwap: number }

interface Entry { key: string; ind: Streaming; update: (s: Step) => void; read: () => unknown }


const ints = (args: string[], n: number, defaults: number[], key: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const raw = args[i] ?? (defaults[i] !== undefined ? String(defaults[i]) : undefined);
    const v = Number(raw);
    if (raw === undefined || !Number.isFinite(v) || v <= 0) throw new InputError(`indicator spec "${key}": argument ${i + 1} must be a positive number`);
    out.push(v);
  }
  return out;
};
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Kinds IndicatorSet does not keep in arrays of their own class (ema, sma, rsi, macd, stddev, bbands, atr, session vwap). */
function makeEntry(key: string): Entry {
  const [name, ...args] = key.split(':');
  switch (name) {
    case 'wma': { const ind = new WMA(ints(args, 1, [9], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'dema': { const ind = new DEMA(ints(args, 1, [9], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'tema': { const ind = new TEMA(ints(args, 1, [9], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'wilder': { const ind = new WilderSmoothing(ints(args, 1, [14], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'roc': { const ind = new ROC(ints(args, 1, [12], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'mom': case 'momentum': { const ind = new Momentum(ints(args, 1, [10], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'zscore': { const ind = new ZScore(ints(args, 1, [20], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'stoch': {
      const [p, d] = ints(args, 2, [14, 3], key);
      const ind = new Stochastic(p, d);
      return { key, ind, update: (s) => ind.update(s.high, s.low, s.close), read: () => (Number.isFinite(ind.value.k) ? { k: ind.value.k, d: num(ind.value.d) } : null) };
    }
    case 'vwap': { // rolling by time window (the session VWAP is kept by IndicatorSet itself)
      const ind = new RollingVWAP(ints(args, 1, [], key)[0]!);
      return { key, ind, update: (s) => ind.update(s.vwap, s.volume, s.timeMs), read: () => num(ind.value) };
    }
    case 'vwma': { const ind = new VWMA(ints(args, 1, [20], key)[0]!); return { key, ind, update: (s) => ind.update(s.close, s.volume), read: () => num(ind.value) }; }
    case 'rvol': { const ind = new RealizedVolatility(ints(args, 1, [60000], key)[0]!); return { key, ind, update: (s) => ind.update(s.close, s.timeMs), read: () => num(ind.value) }; }
    default: throw new InputError(`unknown indicator "${name}" in spec "${key}" (known: sma ema wma dema tema wilder rsi roc mom stddev zscore macd bbands atr stoch vwap vwma rvol)`);
  }
}

/**
 * The indicators of a spec, updated together. The common kinds are kept in arrays of one class each, so every
 * update call site sees one class and is inlined (a loop over closures of eight classes is a megamorphic call
 * per indicator); sma:N, stddev:N and bbands:N:k share one rolling Σx/Σx² window per N (the same
 * arithmetic as each alone: SMA = the window mean, bands = mean ± k·σ). Other kinds go through closures.
 */
export class IndicatorSet {
  private readonly readers: Array<{ key: string; read: () => unknown }> = [];
  private readonly emas: EMA[] = [];
  private readonly rsis: RSI[] = [];
  private readonly macds: MACD[] = [];
  private readonly rolling: RollingStdDev[] = [];
  private readonly atrs: ATR[] = [];
  private readonly vwaps: SessionVWAP[] = [];
  private readonly others: Array<(s: Step) => void> = [];

  constructor(spec: string) {
    const keys = spec.split(',').map((s) => s.trim()).filter(Boolean);
    if (keys.length === 0) throw new InputError('indicator spec is empty');
    for (const key of keys) this.add(key);
  }

  private rollingFor(period: number): RollingStdDev {
    let r = this.rolling.find((x) => x.period === period);
    if (!r) { r = new RollingStdDev(period); this.rolling.push(r); }
    return r;
  }

  private add(key: string): void {
    const [name, ...args] = key.split(':');
    const read = (fn: () => unknown) => this.readers.push({ key, read: fn });
    switch (name) {
      case 'ema': { const e = new EMA(ints(args, 1, [9], key)[0]!); this.emas.push(e); read(() => num(e.value)); return; }
      case 'rsi': { const e = new RSI(ints(args, 1, [14], key)[0]!); this.rsis.push(e); read(() => num(e.value)); return; }
      case 'macd': {
        const [f, sl, sg] = ints(args, 3, [12, 26, 9], key);
        const e = new MACD(f, sl, sg); this.macds.push(e);
        read(() => (e.ready ? { macd: e.value.macd, signal: e.value.signal, hist: e.value.hist } : null));
        return;
      }
      case 'sma': { const r = this.rollingFor(ints(args, 1, [20], key)[0]!); read(() => (r.ready ? num(r.mean) : null)); return; }
      case 'stddev': { const r = this.rollingFor(ints(args, 1, [20], key)[0]!); read(() => num(r.value)); return; }
      case 'bbands': {
        const [p, k] = ints(args, 2, [20, 2], key);
        const r = this.rollingFor(p!);
        read(() => {
          if (!r.ready) return null;
          const middle = r.mean, s = r.value; // BollingerBands' arithmetic
          return { lower: middle - k! * s, middle, upper: middle + k! * s };
        });
        return;
      }
      case 'atr': { const e = new ATR(ints(args, 1, [14], key)[0]!); this.atrs.push(e); read(() => num(e.value)); return; }
      case 'vwap':
        if (args.length === 0) { const e = new SessionVWAP(); this.vwaps.push(e); read(() => num(e.value)); return; }
        break;
    }
    const entry = makeEntry(key);
    this.others.push(entry.update);
    read(entry.read);
  }

  get keys(): string[] { return this.readers.map((r) => r.key); }

  update(step: Step): void {
    const c = step.close;
    for (let i = 0; i < this.emas.length; i++) this.emas[i]!.update(c);
    for (let i = 0; i < this.rsis.length; i++) this.rsis[i]!.update(c);
    for (let i = 0; i < this.macds.length; i++) this.macds[i]!.update(c);
    for (let i = 0; i < this.rolling.length; i++) this.rolling[i]!.update(c);
    for (let i = 0; i < this.atrs.length; i++) this.atrs[i]!.update(step.high, step.low, c);
    for (let i = 0; i < this.vwaps.length; i++) this.vwaps[i]!.update(step.vwap, step.volume, step.timeMs);
    for (let i = 0; i < this.others.length; i++) this.others[i]!(step);
  }

  /** Values by spec key; null until ready. VWAP on bars weights each bar's exact VWAP by its volume (= Σp·q/Σq over trades). */
  values(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const r of this.readers) o[r.key] = r.read();
    return o;
  }
}
