// Books on the pool's shards, driven directly: the real 2021 Binance session's book messages through PoolCompute
// end in the reference books (each shard's tops as they come back in its outbox), book drafts carry the shard's
// liveness verdict, a SIGHUP relaunch hands the books to the next task (no resync, the same final books), and a
// crashed shard's books are resynced, its ring's queued book messages dropped, while the other shard's go on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shared } from '../helpers.js';
import { PoolCompute, type PoolBooks } from '../../src/compute/pool.js';
import { loadConfig } from '../../src/config/load.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { binanceAdapter } from '../../src/feed/binance/adapter.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { emptyOutbox, type BookOutbox } from '../../src/book/shard-books.js';
import type { BookTop } from '../../src/model/book-top.js';
import type { StrategyConfig } from '../../src/config/types.js';
import { playBinance, recordsOf } from '../book/reference.js';
import { PoolBookSide } from '../../src/book/pool-books.js';

const recs = await recordsOf(shared('messages/binance-spot-session-2021-04-05.cryptofeed.log'));
const cfg = loadConfig({ env: {} });
const strategies: StrategyConfig[] = [
  {
    name: 'ofi',
    type: 'ofi-momentum',
    enabled: true,
    symbols: ['*'],
    params: { windowMs: 1000, threshold: 2 },
  } as StrategyConfig,
];

/** The reference: final tops (cfg.books.depth levels) and updates per symbol of the complete recording. */
function reference() {
  const updates = new Map<string, number>();
  const { books } = playBinance(recs, { onUpdate: (b) => updates.set(b.symbol, (updates.get(b.symbol) ?? 0) + 1) });
  const depth = cfg.books.depth;
  const out = new Float64Array(4 * depth);
  const tops = new Map<string, string>();
  for (const b of books.all()) {
    const packed = b.book.top(out, depth);
    const side = (base: number, n: number) =>
      Array.from({ length: n }, (_, k) => [out[base + 2 * k], out[base + 2 * k + 1]]);
    tops.set(b.symbol, JSON.stringify([b.lastId, side(0, packed & 0xffff), side(2 * depth, packed >>> 16)]));
  }
  return { tops, updates };
}
const ref = reference();
const topKey = (t: BookTop) => JSON.stringify([t.updateId, t.bids, t.asks]);

