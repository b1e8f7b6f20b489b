// Indicator specs ("ema:9,rsi:14,macd:12:26:9,bbands:20:2,ema:halflife=500ms,spread,vwap") parsed through one
// registry table (INDICATORS: name, arguments, input, outputs) into a set of streaming indicators that update from
// prices or bars, trades (side-aware flow measures) and quotes, and report values under the spec keys. The
// `christmas indicators` command and strategies read the same table.
import { InputError } from '../model/errors.js';
import type { Side } from '../model/tick.js';
import { EMA } from './ema.js';
import { TimeDecayEMA } from './ema-time.js';
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
import { SessionVWAP, RollingVWAP, UTC_DAY_MS } from './vwap.js';
import { VWMA } from './vwma.js';
import { ZScore } from './zscore.js';
import { RealizedVolatility } from './realized-vol.js';
import { WilderSmoothing } from './wilder.js';
import { RollingMinMax } from './minmax.js';
import { Spread } from './spread.js';
import { Mid } from './mid.js';
import { Microprice } from './microprice.js';
import { BookImbalance } from './book-imbalance.js';
import { TradeFlowImbalance } from './trade-flow-imbalance.js';
import { TickRuleVolume } from './tick-rule.js';

/** One price step: a trade (open=high=low=close=price) or a bar. */
export interface Step {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  timeMs: number;
  /** Trade price, or a bar's exact VWAP. */
  vwap: number;
}

/** What an indicator is fed: price steps (trades or bars), each trade with its side, or best bid/ask quotes. */
export type IndicatorInput = 'price' | 'trade' | 'quote';

type Args = { positional: string[]; named: Map<string, string> };
type Value = number | Record<string, number | null> | null;

