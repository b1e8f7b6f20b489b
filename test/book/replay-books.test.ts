// `christmas replay <file> --print books [--depth N]`: one JSON line per applied update in the documented shape,
// best first, and the same books the sync code builds in-process; a recording without snapshots prints none
// and says why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, shared } from '../helpers.js';
import { playBinance, recordsOf } from './reference.js';

const session2021 = shared('messages/binance-spot-session-2021-04-05.cryptofeed.log');
const recs2021 = await recordsOf(session2021);
const cli = (args: string[]) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'warn' },
    timeout: 120_000,
    maxBuffer: 256 << 20,
  });

interface BookLine {
  type: string;
  venue: string;
  symbol: string;
  updateId: number;
  tsExchNs: number;
  tsRecvNs: number;
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
}

test('--print books --depth 5 on the 2021 session: shape, order, and the in-process books', async () => {
  const r = cli(['replay', session2021, '--print', 'books', '--depth', '5']);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  // the reference: the same records through the sync code here
  const expected: string[] = [];
  playBinance(recs2021, {
    onUpdate: (b) => {
      const out = new Float64Array(20);
      const packed = b.book.top(out, 5);
      const side = (base: number, n: number) =>
        Array.from({ length: n }, (_, k) => [out[base + 2 * k], out[base + 2 * k + 1]]);
      expected.push(JSON.stringify([b.symbol, b.lastId, side(0, packed & 0xffff), side(10, packed >>> 16)]));
    },
  });
  assert.is(lines.length, expected.length);
  assert.ok(lines.length > 4000);
  for (let i = 0; i < lines.length; i++) {
    const l = JSON.parse(lines[i]!) as BookLine;
    if (i === 0)
      assert.equal(Object.keys(l), ['type', 'venue', 'symbol', 'updateId', 'tsExchNs', 'tsRecvNs', 'bids', 'asks']);
    assert.is(l.type, 'book');
    assert.is(l.venue, 'binance');
    assert.ok(Number.isSafeInteger(l.updateId) && Number.isInteger(l.tsExchNs) && Number.isInteger(l.tsRecvNs));
    assert.ok(l.bids.length <= 5 && l.asks.length <= 5 && l.bids.length > 0 && l.asks.length > 0);
    for (let k = 1; k < l.bids.length; k++) assert.ok(l.bids[k]![0] < l.bids[k - 1]![0], 'bids best (highest) first');
    for (let k = 1; k < l.asks.length; k++) assert.ok(l.asks[k]![0] > l.asks[k - 1]![0], 'asks best (lowest) first');
    assert.ok(l.bids[0]![0] < l.asks[0]![0], 'not crossed');
    assert.is(JSON.stringify([l.symbol, l.updateId, l.bids, l.asks]), expected[i]);
  }
});

test('--print books on the 2024 session (diffs, no snapshot): nothing printed, and stderr says why', () => {
  const r = cli(['replay', shared('messages/binance-spot-session-20240808.log.gz'), '--print', 'books']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.match(
    r.stderr,
    /1 book\(s\) not live at the end \(no usable depth snapshot in the recording\): binance:BTCUSDT/,
  );
});

test('--depth out of range is a one-line usage error', () => {
  const r = cli(['replay', session2021, '--print', 'books', '--depth', '0']);
  assert.is(r.status, 64);
  assert.match(r.stderr, /--depth: got "0", expected a number from 1 to 5000/);
  assert.not.match(r.stderr, / {4}at /);
});

/** A temp folder with a config of ofi-momentum and a user module with onBook (`every`), compute as given. */
function onBookConfig(compute: Record<string, unknown> = {}, maxSpreadBps = 10_000): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-onbook-'));
  // A module that signals on every 100th update of each book, at the best bid: its signals are known exactly.
  writeFileSync(
    path.join(dir, 'every-100.mjs'),
    `export default (name) => ({ name, type: 'every-100', create(venue, symbol) {
      let n = 0;
      return {
        onTick: () => undefined,
        onBook(b) {
          if (++n % 100 !== 0) return undefined;
          return { symbol, venue, side: 'sell', strategy: name, price: b.top[0], strength: 1, ttlMs: 100,
            reason: 'update ' + b.updateId, indicators: { levels: b.depth }, book: true };
        },
        snapshot: () => ({ n }), restore: (s) => { n = s.n; },
      };
    } });\n`,
  );
  writeFileSync(
    path.join(dir, 'cfg.json'),
    JSON.stringify({
      compute,
      strategies: [
        { name: 'ofi', type: 'ofi-momentum', symbols: ['*'], params: { windowMs: 1000, threshold: 2 } },
        { name: 'every', module: './every-100.mjs', symbols: ['*'], params: {} },
      ],
      risk: {
        cooldownMs: 0,
        maxSpreadBps,
        gapQuietMs: 0,
        maxSignalsPerSec: 1_000_000,
        maxSignalsPerSecPerSymbol: 1_000_000,
      },
    }),
  );
  return dir;
}

