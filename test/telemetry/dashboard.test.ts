// The Grafana dashboard (config/grafana/christmas.json) is provisionable as a file: a datasource variable and
// job/instance variables every query filters on, window quantiles from the latency histogram, and a panel on
// every counter the daemon registers (the failure counters above all), each query naming only metrics that exist.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers.js';
import { idleRegistry } from './idle-registry.js';

interface Dashboard {
  __inputs?: unknown;
  templating: { list: Array<{ name: string; type: string; query?: unknown }> };
  panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
}
const dash = JSON.parse(readFileSync(path.join(repoRoot, 'config', 'grafana', 'christmas.json'), 'utf8')) as Dashboard;
const exprs = dash.panels.flatMap((p) => p.targets.map((t) => t.expr));

test('variables: datasource, job and instance; no import-only ${DS_...} input', () => {
  assert.is(dash.__inputs, undefined);
  const vars = Object.fromEntries(dash.templating.list.map((v) => [v.name, v.type]));
  assert.equal(vars, { datasource: 'datasource', job: 'query', instance: 'query' });
  for (const p of dash.panels) assert.is(p.datasource.uid, '${datasource}', p.title);
  for (const e of exprs) assert.ok(e.includes('job=~"$job"') && e.includes('instance=~"$instance"'), e);
});

test('latency panels are histogram_quantile over rate windows, not since-start gauges', () => {
  const latency = exprs.filter((e) => e.includes('christmas_stage_latency'));
  assert.ok(latency.length >= 4);
  for (const e of latency) assert.ok(/christmas_stage_latency_seconds_(bucket|count)/.test(e), e);
  assert.ok(latency.every((e) => !e.includes('since_start') && !e.includes('quantile=')));
});

test('every query names registered metrics, and every registered counter has a panel', async () => {
  const reg = idleRegistry();
  const metrics = await reg.getMetricsAsJSON();
  const names = new Set(metrics.map((m) => m.name));
  for (const e of exprs)
    for (const [n] of e.matchAll(/\b(christmas|nodejs|process)_[a-z0-9_]+/g)) {
      const base = n.replace(/_(bucket|count|sum)$/, '');
      assert.ok(names.has(n) || names.has(base), `${n} in "${e}" is a registered metric`);
    }
  const counters = metrics
    .filter((m) => String(m.type) === 'counter' && m.name.startsWith('christmas_'))
    .map((m) => m.name);
  assert.ok(counters.length > 15);
  const missing = counters.filter((c) => !exprs.some((e) => e.includes(c) && e.includes('rate(')));
  assert.equal(missing, [], 'counters without a rate panel');
});

test.run();
