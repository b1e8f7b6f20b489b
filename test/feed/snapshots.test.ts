// The REST depth snapshot client against a real HTTP server on loopback: requests spend a token bucket of
// weight per minute (a small first burst, then the configured rate), a symbol is never asked twice at once,
// 5xx answers are retried with backoff, and a 429 pauses the whole venue for its Retry-After.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SnapshotClient } from '../../src/feed/snapshots.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { until } from '../helpers.js';

async function server(answer: (symbol: string, n: number) => { status: number; headers?: Record<string, string> }) {
  const hits: Array<{ symbol: string; atMs: number }> = [];
  const counts = new Map<string, number>();
  const srv = createServer((req, res) => {
    const symbol = new URL(req.url!, 'http://x').searchParams.get('symbol')!;
    const n = (counts.get(symbol) ?? 0) + 1;
    counts.set(symbol, n);
    hits.push({ symbol, atMs: Date.now() });
    const a = answer(symbol, n);
    res.writeHead(a.status, a.headers ?? {});
    res.end(a.status === 200 ? `{"lastUpdateId":${n},"bids":[],"asks":[]}` : '{"code":-1}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { base, hits, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

test('weight budget: a first burst of 4, then the per-minute rate; no symbol asked twice at once', async () => {
  const s = await server(() => ({ status: 200 }));
  const got: string[] = [];
  const createdMs = Date.now(); // the bucket fills from here
  const c = new SnapshotClient({
    venue: 'binance',
    endpoint: { url: (sym) => `${s.base}/api/v3/depth?symbol=${sym}`, weight: 10 },
    weightPerMinute: 1200, // 20 weight/s: two requests of 10 a second
    log: silentLogger,
    onSnapshot: (sym) => got.push(sym),
  });
  const symbols = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
  for (const sym of symbols) c.request(sym);
  for (const sym of symbols) c.request(sym); // already queued: ignored
  await until(() => got.length === 8, 10_000, 'eight snapshots');
  assert.is(s.hits.length, 8);
  // request k (k >= 4) waits for 10 more weight at 20 per second: (k - 3) x 500 ms after the client started
  for (let k = 4; k < 8; k++)
    assert.ok(s.hits[k]!.atMs - createdMs >= (k - 3) * 500 - 5, `request ${k} at ${s.hits[k]!.atMs - createdMs} ms`);
  assert.equal(c.stats.weightUsed, 80);
  c.stop();
  await s.close();
});

test('a 500 is retried with backoff; a 429 pauses the venue for Retry-After', async () => {
  const s = await server((sym, n) =>
    sym === 'X' && n < 3
      ? { status: 500 }
      : sym === 'Y' && n === 1
        ? { status: 429, headers: { 'retry-after': '1' } }
        : { status: 200 },
  );
  const got: string[] = [];
  const c = new SnapshotClient({
    venue: 'binance',
    endpoint: { url: (sym) => `${s.base}/api/v3/depth?symbol=${sym}`, weight: 1 },
    weightPerMinute: 60_000,
    log: silentLogger,
    onSnapshot: (sym) => got.push(sym),
    retryInitialMs: 20,
    retryMaxMs: 100,
  });
  c.request('X');
  await until(() => got.includes('X'), 5000, 'X after two 500s');
  assert.is(s.hits.filter((h) => h.symbol === 'X').length, 3);
  c.request('Y');
  await until(() => s.hits.some((h) => h.symbol === 'Y'), 2000, 'Y asked');
  const limitedAt = s.hits.find((h) => h.symbol === 'Y')!.atMs;
  c.request('Z'); // queued behind the pause
  await until(() => got.includes('Y') && got.includes('Z'), 5000, 'Y and Z after the pause');
  const z = s.hits.find((h) => h.symbol === 'Z')!.atMs;
  assert.ok(z - limitedAt >= 950, `Z waited ${z - limitedAt} ms for the venue's Retry-After`);
  assert.is(c.stats.failed, 3);
  c.stop();
  await s.close();
});

test.run();
