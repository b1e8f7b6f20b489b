// Runs the benchmark suites, writes bench/results/<date>-<commit>.json, refreshes the summary table in
// bench/README.md, optionally compares with bench/baseline.json (fails past 2x slower) and plots the
// end-to-end latency CDFs as SVG.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatValue, repoRoot, type BenchResult, type SuiteOptions } from './lib.js';
import * as feed from './feed/feed.bench.js';
import * as replay from './feed/replay.bench.js';
import * as codec from './signal/codec.bench.js';
import * as indicators from './indicators/indicators.bench.js';
import * as store from './store/store.bench.js';
import * as persist from './persist/persist.bench.js';
import * as e2e from './e2e/e2e.bench.js';
import * as book from './book/book.bench.js';

const args = process.argv.slice(2);
const opts: SuiteOptions = { quick: args.includes('--quick') };
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const suites: Array<[string, (o: SuiteOptions) => Promise<BenchResult[]>]> = [
  ['feed', feed.run],
  ['replay', replay.run],
  ['codec', codec.run],
  ['indicators', indicators.run],
  ['store', store.run],
  ['persist', persist.run],
  ['book', book.run],
  ['e2e', e2e.run],
];

function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function plot(outs: typeof e2e.lastOutcomes, file: string): void {
  const W = 760,
    H = 420,
    L = 60,
    B = 40;
  const maxUs = Math.max(...outs.map((o) => o.cdf[198] ?? 0), 1);
  const x = (us: number) => L + (Math.log10(Math.max(us, 1)) / Math.log10(maxUs * 1.2)) * (W - L - 20);
  const y = (q: number) => H - B - q * (H - B - 20);
  const colors: Record<string, string> = {
    relay: '#888',
    hop: '#bbb',
    'hop-rt': '#2ca02c',
    inline: '#1f77b4',
    pool: '#d62728',
    'pool-spin': '#8e44ad',
    'pool-rt': '#ff7f0e',
  };
  const dashes = ['', '6 3', '2 2'];
  const rates = [...new Set(outs.map((o) => o.rate))];
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="white"/>`;
  svg += `<text x="${W / 2}" y="14" text-anchor="middle" font-size="13">End-to-end latency CDF (replay server -> engine -> socket client), log scale</text>`;
  for (const us of [10, 100, 1000, 10000, 100000])
    if (us <= maxUs * 1.2)
      svg += `<line x1="${x(us)}" y1="20" x2="${x(us)}" y2="${H - B}" stroke="#eee"/><text x="${x(us)}" y="${H - B + 14}" text-anchor="middle">${us >= 1000 ? us / 1000 + ' ms' : us + ' µs'}</text>`;
  for (const q of [0, 0.5, 0.9, 0.99, 1])
    svg += `<line x1="${L}" y1="${y(q)}" x2="${W - 20}" y2="${y(q)}" stroke="#eee"/><text x="${L - 4}" y="${y(q) + 4}" text-anchor="end">${q}</text>`;
  outs.forEach((o) => {
    const pts = o.cdf.map((us, i) => `${x(us).toFixed(1)},${y(Math.min(1, i / 200)).toFixed(1)}`).join(' ');
    svg += `<polyline fill="none" stroke="${colors[o.mode] ?? '#000'}" stroke-dasharray="${dashes[rates.indexOf(o.rate)] ?? ''}" stroke-width="1.5" points="${pts}"/>`;
  });
  outs.forEach((o, i) => {
    svg += `<line x1="${L + 10}" y1="${30 + i * 14}" x2="${L + 40}" y2="${30 + i * 14}" stroke="${colors[o.mode]}" stroke-dasharray="${dashes[rates.indexOf(o.rate)] ?? ''}" stroke-width="1.5"/><text x="${L + 46}" y="${34 + i * 14}">${o.mode} @ ${o.rate / 1000}k/s: p50 ${o.p50us.toFixed(0)} µs, p99 ${o.p99us.toFixed(0)} µs</text>`;
  });
  svg += '</svg>\n';
  writeFileSync(file, svg);
}

const started = Date.now();
const results: BenchResult[] = [];
for (const [name, fn] of suites) {
  if (only && !name.includes(only)) continue;
  process.stdout.write(`\n== ${name}${opts.quick ? ' (quick)' : ''}\n`);
  const t0 = Date.now();
  try {
    const r = await fn(opts);
    results.push(...r);
    for (const x of r)
      process.stdout.write(
        `  ${x.name.padEnd(72)} ${formatValue(x.p50, x.unit).padStart(9)}${x.p99 !== undefined ? ` p99 ${formatValue(x.p99, x.unit).padStart(8)}` : ''} ${x.unit}${x.note ? `  (${x.note})` : ''}\n`,
      );
  } catch (err) {
    process.stdout.write(`  suite ${name} failed: ${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
  process.stdout.write(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}
const sha = commit();
const date = new Date().toISOString().slice(0, 10);
const outDir = path.join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const cpu = os.cpus()[0]?.model ?? 'unknown';
const report = {
  date: new Date().toISOString(),
  commit: sha,
  quick: opts.quick,
  node: process.version,
  machine: { cpus: os.cpus().length, model: cpu, memGiB: Math.round(os.totalmem() / 2 ** 30) },
  results,
};
const file = path.join(outDir, `${date}-${sha}${opts.quick ? '-quick' : ''}.json`);
writeFileSync(file, JSON.stringify(report, null, 1) + '\n');
process.stdout.write(`\nwrote ${path.relative(repoRoot, file)} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);

if (args.includes('--plot') && e2e.lastOutcomes.length) {
  const svg = path.join(outDir, `${date}-${sha}-e2e-cdf.svg`);
  plot(e2e.lastOutcomes, svg);
  process.stdout.write(`wrote ${path.relative(repoRoot, svg)}\n`);
}

if (!opts.quick && !only) {
  const readme = path.join(repoRoot, 'bench', 'README.md');
  const table = [
    '| suite | benchmark | p50 | p99 | unit | note |',
    '|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.suite} | ${r.name} | ${formatValue(r.p50, r.unit)} | ${formatValue(r.p99, r.unit)} | ${r.unit} | ${r.note ?? ''} |`,
    ),
  ].join('\n');
  const block = `<!-- results:start -->\nLatest full run: ${report.date} on commit \`${sha}\`, Node ${process.version}, ${report.machine.cpus} × ${cpu}.\n\n${table}\n<!-- results:end -->`;
  const text = existsSync(readme)
    ? readFileSync(readme, 'utf8')
    : '# Benchmarks\n\n<!-- results:start -->\n<!-- results:end -->\n';
  writeFileSync(readme, text.replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, block));
  process.stdout.write('refreshed bench/README.md\n');
}

