// Readiness judges each part against its bound and logs every change once: a duplicate storm, a Redis backlog
// past its bound or failing batches, a database behind or spooling each turn /health 503 naming the part, and
// each recovery is logged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Readiness, type ReadinessInputs } from '../../src/telemetry/readiness.js';
import type { Logger } from '../../src/telemetry/logger.js';

const bounds = {
  maxStoreBacklogTicks: 1000,
  maxDatabaseLagRows: 5000,
  maxDatabaseLagMs: 30_000,
  maxDropRatio: 0.5,
  dropWindowMs: 10_000,
};
function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (_o: unknown, msg: string) => lines.push(`${level} ${msg}`);
  return { log: { warn: at('warn'), info: at('info') } as unknown as Logger, lines };
}
const ok = { healthy: true, detail: 'ok' };
const inputs = (o: Partial<ReadinessInputs> = {}): ReadinessInputs => ({
  feeds: ok,
  feedCounts: [{ venue: 'binance', ticks: 0, drops: 0 }],
  eventLoop: ok,
  redis: { status: 'ready', backlog: 0, errors: 0 },
  database: { spoolBytes: 0, bufferedRows: 0, oldestAgeMs: 0, heldRows: 0 },
  publishers: { signals: ok },
  ...o,
});
const unhealthy = (r: ReturnType<Readiness['evaluate']>) =>
  Object.entries(r.components)
    .filter(([, c]) => !c.healthy)
    .map(([n]) => n);

test('a duplicate storm is 503 naming the venue while it lasts, and its end is logged', () => {
  const { log, lines } = capture();
  const r = new Readiness(bounds, log);
  let t = 0,
    ticks = 0,
    drops = 0;
  const at = (dTicks: number, dDrops: number) => {
    ticks += dTicks;
    drops += dDrops;
    t += 1000;
    return r.evaluate(inputs({ feedCounts: [{ venue: 'binance', ticks, drops }] }), t);
  };
  for (let i = 0; i < 5; i++) assert.ok(at(1000, 3).healthy, 'a few duplicates are normal');
  let last = at(10, 5000);
  for (let i = 0; i < 5; i++) last = at(0, 5000); // every tick a duplicate
  assert.equal(unhealthy(last), ['drops.binance']);
  assert.ok((last.components['drops.binance']?.detail ?? '').includes('dropped in the last 10 s'));
  for (let i = 0; i < 12; i++) last = at(1000, 0); // the storm has passed the window
  assert.ok(last.healthy, JSON.stringify(last.components));
  assert.equal(
    lines.filter((l) => l.includes('drops.binance')).map((l) => l.split(' ')[0]),
    ['warn', 'info'],
    'one warning, one recovery',
  );
});

test('Redis: not ready, a backlog past the bound, or failed batches within the window', () => {
  const { log, lines } = capture();
  const r = new Readiness(bounds, log);
  assert.ok(r.evaluate(inputs(), 0).healthy);
  assert.equal(unhealthy(r.evaluate(inputs({ redis: { status: 'reconnecting', backlog: 10, errors: 0 } }), 1000)), [
    'redis',
  ]);
  const behind = r.evaluate(inputs({ redis: { status: 'ready', backlog: 193_000, errors: 0 } }), 2000);
  assert.equal(unhealthy(behind), ['redis']);
  assert.ok((behind.components.redis?.detail ?? '').includes('past 1000'));
  assert.equal(unhealthy(r.evaluate(inputs({ redis: { status: 'ready', backlog: 0, errors: 3 } }), 3000)), ['redis']);
  assert.ok(
    r.evaluate(inputs({ redis: { status: 'ready', backlog: 0, errors: 3 } }), 20_000).healthy,
    'errors age out',
  );
  assert.ok(lines.some((l) => l === 'info redis recovered'));
});

test('database: spooling, refusing, or behind past either bound', () => {
  const r = new Readiness(bounds, capture().log);
  const db = (o: Partial<NonNullable<ReadinessInputs['database']>>) =>
    unhealthy(
      r.evaluate(inputs({ database: { spoolBytes: 0, bufferedRows: 0, oldestAgeMs: 0, heldRows: 0, ...o } }), 0),
    );
  assert.equal(db({}), []);
  assert.equal(db({ spoolBytes: 4096 }), ['database']);
  assert.equal(db({ refusal: { detail: 'ENOSPC', dropped: 3 }, heldRows: 10 }), ['database']);
  assert.equal(db({ bufferedRows: 6000 }), ['database']);
  assert.equal(db({ oldestAgeMs: 31_000 }), ['database']);
  assert.equal(db({ bufferedRows: 4000, oldestAgeMs: 100 }), []);
});

test.run();
