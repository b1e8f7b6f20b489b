// Strategies on real recorded data (every signal re-checked against its own rule with independently
// computed indicators) and on small hand-made sequences; the risk gates, each with its counted reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { shared } from '../helpers.js';
import { emaCross } from '../../src/strategy/ema-cross.js';
import { imbalance } from '../../src/strategy/imbalance.js';
import { vwapReversion } from '../../src/strategy/vwap-reversion.js';
import { breakout } from '../../src/strategy/breakout.js';
import { RiskGate } from '../../src/strategy/risk.js';
import { EMA } from '../../src/indicators/ema.js';
import { RSI } from '../../src/indicators/rsi.js';
import { adapterFor } from '../../src/feed/adapters.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import { quoteTick, tradeTick, type Tick } from '../../src/model/tick.js';
import type { SignalDraft } from '../../src/model/signal.js';
import { readRecording } from '../../src/feed/replay/readers.js';

let session: Tick[] = [];
test.before(async () => {
  const p = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => session.push(t));
  for await (const r of readRecording(shared('messages/binance-spot-session-20240808.log.gz')))
    if (r.type === 'frame') p.onFrame(r.text, r.recvNs);
  session = session.slice();
});

test('every built-in strategy restored from its JSON snapshot mid-stream signals as the uninterrupted one', () => {
  const factories = [
    emaCross('ec', { fast: 12, slow: 26, rsiPeriod: 14, rsiBuyMax: 70, rsiSellMin: 30 }),
    vwapReversion('vr', { windowMs: 60_000, zEntry: 2.5, minTrades: 50 }),
    imbalance('im', { threshold: 0.8 }),
    breakout('bo', { windowMs: 30_000, volumeFactor: 2 }),
  ];
  for (const f of factories) {
    const whole = f.create('binance', 'BTCUSDT');
    const drafts = session.map((t) => whole.onTick(t));
    assert.ok(
      drafts.some((d) => d !== undefined),
      `${f.name} signals on the session`,
    );
    for (const cut of [Math.floor(session.length / 3), Math.floor((session.length * 2) / 3)]) {
      const first = f.create('binance', 'BTCUSDT');
      for (let i = 0; i < cut; i++) first.onTick(session[i]!);
      const next = f.create('binance', 'BTCUSDT');
      next.restore(JSON.parse(JSON.stringify(first.snapshot())) as Record<string, unknown>);
      for (let i = cut; i < session.length; i++)
        assert.equal(next.onTick(session[i]!), drafts[i], `${f.name} cut at ${cut}, tick ${i}`);
    }
  }
});

test('ema-cross on the real session: every signal is a real crossing that passed the RSI filter', () => {
  const inst = emaCross('ec', { fast: 12, slow: 26, rsiPeriod: 14, rsiBuyMax: 70, rsiSellMin: 30 }).create(
    'binance',
    'BTCUSDT',
  );
  const f = new EMA(12),
    s = new EMA(26),
    r = new RSI(14);
  let prev = NaN,
    signals = 0;
  for (const t of session) {
    const d = inst.onTick(t);
    if (t.kind !== 'trade') {
      assert.is(d, undefined);
      continue;
    }
    const a = f.update(t.price),
      b = s.update(t.price),
      rsi = r.update(t.price);
    const diff = a - b,
      was = prev;
    if (s.ready && r.ready) prev = diff;
    if (!d) continue;
    signals++;
    assert.ok(
      d.side === 'buy' ? was <= 0 && diff > 0 && rsi < 70 : was >= 0 && diff < 0 && rsi > 30,
      `signal at trade ${t.id} is a crossing`,
    );
    assert.is(d.indicators.emaFast, a);
    assert.is(d.indicators.rsi, rsi);
    assert.ok(d.strength >= 0 && d.strength <= 1);
    assert.is(d.price, t.price);
  }
  assert.ok(signals >= 5, `${signals} crossings`);
});

test('imbalance on the real session: each signal enters an imbalance regime with the microprice leaning that way', () => {
  const inst = imbalance('imb', { threshold: 0.8 }).create('binance', 'BTCUSDT');
  let signals = 0;
  for (const t of session) {
    const d = inst.onTick(t);
    if (!d) continue;
    signals++;
    const imb = (t.bidSize - t.askSize) / (t.bidSize + t.askSize);
    const micro = (t.bid * t.askSize + t.ask * t.bidSize) / (t.bidSize + t.askSize);
    if (d.side === 'buy') assert.ok(imb >= 0.8 && micro > (t.bid + t.ask) / 2 && d.price === t.ask);
    else assert.ok(imb <= -0.8 && micro < (t.bid + t.ask) / 2 && d.price === t.bid);
  }
  assert.ok(signals > 20);
});