async function play(at?: { index: number; act: (pool: PoolCompute) => void }) {
  const lastTop = new Map<string, BookTop>();
  const shardOf = new Map<string, number>();
  const resyncs: Array<{ symbol: string; reason: string }> = [];
  const lost: number[] = [];
  const stateAtEnd = new Map<string, string>();
  const drafts: Array<{ book: boolean; live: boolean | undefined }> = [];
  const books: PoolBooks = {
    opts: { cfg: cfg.books, tops: true, snapshots: false, deltas: false },
    onOutbox(shard: number, m: BookOutbox) {
      for (const t of m.tops) {
        lastTop.set(t.symbol, t);
        shardOf.set(t.symbol, shard);
      }
      for (const r of m.resyncs) resyncs.push({ symbol: r.symbol, reason: r.reason });
      for (const b of m.stats?.books ?? []) stateAtEnd.set(b.symbol, b.state);
    },
    onBooksLost: (shard) => lost.push(shard),
  };
  const pool = new PoolCompute(
    strategies,
    (d, _e, _r, _rr, _f, bl) => drafts.push({ book: d.book === true, live: bl }),
    silentLogger,
    2,
    1 << 12,
    512,
    0,
    0,
    10_000,
    true,
    books,
  );
  await pool.start();
  const proc = new FrameProcessor(binanceAdapter('binance'), (t) => pool.submit(t, NaN));
  proc.books = { onBookMessage: (m) => pool.submitBookMessage(m, NaN) };
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!;
    if (r.type === 'frame') proc.onFrame(r.text, r.recvNs);
    else if (r.type === 'snapshot') proc.onSnapshot(r.symbol, r.text, r.recvNs);
    if (i === at?.index) {
      await pool.flush(10_000);
      at.act(pool);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (i % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  await pool.flush(30_000);
  await pool.stop();
  return { lastTop, shardOf, resyncs, lost, drafts, stateAtEnd, restarts: pool.restarts };
}

test('the session through the pool: every shard book ends equal to the reference; book drafts are marked live', async () => {
  const r = await play();
  assert.is(r.lastTop.size, 10);
  for (const [sym, want] of ref.tops) {
    assert.is(topKey(r.lastTop.get(sym)!), want, sym);
    assert.is(r.stateAtEnd.get(sym), 'live');
  }
  assert.is(new Set(r.shardOf.values()).size, 2, 'the books are spread over both shards');
  assert.ok(
    r.resyncs.every((x) => x.reason === 'initial'),
    'no resync but the initial snapshots',
  );
  const fromBooks = r.drafts.filter((d) => d.book);
  assert.ok(fromBooks.length > 20, `${fromBooks.length} ofi drafts`);
  assert.ok(
    fromBooks.every((d) => d.live === true),
    'onBook drafts come from live books',
  );
});

test('a SIGHUP relaunch mid-session hands every book to the next task: no resync, the same final books', async () => {
  const r = await play({ index: Math.floor(recs.length / 2), act: (pool) => pool.reload(strategies) });
  for (const [sym, want] of ref.tops) assert.is(topKey(r.lastTop.get(sym)!), want, sym);
  assert.ok(r.resyncs.every((x) => x.reason === 'initial'));
  assert.equal(r.lost, []);
  assert.is(r.restarts, 0, 'a relaunch is not a crash');
});

test('a crashed shard: its books are reported lost and the queued book messages dropped; the other shard goes on', async () => {
  const r = await play({ index: Math.floor(recs.length / 2), act: (pool) => pool.injectCrash(0) });
  assert.ok(r.restarts >= 1);
  assert.equal(r.lost, [0]);
  let kept = 0,
    stopped = 0;
  for (const [sym, want] of ref.tops) {
    const top = r.lastTop.get(sym)!;
    if (r.shardOf.get(sym) === 1) {
      assert.is(topKey(top), want, `${sym} (shard 1) ends equal to the reference`);
      kept++;
    } else {
      // The crashed shard's books restart empty: Binance deltas wait for a snapshot (the recording has no later one).
      assert.is(r.stateAtEnd.get(sym), 'syncing', `${sym} (shard 0) is syncing after the crash`);
      assert.is.not(topKey(top), want);
      stopped++;
    }
  }
  assert.ok(kept > 0 && stopped > 0, `${kept} kept, ${stopped} resyncing`);
});

test("the main thread's side: outboxes become logs, resyncs, tops and counters; a lost shard's books resync", () => {
  const resynced: string[] = [];
  const tops: BookTop[] = [];
  const side = new PoolBookSide({
    opts: { cfg: cfg.books, tops: true, snapshots: false, deltas: false },
    log: silentLogger,
    sink: { tops: (l) => tops.push(...l) },
    resync: (v, s) => resynced.push(`${v}:${s}`),
    submit: () => undefined,
  });
  const counters = (symbol: string, state: string) => ({
    venue: 'binance',
    symbol,
    state,
    applied: 5,
    resyncs: 0,
    levels: 8,
  });
  const outbox = (m: Partial<BookOutbox>): BookOutbox => ({ ...emptyOutbox(), ...m });
  side.onOutbox(
    0,
    outbox({ stats: { books: [counters('A', 'live')], dropped: [['gap', 2]], snapshots: 1, applied: 5 } }),
  );
  side.onOutbox(
    1,
    outbox({ stats: { books: [counters('B', 'live')], dropped: [['gap', 1]], snapshots: 1, applied: 5 } }),
  );
  side.onOutbox(1, outbox({ resyncs: [{ venue: 'binance', symbol: 'B', reason: 'gap' }] }));
  assert.equal(resynced, ['binance:B']);
  assert.ok(side.live('binance', 'A') && side.live('binance', 'B'));
  side.onBooksLost(0);
  assert.equal(resynced, ['binance:B', 'binance:A']);
  assert.not.ok(side.live('binance', 'A'));
  assert.equal(
    tops.map((t) => [t.symbol, t.state, t.bids.length]),
    [['A', 'syncing', 0]],
  );
  // the restarted shard reports from zero: the summary's counters keep what the lost task had counted
  side.onOutbox(0, outbox({ stats: { books: [counters('A', 'syncing')], dropped: [], snapshots: 0, applied: 0 } }));
  const sum = side.summary();
  assert.is(sum.applied, 10);
  assert.is(sum.snapshots, 2);
  assert.is(sum.dropped.get('gap'), 3);
  assert.equal(sum.books.map((b) => `${b.symbol}:${b.state}`).sort(), ['A:syncing', 'B:live']);
});

test.run();
