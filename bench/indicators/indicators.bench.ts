// Streaming indicators on the real Binance trades, side by side with trading-signals and technicalindicators
// (their streaming APIs), ns per update; batch warm-up of 1e6 values native vs TypeScript vs tulind (an
// optional dependency built from source at install). Budgets: whole default set <= 100 ns/tick, each streaming indicator >= 5x
// faster than trading-signals, native batch at least as fast as tulind.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as TS from 'trading-signals';
import { EMA } from '../../src/indicators/ema.js';
import { RSI } from '../../src/indicators/rsi.js';
import { MACD } from '../../src/indicators/macd.js';
import { BollingerBands } from '../../src/indicators/bollinger.js';
import { ATR } from '../../src/indicators/atr.js';
import { SessionVWAP, RollingVWAP } from '../../src/indicators/vwap.js';
import { SMA } from '../../src/indicators/sma.js';
import { WMA } from '../../src/indicators/wma.js';
import { VWMA } from '../../src/indicators/vwma.js';
import { RollingStdDev } from '../../src/indicators/stddev.js';
import { ZScore } from '../../src/indicators/zscore.js';
import { IndicatorSet, type Step } from '../../src/indicators/spec.js';
import { loadKernels, fallbackKernels } from '../../src/native/index.js';
import { perItem, shared, type BenchResult, type SuiteOptions } from '../lib.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const TI = require('technicalindicators') as any;