interface IndicatorDef {
  name: string;
  /** Argument syntax for help and errors, e.g. "N" or "F:S:G" or "halflife=D". */
  args: string;
  input: IndicatorInput;
  /** Fields of a compound value (CSV columns `<key>.<field>`); undefined for a plain number. */
  fields?: readonly string[];
  summary: string;
  build(set: IndicatorSet, a: Args, key: string): () => Value;
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

function positiveArg(a: Args, i: number, dflt: number | undefined, key: string, integer = true): number {
  const raw = a.positional[i];
  if (raw === undefined) {
    if (dflt === undefined) throw new InputError(`indicator spec "${key}": argument ${i + 1} is required`);
    return dflt;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
    throw new InputError(
      `indicator spec "${key}": argument ${i + 1} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`,
    );
  return v;
}

/** "500ms", "2s", "1.5m", "1h", "1d" or plain milliseconds. */
function parseDurationMs(s: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(s.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  const v = m ? Number(m[1]) * unit[(m[2] ?? 'ms') as keyof typeof unit] : NaN;
  if (!(v > 0)) throw new InputError(`${what}: expected a duration like 500ms, 2s, 1m, 1h or 1d, got "${s}"`);
  return v;
}

function onlyArgs(a: Args, key: string, positional: number, named: string[] = []): void {
  if (a.positional.length > positional) throw new InputError(`indicator spec "${key}": too many arguments`);
  for (const k of a.named.keys())
    if (!named.includes(k)) throw new InputError(`indicator spec "${key}": unknown argument "${k}"`);
}

/** Single-number indicators over the close, one period argument. */
function closeOf(
  name: string,
  dflt: number,
  summary: string,
  make: (n: number) => { update(x: number): number; value: number },
): IndicatorDef {
  return {
    name,
    args: 'N',
    input: 'price',
    summary,
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const ind = make(positiveArg(a, 0, dflt, key));
      set.addOther((s) => ind.update(s.close));
      return () => num(ind.value);
    },
  };
}

/** The registry: every indicator a spec can name. */
export const INDICATORS: readonly IndicatorDef[] = [
  {
    name: 'sma',
    args: 'N',
    input: 'price',
    summary: 'simple moving average',
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const r = set.rollingFor(positiveArg(a, 0, 20, key));
      return () => (r.ready ? num(r.mean) : null);
    },
  },
  {
    name: 'ema',
    args: 'N | halflife=D',
    input: 'price',
    summary: 'EMA over N updates (SMA seed), or time-decayed with half-life D (irregular ticks)',
    build(set, a, key) {
      onlyArgs(a, key, 1, ['halflife']);
      const hl = a.named.get('halflife');
      if (hl !== undefined) {
        if (a.positional.length > 0) throw new InputError(`indicator spec "${key}": give N or halflife=D, not both`);
        const e = new TimeDecayEMA(parseDurationMs(hl, `indicator spec "${key}"`));
        set.addOther((s) => e.update(s.close, s.timeMs));
        return () => num(e.value);
      }
      const e = new EMA(positiveArg(a, 0, 9, key));
      set.emas.push(e);
      return () => num(e.value);
    },
  },
  closeOf('wma', 9, 'linearly weighted moving average', (n) => new WMA(n)),
  closeOf('dema', 9, 'double EMA', (n) => new DEMA(n)),
  closeOf('tema', 9, 'triple EMA', (n) => new TEMA(n)),
  closeOf('wilder', 14, 'Wilder smoothing (RMA)', (n) => new WilderSmoothing(n)),
  {
    name: 'rsi',
    args: 'N',
    input: 'price',
    summary: "Wilder RSI (TA-Lib's flat convention: 0)",
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const e = new RSI(positiveArg(a, 0, 14, key));
      set.rsis.push(e);
      return () => num(e.value);
    },
  },
  closeOf('roc', 12, 'rate of change, %', (n) => new ROC(n)),
  closeOf('mom', 10, 'momentum (price difference over N)', (n) => new Momentum(n)),
  {
    name: 'stddev',
    args: 'N[:sample]',
    input: 'price',
    summary: 'rolling standard deviation (population; sample = n−1)',
    build(set, a, key) {
      const sample = a.positional[1] === 'sample';
      if (a.positional.length > 2 || (a.positional.length === 2 && !sample))
        throw new InputError(`indicator spec "${key}": expected stddev:N or stddev:N:sample`);
      onlyArgs(a, key, 2);
      const r = set.rollingFor(positiveArg(a, 0, 20, key));
      return sample ? () => (r.ready ? num(r.sampleValue) : null) : () => (r.ready ? num(r.value) : null);
    },
  },
  closeOf('zscore', 20, 'z-score of the close against the rolling mean and σ', (n) => new ZScore(n)),
  {
    name: 'macd',
    args: 'F:S:G',
    input: 'price',
    fields: ['macd', 'signal', 'hist'],
    summary: 'MACD (TA-Lib start index)',
    build(set, a, key) {
      onlyArgs(a, key, 3);
      const e = new MACD(positiveArg(a, 0, 12, key), positiveArg(a, 1, 26, key), positiveArg(a, 2, 9, key));
      set.macds.push(e);
      return () => (e.ready ? { macd: e.value.macd, signal: e.value.signal, hist: e.value.hist } : null);
    },
  },
  {
    name: 'bbands',
    args: 'N:K',
    input: 'price',
    fields: ['lower', 'middle', 'upper', 'pb'],
    summary: 'Bollinger Bands (SMA ± K·σ) and %b',
    build(set, a, key) {
      onlyArgs(a, key, 2);
      const r = set.rollingFor(positiveArg(a, 0, 20, key));
      const k = positiveArg(a, 1, 2, key, false);
      const last = set.lastClose;
      return () => {
        if (!r.ready) return null;
        const middle = r.mean,
          s = r.value; // BollingerBands' arithmetic
        const lower = middle - k * s,
          upper = middle + k * s;
        return { lower, middle, upper, pb: upper === lower ? null : (last.value - lower) / (upper - lower) };
      };
    },
  },
  {
    name: 'atr',
    args: 'N',
    input: 'price',
    summary: 'average true range (bars: high/low/close)',
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const e = new ATR(positiveArg(a, 0, 14, key));
      set.atrs.push(e);
      return () => num(e.value);
    },
  },
  {
    name: 'stoch',
    args: 'N:D',
    input: 'price',
    fields: ['k', 'd'],
    summary: 'stochastic %K/%D',
    build(set, a, key) {
      onlyArgs(a, key, 2);
      const ind = new Stochastic(positiveArg(a, 0, 14, key), positiveArg(a, 1, 3, key));
      set.addOther((s) => ind.update(s.high, s.low, s.close));
      return () => (Number.isFinite(ind.value.k) ? { k: ind.value.k, d: num(ind.value.d) } : null);
    },
  },
  {
    name: 'vwap',
    args: '[session=D|none] | <windowMs>',
    input: 'price',
    summary: 'exact VWAP: per session (default the UTC day), or over the last windowMs of exchange time',
    build(set, a, key) {
      onlyArgs(a, key, 1, ['session']);
      if (a.positional.length === 1) {
        if (a.named.size > 0) throw new InputError(`indicator spec "${key}": give a window or session=, not both`);
        const ind = new RollingVWAP(parseDurationMs(a.positional[0]!, `indicator spec "${key}"`));
        set.addOther((s) => ind.update(s.vwap, s.volume, s.timeMs));
        return () => num(ind.value);
      }
      const session = a.named.get('session');
      const e = new SessionVWAP(
        session === undefined
          ? UTC_DAY_MS
          : session === 'none'
            ? 0
            : parseDurationMs(session, `indicator spec "${key}"`),
      );
      set.vwaps.push(e);
      return () => num(e.value);
    },
  },
  {
    name: 'vwma',
    args: 'N',
    input: 'price',
    summary: 'volume-weighted moving average over N inputs',
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const ind = new VWMA(positiveArg(a, 0, 20, key));
      set.addOther((s) => ind.update(s.close, s.volume));
      return () => num(ind.value);
    },
  },
  {
    name: 'rvol',
    args: 'windowMs',
    input: 'price',
    summary: 'realized volatility, √Σ r² of log returns over a time window',
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const ind = new RealizedVolatility(parseDurationMs(a.positional[0] ?? '60000', `indicator spec "${key}"`));
      set.addOther((s) => ind.update(s.close, s.timeMs));
      return () => num(ind.value);
    },
  },
  ...(['min', 'max'] as const).map((which): IndicatorDef => ({
    name: which,
    args: 'N',
    input: 'price',
    summary: `rolling ${which === 'min' ? 'lowest low' : 'highest high'} over N inputs`,
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const n = positiveArg(a, 0, 20, key);
      const mm = new RollingMinMax(n);
      let seen = 0;
      set.addOther((s) => {
        mm.push(which === 'min' ? s.low : s.high);
        seen++;
      });
      return () => (seen >= n ? (which === 'min' ? mm.min : mm.max) : null);
    },
  })),
  {
    name: 'tfi',
    args: 'windowMs',
    input: 'trade',
    summary: 'trade-flow imbalance (buy − sell)/total volume by aggressor side, over a time window',
    build(set, a, key) {
      onlyArgs(a, key, 1);
      const ind = new TradeFlowImbalance(parseDurationMs(a.positional[0] ?? '5000', `indicator spec "${key}"`));
      set.addTrade((p, q, side, t) => ind.update(q, side, t));
      return () => num(ind.value);
    },
  },
  {
    name: 'tickrule',
    args: '',
    input: 'trade',
    summary: 'cumulative tick-rule signed volume (Lee–Ready tick test)',
    build(set, a, key) {
      onlyArgs(a, key, 0);
      const ind = new TickRuleVolume();
      set.addTrade((p, q) => ind.update(p, q));
      return () => (ind.ready ? ind.value : null);
    },
  },
  {
    name: 'spread',
    args: '[bps]',
    input: 'quote',
    summary: 'quoted spread ask − bid (bps: in basis points of the mid)',
    build(set, a, key) {
      const bps = a.positional[0] === 'bps';
      if (a.positional.length > 1 || (a.positional.length === 1 && !bps))
        throw new InputError(`indicator spec "${key}": expected spread or spread:bps`);
      onlyArgs(a, key, 1);
      const ind = new Spread();
      set.addQuote((b, bs, k) => ind.update(b, k));
      return bps ? () => num(ind.bps) : () => num(ind.value);
    },
  },
  {
    name: 'mid',
    args: '',
    input: 'quote',
    summary: 'mid price (bid + ask)/2',
    build(set, a, key) {
      onlyArgs(a, key, 0);
      const ind = new Mid();
      set.addQuote((b, bs, k) => ind.update(b, k));
      return () => num(ind.value);
    },
  },
  {
    name: 'microprice',
    args: '',
    input: 'quote',
    summary: 'size-weighted mid (bid·askSize + ask·bidSize)/(bidSize + askSize)',
    build(set, a, key) {
      onlyArgs(a, key, 0);
      const ind = new Microprice();
      set.addQuote((b, bs, k, ks) => ind.update(b, bs, k, ks));
      return () => num(ind.value);
    },
  },
  {
    name: 'imbalance',
    args: '',
    input: 'quote',
    summary: 'top-of-book imbalance (bidSize − askSize)/(bidSize + askSize)',
    build(set, a, key) {
      onlyArgs(a, key, 0);
      const ind = new BookImbalance();
      set.addQuote((b, bs, k, ks) => ind.update(bs, ks));
      return () => num(ind.value);
    },
  },
];

