// A metrics registry over sources that report nothing yet: every metric the daemon registers, no values. For
// tests that check the set of metrics (the README table, the dashboard's queries).
import { buildRegistry } from '../../src/telemetry/metrics.js';
import { StageHistograms } from '../../src/telemetry/histogram.js';

export function idleRegistry() {
  return buildRegistry({
    feeds: () => [],
    ticksBySymbol: () => [],
    store: () => undefined,
    persist: () => undefined,
    signals: () => ({ emitted: 0, suppressed: {}, clients: 0, slowDrops: 0, lastSeq: 0 }),
    compute: () => ({ mode: 'inline', workerUtilization: 0, restarts: 0, lateWakes: 0 }),
    io: () => undefined,
    loop: () => ({ lagMs: 0, utilization: 0, stalls: 0 }),
    histograms: new StageHistograms(),
    build: { version: '0.0.0', node: process.versions.node, kernels: 'typescript' },
  });
}