export async function run(o: SuiteOptions): Promise<BenchResult[]> {
  const rows = readFileSync(shared('ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const px = rows.map((r) => Number(r[1])),
    qty = rows.map((r) => Number(r[2])),
    tm = rows.map((r) => Number(r[3]));
  const n = px.length;
  const loop = (make: () => (i: number) => unknown) => () => {
    const f = make();
    for (let i = 0; i < n; i++) f(i);
  };
  const cases: Array<{ name: string; items: number; fn: () => void; note?: string }> = [
    {
      name: 'EMA12 christmas',
      items: n,
      fn: loop(() => {
        const e = new EMA(12);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'EMA12 trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.EMA(12);
        return (i) => e.update(px[i]!, false);
      }),
    },
    {
      name: 'EMA12 technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.EMA({ period: 12, values: [] });
        return (i) => e.nextValue(px[i]);
      }),
    },
    {
      name: 'RSI14 christmas',
      items: n,
      fn: loop(() => {
        const e = new RSI(14);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'RSI14 trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.RSI(14);
        return (i) => e.update(px[i]!, false);
      }),
    },
    {
      name: 'RSI14 technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.RSI({ period: 14, values: [] });
        return (i) => e.nextValue(px[i]);
      }),
    },
    {
      name: 'MACD christmas',
      items: n,
      fn: loop(() => {
        const e = new MACD(12, 26, 9);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'MACD trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.MACD(new TS.EMA(12), new TS.EMA(26), new TS.EMA(9));
        return (i) => e.update(px[i]!, false);
      }),
    },
    {
      name: 'MACD technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.MACD({
          fastPeriod: 12,
          slowPeriod: 26,
          signalPeriod: 9,
          SimpleMAOscillator: false,
          SimpleMASignal: false,
          values: [],
        });
        return (i) => e.nextValue(px[i]);
      }),
    },
    {
      name: 'BB20 christmas',
      items: n,
      fn: loop(() => {
        const e = new BollingerBands(20, 2);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'BB20 trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.BollingerBands(20, 2);
        return (i) => e.update(px[i]!, false);
      }),
    },
    {
      name: 'BB20 technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.BollingerBands({ period: 20, stdDev: 2, values: [] });
        return (i) => e.nextValue(px[i]);
      }),
    },
    {
      name: 'SMA20 christmas (exact)',
      items: n,
      fn: loop(() => {
        const e = new SMA(20);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'SMA20 trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.SMA(20);
        return (i) => e.update(px[i]!, false);
      }),
    },
    {
      name: 'SMA20 technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.SMA({ period: 20, values: [] });
        return (i) => e.nextValue(px[i]);
      }),
    },
    {
      name: 'StdDev20 christmas (exact)',
      items: n,
      fn: loop(() => {
        const e = new RollingStdDev(20);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'StdDev20 technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.SD({ period: 20, values: [] });
        return (i) => e.nextValue(px[i]);
      }),
    },
    {
      name: 'ZScore20 christmas (exact)',
      items: n,
      fn: loop(() => {
        const e = new ZScore(20);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'WMA9 christmas (exact)',
      items: n,
      fn: loop(() => {
        const e = new WMA(9);
        return (i) => e.update(px[i]!);
      }),
    },
    {
      name: 'WMA9 trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.WMA(9);
        return (i) => e.update(px[i]!, false);
      }),
    },
    {
      name: 'WMA9 technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.WMA({ period: 9, values: [] });
        return (i) => e.nextValue(px[i]);
      }),
    },
    {
      name: 'VWMA20 christmas (exact)',
      items: n,
      fn: loop(() => {
        const e = new VWMA(20);
        return (i) => e.update(px[i]!, qty[i]!);
      }),
    },
    {
      name: 'VWMA20 trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.VWMA(20);
        return (i) => e.update({ high: px[i]!, low: px[i]!, close: px[i]!, volume: qty[i]! }, false);
      }),
    },
    {
      name: 'VWAP 10 s window christmas (exact)',
      items: n,
      fn: loop(() => {
        const e = new RollingVWAP(10_000);
        return (i) => e.update(px[i]!, qty[i]!, tm[i]!);
      }),
    },
    {
      name: 'ATR14 christmas',
      items: n,
      fn: loop(() => {
        const e = new ATR(14);
        return (i) => e.update(px[i]! + 1, px[i]! - 1, px[i]!);
      }),
    },
    {
      name: 'ATR14 trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.ATR(14);
        return (i) => e.update({ high: px[i]! + 1, low: px[i]! - 1, close: px[i]! }, false);
      }),
    },
    {
      name: 'ATR14 technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.ATR({ period: 14, high: [], low: [], close: [] });
        return (i) => e.nextValue({ high: px[i]! + 1, low: px[i]! - 1, close: px[i] });
      }),
    },
    {
      name: 'VWAP christmas (exact, per trade)',
      items: n,
      fn: loop(() => {
        const e = new SessionVWAP();
        return (i) => e.update(px[i]!, qty[i]!);
      }),
    },
    {
      name: 'VWAP trading-signals',
      items: n,
      fn: loop(() => {
        const e = new TS.VWAP();
        return (i) => e.update({ high: px[i]!, low: px[i]!, close: px[i]!, volume: qty[i]! } as never, false);
      }),
    },
    {
      name: 'VWAP technicalindicators',
      items: n,
      fn: loop(() => {
        const e = new TI.VWAP({ high: [], low: [], close: [], volume: [] });
        return (i) => e.nextValue({ high: px[i], low: px[i], close: px[i], volume: qty[i] });
      }),
    },
    {
      name: 'default set per tick (ema:9,sma:20,rsi:14,macd,bbands,atr,stddev,vwap)',
      items: n,
      note: 'budget <= 100 ns/tick',
      fn: loop(() => {
        const set = new IndicatorSet('ema:9,sma:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stddev:20,vwap');
        const s: Step = { open: 0, high: 0, low: 0, close: 0, volume: 0, timeMs: 0, vwap: 0 };
        return (i) => {
          s.open = s.high = s.low = s.close = s.vwap = px[i]!;
          s.volume = qty[i]!;
          s.timeMs = tm[i]!;
          set.update(s);
        };
      }),
    },
    {
      name: 'EMA12+EMA26+RSI14+VWAP per tick (DESIGN set)',
      items: n,
      fn: loop(() => {
        const a = new EMA(12),
          b = new EMA(26),
          r = new RSI(14),
          v = new SessionVWAP();
        return (i) => {
          a.update(px[i]!);
          b.update(px[i]!);
          r.update(px[i]!);
          v.update(px[i]!, qty[i]!);
        };
      }),
    },
  ];
  // Batch warm-up over 1e6 values (real prices repeated with drift).
  const N = o.quick ? 200_000 : 1_000_000;
  const big = new Float64Array(N);
  for (let i = 0; i < N; i++) big[i] = px[i % n]! + Math.floor(i / n) * 0.5;
  const outB = new Float64Array(N);
  const native = loadKernels({ disabled: false });
  if (native.kind === 'native')
    cases.push({
      name: `batch EMA over ${N} values: native`,
      items: N,
      fn: () => native.kernels.emaBatch(big, 12, outB),
    });
  cases.push({
    name: `batch EMA over ${N} values: TypeScript`,
    items: N,
    fn: () => fallbackKernels.emaBatch(big, 12, outB),
  });
  const m = new Float64Array(N),
    sd = new Float64Array(N);
  if (native.kind === 'native')
    cases.push({
      name: `batch rolling σ(20) over ${N} values: native`,
      items: N,
      fn: () => native.kernels.rollingMeanStd(big, 20, m, sd),
    });
  cases.push({
    name: `batch rolling σ(20) over ${N} values: TypeScript`,
    items: N,
    fn: () => fallbackKernels.rollingMeanStd(big, 20, m, sd),
  });
  // tulind (optional dependency, built from source at install): its C batch kernels are the native reference.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let tulind: any;
  try {
    tulind = require('tulind');
  } catch (err) {
    process.stdout.write(`  tulind not loadable (${(err as Error).message.split('\n')[0]}): its rows are missing\n`);
  }
  if (tulind) {
    const arr = Array.from(big);
    cases.push({
      name: `batch EMA over ${N} values: tulind`,
      items: N,
      note: 'tulind takes a JS array',
      fn: () => {
        tulind.indicators.ema.indicator([arr], [12], () => undefined);
      },
    });
    cases.push({
      name: `batch stddev(20) over ${N} values: tulind`,
      items: N,
      fn: () => {
        tulind.indicators.stddev.indicator([arr], [20], () => undefined);
      },
    });
  }
  return perItem('indicators', cases, o);
}