const byName = new Map(INDICATORS.map((d) => [d.name, d]));
byName.set('momentum', byName.get('mom')!);

function parseKey(key: string): { def: IndicatorDef; args: Args } {
  const [name, ...rest] = key.split(':');
  const def = byName.get(name!);
  if (!def)
    throw new InputError(
      `unknown indicator "${name}" in spec "${key}" (known: ${INDICATORS.map((d) => d.name).join(' ')})`,
    );
  const args: Args = { positional: [], named: new Map() };
  for (const r of rest) {
    const eq = r.indexOf('=');
    if (eq > 0) args.named.set(r.slice(0, eq), r.slice(eq + 1));
    else if (r.length > 0) args.positional.push(r);
    else throw new InputError(`indicator spec "${key}": empty argument`);
  }
  return { def, args };
}

/** Column names of one spec key in flat output: the key, or `<key>.<field>` for a compound indicator. */
export function columnsOf(key: string): string[] {
  const { def } = parseKey(key);
  return def.fields ? def.fields.map((f) => `${key}.${f}`) : [key];
}

type TradeUpdate = (price: number, size: number, side: Side, timeMs: number) => void;
type QuoteUpdate = (bid: number, bidSize: number, ask: number, askSize: number) => void;

/**
 * The indicators of a spec, updated together. The common kinds are kept in arrays of one class each, so every
 * update call site sees one class and is inlined (a loop over closures of eight classes is a megamorphic call
 * per indicator); sma:N, stddev:N and bbands:N:k share one rolling window per N (the same arithmetic as each
 * alone: SMA = the window mean, bands = mean ± k·σ). Other kinds go through closures.
 */