test('hand-made sequences: ema-cross fires once per cross; imbalance is edge-triggered', () => {
  const ec = emaCross('ec', { fast: 2, slow: 4, rsiPeriod: 2, rsiBuyMax: 101, rsiSellMin: -1 }).create('v', 'S');
  const prices = [10, 10, 10, 10, 10, 9, 8, 7, 8, 10, 12, 14, 15, 15];
  const out: Array<SignalDraft | undefined> = prices.map((p, i) =>
    ec.onTick(tradeTick('v', 'S', (i + 1) * 1e9, 0, p, 1, 'buy', i)),
  );
  const fired = out.map((d, i) => (d ? `${i}:${d.side}` : '')).filter(Boolean);
  // EMA2 vs EMA4 (SMA-seeded at index 3): sells when the fall starts (index 5), buys on the way back up (index 9).
  assert.equal(fired, ['5:sell', '9:buy']);
  const im = imbalance('imb', { threshold: 0.5 }).create('v', 'S');
  const q = (bs: number, as: number) => im.onTick(quoteTick('v', 'S', 1e9, 1e9, 100, bs, 101, as, 1));
  assert.is(q(1, 1), undefined);
  assert.is(q(9, 1)?.side, 'buy');
  assert.is(q(9, 1), undefined, 'still in the regime: no repeat');
  assert.is(q(1, 9)?.side, 'sell');
  assert.is(q(1, 1), undefined);
});

test('vwap-reversion and breakout on hand-made sequences', () => {
  const vr = vwapReversion('vr', { windowMs: 10_000, zEntry: 2, minTrades: 5, stdPeriod: 10 }).create('v', 'S');
  const sig: string[] = [];
  const series = [100, 100.1, 99.9, 100, 100.1, 99.9, 100, 100.1, 99.9, 100, 103, 103.5, 100, 96];
  series.forEach((p, i) => {
    const d = vr.onTick(tradeTick('v', 'S', (i + 1) * 1e8 * 1 + 1e18, 0, p, 1, 'buy', i));
    if (d) sig.push(`${i}:${d.side}`);
  });
  assert.equal(sig, ['10:sell', '13:buy'], 'sells the spike above VWAP, buys the drop below');
  const bo = breakout('bo', { windowMs: 1000, confirmMs: 200, volumeFactor: 2 }).create('v', 'S');
  const got: string[] = [];
  let t = 1e18;
  for (let i = 0; i < 20; i++) {
    t += 100e6;
    const d = bo.onTick(tradeTick('v', 'S', t, 0, 100 + (i % 2) * 0.1, 1, 'buy', i));
    if (d) got.push(`r${i}`);
  }
  t += 50e6;
  const quiet = bo.onTick(tradeTick('v', 'S', t, 0, 101, 0.1, 'buy', 100));
  assert.is(quiet, undefined, 'a new high on thin volume is not a breakout');
  t += 50e6;
  const up = bo.onTick(tradeTick('v', 'S', t, 0, 101.5, 10, 'buy', 101));
  assert.is(up?.side, 'buy');
  assert.equal(got, []);
});

test('risk gates: kill switch, stale, gap, book, spread, cooldown, per-symbol and global rate; each counted', () => {
  const state = { stale: false, gapMs: NaN, spread: 1, bookLive: true };
  const gate = new RiskGate(
    {
      maxSpreadBps: 5,
      cooldownMs: 1000,
      maxSignalsPerSec: 3,
      maxSignalsPerSecPerSymbol: 2,
      gapQuietMs: 500,
      killSwitchFile: '',
    },
    {
      isStale: () => state.stale,
      lastGapMs: () => state.gapMs,
      spreadBps: () => state.spread,
      bookLive: () => state.bookLive,
    },
  );
  const d = (symbol: string, strategy = 's'): SignalDraft => ({
    symbol,
    venue: 'v',
    side: 'buy',
    strategy,
    price: 1,
    strength: 1,
    ttlMs: 1,
    reason: '',
    indicators: {},
  });
  assert.is(gate.check(d('A'), 10_000), undefined);
  assert.is(gate.check(d('A'), 10_100), 'cooldown');
  assert.is(gate.check(d('A', 's2'), 10_100), undefined);
  assert.is(gate.check(d('A', 's3'), 10_200), 'rate-symbol');
  assert.is(gate.check(d('B'), 10_300), undefined);
  assert.is(gate.check(d('C'), 10_400), 'rate-global');
  assert.is(gate.check(d('C'), 11_000), undefined, 'a new second');
  state.spread = 9;
  assert.is(gate.check(d('D'), 12_000), 'spread');
  state.spread = 1;
  state.gapMs = 12_900;
  assert.is(gate.check(d('D'), 13_000), 'gap');
  assert.is(gate.check(d('D'), 13_500), undefined);
  state.gapMs = NaN;
  state.stale = true;
  assert.is(gate.check(d('E'), 14_000), 'stale');
  state.stale = false;
  gate.killed = true;
  assert.is(gate.check(d('E'), 15_000), 'kill-switch');
  gate.killed = false;
  state.bookLive = false;
  assert.is(gate.check({ ...d('F'), book: true }, 16_000), 'book', 'a book-based draft waits for a live book');
  assert.is(gate.check(d('F'), 16_000), undefined, 'a draft not made from the book does not');
  assert.equal(gate.suppressed, {
    'kill-switch': 1,
    stale: 1,
    gap: 1,
    book: 1,
    spread: 1,
    cooldown: 1,
    'rate-global': 1,
    'rate-symbol': 1,
  });
  assert.is(gate.passed, 6);
});

test('strategy parameters are validated with the key and the expected range', () => {
  assert.throws(() => emaCross('x', { fast: 30, slow: 10 }), /strategies\.x\.params\.fast/);
  assert.throws(
    () => imbalance('y', { threshold: 2 }),
    /strategies\.y\.params\.threshold: got 2, expected a number from 0.01 to 1/,
  );
  void readFileSync;
});

test.run();