if (args.includes('--compare')) {
  const basePath = path.join(repoRoot, 'bench', 'baseline.json');
  if (!existsSync(basePath)) {
    process.stdout.write('no bench/baseline.json: nothing to compare\n');
  } else {
    const base = JSON.parse(readFileSync(basePath, 'utf8')) as { results: BenchResult[] };
    const THRESHOLD = 2; // see bench/README.md: shared, noisy 2-core machines
    const slowerBy = (r: BenchResult): number | undefined => {
      // Ratios are judged against budgets, not baselines; end-to-end latencies are dominated by thread and
      // process wake-ups on these shared VMs (bench/README.md), so only their ratios to the relay count.
      if (r.unit === 'ratio' || r.suite === 'e2e' || !Number.isFinite(r.p50)) return undefined;
      const b = base.results.find((x) => x.suite === r.suite && x.name === r.name && x.unit === r.unit);
      if (!b || !Number.isFinite(b.p50)) return undefined;
      return r.better === 'lower' ? r.p50 / b.p50 : b.p50 / r.p50;
    };
    // The machine's own speed today, from the same run: the median of every compared result's ratio to its
    // baseline (peer libraries' rows included). A VM slower across the board shifts them all; a regression stands
    // out from the rest. Only a slower machine widens the bound, a faster one never tightens it.
    const machineFactor = (): number => {
      const ratios = results
        .map(slowerBy)
        .filter((x): x is number => x !== undefined)
        .sort((a, b) => a - b);
      return ratios.length >= 10 ? Math.max(1, ratios[ratios.length >> 1]!) : 1;
    };
    let factor = machineFactor();
    // A peer library's row (the indicators suite runs trading-signals, technicalindicators and tulind beside
    // ours) tells how fast the machine is today, not whether this code regressed: it counts in the factor above
    // and is never flagged.
    const peer = (r: BenchResult) => /trading-signals|technicalindicators|tulind/.test(r.name);
    const past = (r: BenchResult) => !peer(r) && (slowerBy(r) ?? 0) > THRESHOLD * factor;
    let flagged = results.filter(past);
    // One noisy sample is not a regression: re-run the suites involved (up to 3 times, while anything is still
    // past the bound) and keep each result's best value. Rows on these VMs flip between two speeds about 2x apart
    // from one pass to the next with no code change (binance usdm trade byte path: 730-1,640 ns over six CI runs
    // of 2026-12-07); a real regression is slow on every pass.
    for (let pass = 0; pass < 3 && flagged.length; pass++) {
      const again = [...new Set(flagged.map((r) => r.suite))];
      process.stdout.write(
        `re-measuring ${again.join(', ')} (${flagged.length} result(s) past ${(THRESHOLD * factor).toFixed(2)}x on pass ${pass + 1})\n`,
      );
      for (const [name, fn] of suites) {
        if (!again.includes(name)) continue;
        for (const r2 of await fn(opts)) {
          const r = results.find((x) => x.suite === r2.suite && x.name === r2.name);
          if (r && ((r.better === 'lower' && r2.p50 < r.p50) || (r.better === 'higher' && r2.p50 > r.p50)))
            r.p50 = r2.p50;
        }
      }
      factor = machineFactor();
      flagged = results.filter(past);
    }
    if (factor > 1)
      process.stdout.write(
        `this machine runs ${factor.toFixed(2)}x slower than the baseline's (median over the compared results): bound ${(THRESHOLD * factor).toFixed(2)}x\n`,
      );
    for (const r of flagged) {
      const b = base.results.find((x) => x.suite === r.suite && x.name === r.name)!;
      process.stdout.write(
        `REGRESSION ${r.suite}/${r.name}: ${formatValue(r.p50, r.unit)} vs baseline ${formatValue(b.p50, b.unit)} ${r.unit} (${slowerBy(r)!.toFixed(2)}x slower)\n`,
      );
    }
    process.stdout.write(
      `compared with bench/baseline.json: ${flagged.length} result(s) past ${(THRESHOLD * factor).toFixed(2)}x slower\n`,
    );
    if (flagged.length > 0) process.exitCode = 1;
  }
}
