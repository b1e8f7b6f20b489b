// The backtest report: per strategy and symbol, signals, markouts per horizon (mean, median, hit rate, n, and
// how many passed the end of the data) and the simulated PnL, as JSON or a table. Numbers are rounded to
// 1e-6 bps so two runs of the same input print byte-identical reports.
import type { StrategySymbolStats } from './markouts.js';

interface Summary {
  mean: number | null;
  median: number | null;
  hitRate: number | null;
  n: number;
  beyondEnd: number;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function summarize(xs: number[], beyondEnd: number): Summary {
  if (xs.length === 0) return { mean: null, median: null, hitRate: null, n: 0, beyondEnd };
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  let sum = 0,
    hits = 0;
  for (const x of xs) {
    sum += x;
    if (x > 0) hits++;
  }
  return {
    mean: round(sum / xs.length),
    median: round(median),
    hitRate: round(hits / xs.length),
    n: xs.length,
    beyondEnd,
  };
}

export interface BacktestReport {
  strategies: Array<{
    name: string;
    symbol: string;
    signals: number;
    markoutsBps: Record<string, Summary>;
    pnlBps: Summary & { total: number };
  }>;
}

export function buildReport(stats: Iterable<StrategySymbolStats>): BacktestReport {
  const rows = [...stats].sort((a, b) =>
    a.name === b.name ? a.symbol.localeCompare(b.symbol) : a.name.localeCompare(b.name),
  );
  return {
    strategies: rows.map((s) => {
      const pnl = summarize(s.pnlBps, s.pnlBeyondEnd);
      return {
        name: s.name,
        symbol: s.symbol,
        signals: s.signals,
        markoutsBps: Object.fromEntries(
          Object.entries(s.markoutsBps).map(([h, xs]) => [h, summarize(xs, s.beyondEnd[h] ?? 0)]),
        ),
        pnlBps: { ...pnl, total: round(s.pnlBps.reduce((a, x) => a + x, 0)) },
      };
    }),
  };
}

const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));

export function reportTable(r: BacktestReport): string {
  const horizons = r.strategies[0] ? Object.keys(r.strategies[0].markoutsBps) : [];
  const head = [
    'strategy',
    'symbol',
    'signals',
    ...horizons.map((h) => `markout ${h} (mean/median bps, hit, n)`),
    'pnl (total/mean bps, n)',
  ];
  const lines = [head.join(' | ')];
  for (const s of r.strategies)
    lines.push(
      [
        s.name,
        s.symbol,
        String(s.signals),
        ...horizons.map((h) => {
          const m = s.markoutsBps[h]!;
          return `${f(m.mean)}/${f(m.median)}, ${m.hitRate === null ? '—' : (m.hitRate * 100).toFixed(0) + '%'}, ${m.n}`;
        }),
        `${f(s.pnlBps.total)}/${f(s.pnlBps.mean)}, ${s.pnlBps.n}`,
      ].join(' | '),
    );
  return lines.join('\n') + '\n';
}
