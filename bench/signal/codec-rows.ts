// The codec suite's timed rows, measured in a process of their own (codec.bench.ts spawns this file; `--quick` for
// short runs): Redis member encode (msgpack tick), signal frame encode, COPY row encode and the rules per tick.
// Inside the bench process the msgpack rows moved with the suites run before them (signal frame encode 5-10 us
// there against 2.2-4.5 us fresh, the same code, on 2026-12-07), so a CI gate on them failed on no change. A fresh
// process sees the code as the daemon runs it. Prints the rows as JSON on stdout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadStrategyModules } from '../../src/strategy/modules.js';
import { adapterFor } from '../../src/feed/adapters.js';
import { encodeTick } from '../../src/store/codec.js';
import { encodeFrame } from '../../src/signal/framing.js';
import { copyText, tickRow } from '../../src/persist/rows.js';
import { ComputeCore } from '../../src/compute/core.js';
import { loadConfig } from '../../src/config/load.js';
import type { Tick } from '../../src/model/tick.js';
import { perItem, sampleSignal, sharedLines, type BenchResult, type SuiteOptions } from '../lib.js';

async function rows(o: SuiteOptions): Promise<BenchResult[]> {
  const ticks: Tick[] = [];
  const a = adapterFor({ venue: 'binance' });
  for (const f of ['messages/binance-spot-trade.jsonl', 'messages/binance-spot-bookTicker.jsonl'])
    for (const l of sharedLines(f)) a.parse(l, 1, ticks);
  // The signal frame's fields: the sample signal with its type, its id as a running daemon numbers it, and the
  // three times the wire carries.
  const { tsExchNs, tsRecvNs, tsSignalNs } = sampleSignal.latency;
  const signal = {
    type: 'signal',
    ...sampleSignal,
    id: 'christmas-1-1',
    latency: { tsExchNs, tsRecvNs, tsSignalNs },
  };
  const cfg = loadConfig({ env: {} });
  const core = new ComputeCore(cfg.strategies);
  // The same ema-cross logic as a user module (a file outside src/ whose default export is the builder) and
  // built in: what the module path costs per tick.
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-bench-module-'));
  const modFile = path.join(dir, 'ema-cross.mjs');
  const builtin = new URL('../../src/strategy/ema-cross.js', import.meta.url).href;
  writeFileSync(modFile, `export { emaCross as default } from ${JSON.stringify(builtin)};\n`);
  const emaCfg = cfg.strategies.filter((s) => s.type === 'ema-cross');
  const asModule = emaCfg.map((s) => ({ ...s, type: undefined, module: modFile }));
  await loadStrategyModules(asModule);
  const builtInCore = new ComputeCore(emaCfg),
    moduleCore = new ComputeCore(asModule);
  const trades = ticks.filter((t) => t.kind === 'trade');
  const timed = await perItem(
    'codec',
    [
      {
        name: 'redis member encode (msgpack tick)',
        items: ticks.length,
        fn: () => {
          for (const t of ticks) encodeTick(t);
        },
      },
      {
        name: 'COPY row encode',
        items: ticks.length,
        fn: () => {
          copyText(ticks.map(tickRow));
        },
      },
      {
        name: 'signal frame encode',
        items: 1000,
        fn: () => {
          for (let i = 0; i < 1000; i++) encodeFrame(signal);
        },
      },
      {
        name: 'rule evaluation: ema-cross built in, per trade',
        items: trades.length,
        fn: () => {
          for (const t of trades) builtInCore.onTick(t);
        },
      },
      {
        name: 'rule evaluation: the same ema-cross as a user module, per trade',
        items: trades.length,
        fn: () => {
          for (const t of trades) moduleCore.onTick(t);
        },
      },
      {
        name: 'rule evaluation: default 4 strategies per tick',
        items: ticks.length,
        fn: () => {
          for (const t of ticks) core.onTick(t);
        },
      },
    ],
    o,
  );
  rmSync(dir, { recursive: true, force: true });
  return timed;
}

process.stdout.write(JSON.stringify(await rows({ quick: process.argv.includes('--quick') })));
