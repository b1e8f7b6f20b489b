// Soak: the daemon at 20k ticks/s with Redis and PostgreSQL, sampling RSS, heap, handles and latency
// percentiles from /metrics. Short here (25 s, a sample a second); CHRISTMAS_CHAOS_LONG=1 runs one hour with a
// sample a minute (CHRISTMAS_SOAK_SECONDS=N: N seconds, 60 samples). Reports the RSS and heap slopes over the second half (after warm-up) and the p99 drift
// (per-minute windows); the long run fails on an RSS trend or a p99 drift.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shared } from '../helpers.js';
import { startScenario, finishScenario, cleanup, metrics, report, sleep, LONG } from './lib.js';

function slope(xs: number[], ys: number[]): number {
  const n = xs.length,
    mx = xs.reduce((a, b) => a + b, 0) / n,
    my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0,
    den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den ? num / den : 0;
}

test('soak at 20k ticks/s: memory, handles and latency stay flat', async () => {
  const t0 = Date.now();
  const sc = await startScenario(
    shared('messages/binance-spot-session-20240809.log.gz'),
    ['--rate', '20000', '--loop'],
    { redis: { maxTicksPerSymbol: 50_000, maxBacklogTicks: 5_000_000 } },
  );
  const { stack } = sc;
  const samples: Array<{
    t: number;
    rss: number;
    heap: number;
    external: number;
    handles: number;
    p99: number;
    ticks: number;
    redisBacklog: number;
    dbLagRows: number;
  }> = [];
  try {
    // CHRISTMAS_SOAK_SECONDS overrides the length (sampling 60 times over it) for investigations in between.
    const custom = Number(process.env.CHRISTMAS_SOAK_SECONDS ?? 0);
    const total = custom > 0 ? custom : LONG ? 3600 : 25,
      every = custom > 0 ? Math.max(1, Math.round(custom / 60)) : LONG ? 60 : 1;
    for (let s = 0; s <= total; s += every) {
      await sleep(every * 1000);
      const m = await metrics(stack.metricsPort);
      const sum = (prefix: string) =>
        Object.entries(m)
          .filter(([k]) => k.startsWith(prefix))
          .reduce((a, [, v]) => a + v, 0);
      samples.push({
        t: (Date.now() - t0) / 60_000,
        rss: m['process_resident_memory_bytes'] ?? 0,
        heap: m['nodejs_heap_size_used_bytes'] ?? 0,
        external: m['nodejs_external_memory_bytes'] ?? 0,
        handles: m['nodejs_active_handles'] ?? 0,
        // The last closed one-minute window's p99 (drift shows there); since start until the first window closes.
        p99:
          (m['christmas_stage_latency_window_seconds{stage="recv_to_signal",percentile="99"}'] ??
            m['christmas_stage_latency_since_start_seconds{stage="recv_to_signal",percentile="99"}'] ??
            NaN) * 1e6,
        ticks: sum('christmas_ticks_total'),
        redisBacklog: m['christmas_store_backlog_ticks'] ?? 0,
        dbLagRows: m['christmas_persist_lag_rows'] ?? 0,
      });
    }
    const { fc, db } = await finishScenario(sc);
    const half = samples.slice(Math.floor(samples.length / 2));
    const rssSlopeMBmin = slope(
      half.map((x) => x.t),
      half.map((x) => x.rss / 2 ** 20),
    );
    const heapSlopeMBmin = slope(
      half.map((x) => x.t),
      half.map((x) => x.heap / 2 ** 20),
    );
    const handles = [...new Set(half.map((x) => x.handles))];
    // The heap saw-tooths with GC; its floor (the minimum per quarter) is what would reveal a leak.
    const q = (a: number, b: number) =>
      samples.slice(Math.floor(samples.length * a), Math.floor(samples.length * b)).map((x) => x.heap / 2 ** 20);
    const floorGrowthMB = Math.min(...q(0.75, 1)) - Math.min(...q(0.25, 0.5));
    const floorLimitMB = LONG ? 20 : 60;
    const rate = (samples.at(-1)!.ticks - samples[0]!.ticks) / ((samples.at(-1)!.t - samples[0]!.t) * 60);
    // Long run: no growth trend (second-half RSS slope under 0.5 MB/min, i.e. < 30 MB an hour) and no latency drift
    // (the median per-minute p99 of the last quarter within 1.5x (+20 µs) of the second quarter's).
    const med = (a: number[]) => {
      const s = a.filter(Number.isFinite).sort((x, y) => x - y);
      return s.length ? s[s.length >> 1]! : NaN;
    };
    const p99Q2 = med(samples.slice(Math.floor(samples.length / 4), Math.floor(samples.length / 2)).map((x) => x.p99));
    const p99Q4 = med(samples.slice(Math.floor((samples.length * 3) / 4)).map((x) => x.p99));
    const rssFlat = !LONG || rssSlopeMBmin < 0.5,
      p99Flat = !LONG || !(p99Q4 > p99Q2 * 1.5 + 20);
    const ok =
      floorGrowthMB < floorLimitMB &&
      Math.max(...handles) - Math.min(...handles) <= 5 &&
      db.trades + db.quotes === fc.ticks &&
      rssFlat &&
      p99Flat;
    report({
      scenario: LONG ? 'soak-1h' : 'soak-short',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: ok,
      ticksAccepted: fc.ticks,
      persisted: db.trades + db.quotes,
      duplicated: db.dupTrades + db.dupQuotes,
      lost: fc.ticks - db.trades - db.quotes,
      signalsEmitted: fc.signals,
      samples: samples.map((x) => ({
        min: +x.t.toFixed(2),
        rssMB: +(x.rss / 2 ** 20).toFixed(1),
        heapMB: +(x.heap / 2 ** 20).toFixed(1),
        externalMB: +(x.external / 2 ** 20).toFixed(1),
        handles: x.handles,
        p99us: Math.round(x.p99),
        redisBacklog: x.redisBacklog,
        dbLagRows: x.dbLagRows,
      })),
      notes: `${Math.round(rate)} ticks/s; RSS ${(samples[0]!.rss / 2 ** 20).toFixed(0)} -> ${(samples.at(-1)!.rss / 2 ** 20).toFixed(0)} MB; second-half slopes: RSS ${rssSlopeMBmin.toFixed(2)} MB/min, heap ${heapSlopeMBmin.toFixed(2)} MB/min (GC saw-tooth), heap floor ${floorGrowthMB >= 0 ? '+' : ''}${floorGrowthMB.toFixed(1)} MB; handles ${handles.join('/')}; recv->signal p99 (per-minute window, median of the 2nd / 4th quarter) ${p99Q2.toFixed(0)} -> ${p99Q4.toFixed(0)} µs`,
    });
    assert.is(db.trades + db.quotes, fc.ticks, 'nothing lost');
    assert.ok(Math.max(...handles) - Math.min(...handles) <= 5, `handles flat: ${handles.join(', ')}`);
    assert.ok(
      floorGrowthMB < floorLimitMB,
      `heap floor grew ${floorGrowthMB.toFixed(1)} MB (slope ${heapSlopeMBmin.toFixed(2)} MB/min)`,
    );
    assert.ok(rssFlat, `RSS grows ${rssSlopeMBmin.toFixed(2)} MB/min over the second half`);
    assert.ok(p99Flat, `recv->signal p99 drifted from ${p99Q2.toFixed(0)} to ${p99Q4.toFixed(0)} µs`);
  } finally {
    await cleanup(sc);
  }
});

test.run();
