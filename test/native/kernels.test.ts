// One suite, both implementations: the N-API module and the TypeScript fallback give identical results.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fallbackKernels, loadKernels, type Kernels } from '../../src/native/index.js';
import { STATE_LENGTH } from '../../src/native/kernels.js';

const loaded = loadKernels({ disabled: false });
const disabled = loadKernels({ disabled: true });

test('the native module is built and loads; CHRISTMAS_NO_NATIVE-style disabling gives the fallback', () => {
  assert.is(loaded.kind, 'native', `native module should load (make build): ${loaded.reason}`);
  assert.is(disabled.kind, 'typescript');
  assert.is(disabled.kernels, fallbackKernels);
});

function series(n: number, seed = 1): Float64Array {
  // deterministic random walk around 60000 (like BTCUSDT) with occasional large jumps
  const a = new Float64Array(n);
  let x = 60000,
    s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x += (s / 2147483648 - 0.5) * (i % 97 === 0 ? 50 : 3);
    a[i] = x;
  }
  return a;
}

function same(a: Float64Array, b: Float64Array, what: string): void {
  assert.is(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (a[i] !== b[i]) assert.unreachable(`${what}: index ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

const impls: Array<[string, Kernels]> = [
  ['native', loaded.kernels],
  ['typescript', fallbackKernels],
];

for (const n of [0, 1, 5, 1000, 200_000]) {
  test(`batch kernels agree bit for bit on ${n} values, outputs and end states`, () => {
    const x = series(n, n + 7);
    const outs = impls.map(([, k]) => {
      const ema = new Float64Array(n),
        rsi = new Float64Array(n),
        m = new Float64Array(n),
        s = new Float64Array(n),
        emaState = new Float64Array(STATE_LENGTH.emaBatch),
        rsiState = new Float64Array(STATE_LENGTH.rsiBatch),
        sdState = new Float64Array(STATE_LENGTH.rollingMeanStd);
      k.emaBatch(x, 12, ema, emaState);
      k.rsiBatch(x, 14, rsi, rsiState);
      k.rollingMeanStd(x, 20, m, s, sdState);
      return { ema, rsi, m, s, emaState, rsiState, sdState };
    });
    for (const key of ['ema', 'rsi', 'm', 's', 'emaState', 'rsiState', 'sdState'] as const)
      same(outs[0]![key], outs[1]![key], key);
  });
}

for (const [name, k] of impls) {
  test(`${name}: rejects bad arguments with a clear error`, () => {
    const x = new Float64Array(10);
    assert.throws(() => k.emaBatch([1, 2, 3] as unknown as Float64Array, 3, new Float64Array(3)), /Float64Array/);
    assert.throws(() => k.emaBatch(x, 0, new Float64Array(10)), /period/);
    assert.throws(() => k.rsiBatch(x, 3, new Float64Array(9)), /length/);
    assert.throws(() => k.rsiBatch(x, 3, new Float64Array(10), new Float64Array(2)), /state/);
    assert.throws(
      () => k.rollingMeanStd(x, 3, new Float64Array(10), new Float64Array(10), new Float64Array(9)),
      /state/,
    );
  });
}

test.run();
