// The backtest's picture (`--out DIR` → report.svg, viewable offline): per strategy and symbol, the mean
// markout curve over the horizons (left) and the cumulative simulated PnL over its trades (right).
import type { BacktestReport } from './report.js';
import type { StrategySymbolStats } from './markouts.js';

const W = 960,
  H = 360,
  PAD = 48;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

function scale(lo: number, hi: number, a: number, b: number): (x: number) => number {
  const span = hi - lo || 1;
  return (x) => a + ((x - lo) / span) * (b - a);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function reportSvg(report: BacktestReport, stats: StrategySymbolStats[]): string {
  const half = W / 2;
  const horizons = report.strategies[0] ? Object.keys(report.strategies[0].markoutsBps) : [];
  const means = report.strategies.map((s) => horizons.map((h) => s.markoutsBps[h]!.mean ?? 0));
  const flat = means.flat();
  const yM = scale(Math.min(0, ...flat), Math.max(0, ...flat), H - PAD, PAD);
  const xM = scale(0, Math.max(1, horizons.length - 1), PAD, half - PAD / 2);
  const cum = stats.map((s) => {
    let c = 0;
    return s.pnlBps.map((x) => (c += x));
  });
  const cflat = cum.flat();
  const yP = scale(Math.min(0, ...cflat), Math.max(0, ...cflat), H - PAD, PAD);
  const xP = scale(0, Math.max(1, ...cum.map((c) => c.length - 1)), half + PAD, W - PAD / 2);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H + 20 * report.strategies.length}" font-family="sans-serif" font-size="11">`,
    `<text x="${PAD}" y="20">mean markout (bps) by horizon</text>`,
    `<text x="${half + PAD}" y="20">cumulative simulated PnL (bps) over trades</text>`,
    `<line x1="${PAD}" y1="${yM(0)}" x2="${half - PAD / 2}" y2="${yM(0)}" stroke="#999"/>`,
    `<line x1="${half + PAD}" y1="${yP(0)}" x2="${W - PAD / 2}" y2="${yP(0)}" stroke="#999"/>`,
    ...horizons.map((h, i) => `<text x="${xM(i)}" y="${H - PAD + 16}" text-anchor="middle">${esc(h)}</text>`),
  ];
  report.strategies.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${means[i]!.map((m, j) => `${xM(j).toFixed(1)},${yM(m).toFixed(1)}`).join(' ')}"/>`,
    );
    const c = cum[stats.findIndex((x) => x.name === s.name && x.symbol === s.symbol)] ?? [];
    if (c.length)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${c.map((v, j) => `${xP(j).toFixed(1)},${yP(v).toFixed(1)}`).join(' ')}"/>`,
      );
    parts.push(
      `<text x="${PAD}" y="${H + 14 + 20 * i}" fill="${color}">${esc(s.name)} ${esc(s.symbol)}: ${s.signals} signals, PnL ${s.pnlBps.total.toFixed(2)} bps over ${s.pnlBps.n} trades</text>`,
    );
  });
  parts.push('</svg>\n');
  return parts.join('\n');
}
