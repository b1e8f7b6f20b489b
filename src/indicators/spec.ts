// Parses indicator specs ("ema:9,sma:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stddev:20,vwap") into
// a set of streaming indicators that update from trades or bars and report values under the spec keys.
import { InputError } from '../model/errors.js';
import { SMA } from './sma.js';
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
import { BollingerBands } from './bollinger.js';
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

function makeEntry(key: string): Entry {
  const [name, ...args] = key.split(':');
  switch (name) {
    case 'sma': { const ind = new SMA(ints(args, 1, [20], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'ema': { const ind = new EMA(ints(args, 1, [9], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'wma': { const ind = new WMA(ints(args, 1, [9], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'dema': { const ind = new DEMA(ints(args, 1, [9], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'tema': { const ind = new TEMA(ints(args, 1, [9], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'wilder': { const ind = new WilderSmoothing(ints(args, 1, [14], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'rsi': { const ind = new RSI(ints(args, 1, [14], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'roc': { const ind = new ROC(ints(args, 1, [12], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'mom': case 'momentum': { const ind = new Momentum(ints(args, 1, [10], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'stddev': { const ind = new RollingStdDev(ints(args, 1, [20], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'zscore': { const ind = new ZScore(ints(args, 1, [20], key)[0]!); return { key, ind, update: (s) => ind.update(s.close), read: () => num(ind.value) }; }
    case 'macd': {
      const [f, sl, sg] = ints(args, 3, [12, 26, 9], key);
      const ind = new MACD(f, sl, sg);
      return { key, ind, update: (s) => ind.update(s.close), read: () => (ind.ready ? { macd: ind.value.macd, signal: ind.value.signal, hist: ind.value.hist } : null) };
    }
    case 'bbands': {
      const [p, k] = ints(args, 2, [20, 2], key);
      const ind = new BollingerBands(p, k);
      return { key, ind, update: (s) => ind.update(s.close), read: () => (ind.ready ? { lower: ind.value.lower, middle: ind.value.middle, upper: ind.value.upper } : null) };
    }
    case 'atr': { const ind = new ATR(ints(args, 1, [14], key)[0]!); return { key, ind, update: (s) => ind.update(s.high, s.low, s.close), read: () => num(ind.value) }; }
    case 'stoch': {
      const [p, d] = ints(args, 2, [14, 3], key);
      const ind = new Stochastic(p, d);
      return { key, ind, update: (s) => ind.update(s.high, s.low, s.close), read: () => (Number.isFinite(ind.value.k) ? { k: ind.value.k, d: num(ind.value.d) } : null) };
    }
    case 'vwap': {
      if (args.length > 0) {
        const ms = ints(args, 1, [], key)[0]!;
        const ind = new RollingVWAP(ms);
        return { key, ind, update: (s) => ind.update(s.vwap, s.volume, s.timeMs), read: () => num(ind.value) };
      }
      const ind = new SessionVWAP();
      return { key, ind, update: (s) => ind.update(s.vwap, s.volume, s.timeMs), read: () => num(ind.value) };
    }
    case 'vwma': { const ind = new VWMA(ints(args, 1, [20], key)[0]!); return { key, ind, update: (s) => ind.update(s.close, s.volume), read: () => num(ind.value) }; }
    case 'rvol': { const ind = new RealizedVolatility(ints(args, 1, [60000], key)[0]!); return { key, ind, update: (s) => ind.update(s.close, s.timeMs), read: () => num(ind.value) }; }
    default: throw new InputError(`unknown indicator "${name}" in spec "${key}" (known: sma ema wma dema tema wilder rsi roc mom stddev zscore macd bbands atr stoch vwap vwma rvol)`);
  }
}

export class IndicatorSet {
  private readonly entries: Entry[];
  constructor(spec: string) {
    const keys = spec.split(',').map((s) => s.trim()).filter(Boolean);
    if (keys.length === 0) throw new InputError('indicator spec is empty');
    this.entries = keys.map(makeEntry);
  }
  get keys(): string[] { return this.entries.map((e) => e.key); }
  update(step: Step): void { for (const e of this.entries) e.update(step); }
  /** Values by spec key; null until ready. VWAP on bars weights each bar's exact VWAP by its volume (= Σp·q/Σq over trades). */
  values(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const e of this.entries) o[e.key] = e.read();
    return o;
  }
}