export class IndicatorSet {
  private readonly readers: Array<{ key: string; input: IndicatorInput; read: () => Value }> = [];
  readonly emas: EMA[] = [];
  readonly rsis: RSI[] = [];
  readonly macds: MACD[] = [];
  private readonly rolling: RollingStdDev[] = [];
  readonly atrs: ATR[] = [];
  readonly vwaps: SessionVWAP[] = [];
  private readonly others: Array<(s: Step) => void> = [];
  private readonly trades: TradeUpdate[] = [];
  private readonly quotes: QuoteUpdate[] = [];
  /** The last close seen (for %b). */
  readonly lastClose = { value: NaN };

  constructor(spec: string) {
    const keys = spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (keys.length === 0) throw new InputError('indicator spec is empty');
    for (const key of keys) {
      if (this.readers.some((r) => r.key === key)) throw new InputError(`indicator spec: "${key}" is given twice`);
      const { def, args } = parseKey(key);
      this.readers.push({ key, input: def.input, read: def.build(this, args, key) });
    }
  }

  rollingFor(period: number): RollingStdDev {
    let r = this.rolling.find((x) => x.period === period);
    if (!r) {
      r = new RollingStdDev(period);
      this.rolling.push(r);
    }
    return r;
  }
  addOther(update: (s: Step) => void): void {
    this.others.push(update);
  }
  addTrade(update: TradeUpdate): void {
    this.trades.push(update);
  }
  addQuote(update: QuoteUpdate): void {
    this.quotes.push(update);
  }

  get keys(): string[] {
    return this.readers.map((r) => r.key);
  }
  /** True when some indicator of the spec reads quotes (the indicators command then prints quote rows). */
  get readsQuotes(): boolean {
    return this.quotes.length > 0;
  }

  /** A price step (a trade, or a closed bar). */
  update(step: Step): void {
    const c = step.close;
    this.lastClose.value = c;
    for (let i = 0; i < this.emas.length; i++) this.emas[i]!.update(c);
    for (let i = 0; i < this.rsis.length; i++) this.rsis[i]!.update(c);
    for (let i = 0; i < this.macds.length; i++) this.macds[i]!.update(c);
    for (let i = 0; i < this.rolling.length; i++) this.rolling[i]!.update(c);
    for (let i = 0; i < this.atrs.length; i++) this.atrs[i]!.update(step.high, step.low, c);
    for (let i = 0; i < this.vwaps.length; i++) this.vwaps[i]!.update(step.vwap, step.volume, step.timeMs);
    for (let i = 0; i < this.others.length; i++) this.others[i]!(step);
  }

  /** Each trade, with its aggressor side (trade-flow indicators; in bar mode too). */
  updateTrade(price: number, size: number, side: Side, timeMs: number): void {
    for (let i = 0; i < this.trades.length; i++) this.trades[i]!(price, size, side, timeMs);
  }

  /** Each best bid/ask quote. */
  updateQuote(bid: number, bidSize: number, ask: number, askSize: number): void {
    for (let i = 0; i < this.quotes.length; i++) this.quotes[i]!(bid, bidSize, ask, askSize);
  }

  /** Values by spec key; null until ready. VWAP on bars weights each bar's exact VWAP by its volume (= Σp·q/Σq over trades). */
  values(): Record<string, Value> {
    const o: Record<string, Value> = {};
    for (const r of this.readers) o[r.key] = r.read();
    return o;
  }
}