test('book strategies in replay: ofi-momentum and a user module with onBook signal from the books', () => {
  const dir = onBookConfig();
  const r = cli(['replay', session2021, '--config', path.join(dir, 'cfg.json'), '--print', 'signals']);
  assert.is(r.status, 0, r.stderr);
  const sigs = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { strategy: string; symbol: string; reason: string; price: number });
  const ofi = sigs.filter((x) => x.strategy === 'ofi');
  assert.ok(ofi.length > 20, `${ofi.length} ofi signals`);
  assert.ok(ofi.every((x) => x.reason.startsWith('order-flow imbalance')));
  const every = sigs.filter((x) => x.strategy === 'every');
  // exactly one per 100 updates of each book, as counted by the sync code here
  const updates = new Map<string, number>();
  playBinance(recs2021, { onUpdate: (b) => updates.set(b.symbol, (updates.get(b.symbol) ?? 0) + 1) });
  const expected = [...updates.values()].reduce((n, u) => n + Math.floor(u / 100), 0);
  assert.is(every.length, expected);
  assert.ok(expected >= 30);
  assert.ok(every.every((x) => /^update \d+$/.test(x.reason) && x.price > 0));
  assert.not.ok('book' in (JSON.parse(r.stdout.split('\n')[0]!) as object), 'the book flag is not on the wire');
  rmSync(dir, { recursive: true, force: true });
});

interface SignalLine {
  strategy: string;
  symbol: string;
  reason: string;
  price: number;
  tsExchNs: number;
}

/** Lines grouped per symbol, in their order (the shards keep each symbol's order, not the order across them). */
function perSymbol<T extends { symbol: string }>(lines: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of lines) {
    const sym = (JSON.parse(l) as T).symbol;
    out.set(sym, [...(out.get(sym) ?? []), l]);
  }
  return out;
}

test('compute.mode pool keeps the books on the shards: per symbol, the same book lines and book signals as inline', () => {
  const inlineDir = onBookConfig({ mode: 'inline' });
  const poolDir = onBookConfig({ mode: 'pool', workers: 2 });
  // A spread gate that suppresses some: the shards tell the gate the spread each draft saw, not the main thread's.
  const inlineGated = onBookConfig({ mode: 'inline' }, 5);
  const poolGated = onBookConfig({ mode: 'pool', workers: 2 }, 5);
  const run = (dir: string, print: string) => {
    const r = cli(['replay', session2021, '--config', path.join(dir, 'cfg.json'), '--print', print, '--depth', '5']);
    assert.is(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n');
  };
  const booksInline = perSymbol(run(inlineDir, 'books'));
  const booksPool = perSymbol(run(poolDir, 'books'));
  assert.is(booksPool.size, 10);
  let lines = 0;
  for (const [sym, l] of booksInline) {
    assert.equal(booksPool.get(sym), l, `${sym}: the same book updates in the same order`);
    lines += l.length;
  }
  assert.ok(lines > 4000);
  // Signals: the same per symbol but for seq, id and the receive-side latencies.
  const strip = (l: string) => {
    const x = JSON.parse(l) as SignalLine;
    return JSON.stringify([x.symbol, x.strategy, x.reason, x.price, x.tsExchNs]);
  };
  const sigInline = perSymbol(run(inlineDir, 'signals'));
  const sigPool = perSymbol(run(poolDir, 'signals'));
  let signals = 0,
    fromBooks = 0;
  for (const [sym, l] of sigInline) {
    assert.equal(sigPool.get(sym)?.map(strip), l.map(strip), `${sym}: the same signals`);
    signals += l.length;
    fromBooks += l.filter((x) => (JSON.parse(x) as SignalLine).strategy === 'every').length;
  }
  assert.is(sigPool.size, sigInline.size);
  const gatedInline = run(inlineGated, 'signals');
  const gatedPool = run(poolGated, 'signals');
  assert.ok(gatedInline.length < signals && gatedInline.length > 0, `${gatedInline.length} of ${signals} pass 5 bps`);
  const gatedBy = perSymbol(gatedPool);
  for (const [sym, l] of perSymbol(gatedInline)) assert.equal(gatedBy.get(sym)?.map(strip), l.map(strip), sym);
  assert.ok(fromBooks >= 30 && signals > fromBooks, `${signals} signals, ${fromBooks} of them from onBook`);
  for (const d of [inlineDir, poolDir, inlineGated, poolGated]) rmSync(d, { recursive: true, force: true });
});

test.run();
