// christmas backtest on a recording with depth streams: the book strategies run through the same engine as a
// replay (their signals per symbol equal the replay's), and their rows carry markouts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliPath, shared } from '../helpers.js';

const session = shared('messages/binance-spot-session-2021-04-05.cryptofeed.log');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'warn' },
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });

test('backtest of ofi-momentum on the 2021 session: per symbol, the signals replay --print signals emits', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-bt-books-'));
  const cfg = path.join(dir, 'cfg.json');
  writeFileSync(
    cfg,
    JSON.stringify({ strategies: [{ name: 'ofi', type: 'ofi-momentum', symbols: ['*'], params: { windowMs: 1000 } }] }),
  );
  try {
    const bt = cli(['backtest', session, '--config', cfg, '--report', 'json', '--horizons', '1s,10s']);
    assert.is(bt.status, 0, bt.stderr);
    const report = JSON.parse(bt.stdout) as {
      strategies: Array<{ name: string; symbol: string; signals: number; markoutsBps: Record<string, { n: number }> }>;
    };
    const rp = cli(['replay', session, '--config', cfg, '--print', 'signals']);
    assert.is(rp.status, 0, rp.stderr);
    const bySymbol = new Map<string, number>();
    for (const l of rp.stdout.trim().split('\n')) {
      const s = JSON.parse(l) as { venue: string; symbol: string; strategy: string };
      if (s.strategy === 'ofi')
        bySymbol.set(`${s.venue}:${s.symbol}`, (bySymbol.get(`${s.venue}:${s.symbol}`) ?? 0) + 1);
    }
    const rows = report.strategies.filter((r) => r.name === 'ofi');
    assert.ok(rows.length >= 5, `${rows.length} symbols with ofi signals`);
    assert.equal(
      Object.fromEntries(rows.map((r) => [r.symbol, r.signals])),
      Object.fromEntries(bySymbol),
      'the same signals as the replay',
    );
    for (const r of rows) assert.ok(r.markoutsBps['1s']!.n > 0, `${r.symbol} has 1 s markouts`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
