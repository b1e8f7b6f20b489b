// Warming from history with the batch kernels (ComputeCore.warmSymbol, what re-warm and warm start run) leaves
// the state streaming the same ticks leaves, for both kernel implementations, and the warmed strategies then
// signal exactly as the streamed ones.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ComputeCore } from '../../src/compute/core.js';
import { fallbackKernels, loadKernels } from '../../src/native/index.js';
import type { StrategyConfig } from '../../src/config/types.js';
import { recordedTicks } from '../ticks.js';

const ticks = recordedTicks({ recvNs: (_f, n) => 1_723_161_600_000_000_000 + n * 1000 }).sort(
  (a, b) => a.tsExchNs - b.tsExchNs,
);
const strategies: StrategyConfig[] = [
  { name: 'ec', type: 'ema-cross', symbols: ['*'], enabled: true, params: { fast: 5, slow: 13, rsiPeriod: 7 } },
  {
    name: 'vr',
    type: 'vwap-reversion',
    symbols: ['*'],
    enabled: true,
    params: { windowMs: 5000, zEntry: 1.5, minTrades: 30, stdPeriod: 40 },
  },
  { name: 'bo', type: 'breakout', symbols: ['*'], enabled: true, params: { windowMs: 2000, volumeFactor: 1.2 } },
  { name: 'im', type: 'imbalance', symbols: ['*'], enabled: true, params: { threshold: 0.6 } },
];

const impls = [
  ['native', loadKernels({ disabled: false })],
  ['typescript', { kernels: fallbackKernels, kind: 'typescript' }],
] as const;

for (const [name, k] of impls) {
  test(`${name}: warmSymbol = streaming, in state and in every later draft`, () => {
    if (name === 'native') assert.is(k.kind, 'native', 'the native module is built (make build)');
    const cuts = [0, 1, 40, 1000, Math.floor(ticks.length / 2)];
    for (let c = 50; c < ticks.length; c += Math.floor(ticks.length / 60)) cuts.push(c);
    let zonesOutside = 0;
    for (const cut of cuts) {
      const history = ticks.slice(0, cut),
        live = ticks.slice(cut);
      const warmed = new ComputeCore(strategies),
        streamed = new ComputeCore(strategies);
      const symbols = [...new Set(history.map((t) => t.symbol))];
      let batched = 0;
      for (const s of symbols)
        batched += warmed.warmSymbol(
          'binance',
          s,
          history.filter((t) => t.symbol === s),
          k.kernels,
        );
      for (const t of history) streamed.onTick(t);
      if (cut > 0) assert.is(batched, 2 * symbols.length, 'ema-cross and vwap-reversion warm in batch');
      const snap = streamed.snapshot();
      assert.equal(warmed.snapshot(), snap, `state at cut ${cut}`);
      for (const arr of Object.values(snap) as Array<Array<{ zone?: number }>>)
        if (arr[1]?.zone !== undefined && arr[1].zone !== 0) zonesOutside++;
      if (cut > 1000 && cut !== cuts[4]) continue; // the later cuts check the state only
      let drafts = 0;
      for (const t of live) {
        const a = JSON.stringify(warmed.onTick(t)),
          b = JSON.stringify(streamed.onTick(t));
        if (a !== b) assert.unreachable(`cut ${cut}: drafts differ at ${t.kind} ${t.id}: ${a} vs ${b}`);
        drafts += streamed.drafts.length;
      }
      assert.ok(cut > ticks.length / 3 || drafts > 0, `the live part signals (cut ${cut})`);
    }
    assert.ok(zonesOutside > 0, 'some cut falls inside a vwap-reversion excursion (its zone is warmed too)');
  });
}

test.run();
