// Time-decayed EMA: half-life in exchange time, bursts in one millisecond weigh nothing until time passes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimeDecayEMA } from '../../src/indicators/ema-time.js';
import { EMA } from '../../src/indicators/ema.js';
import { IndicatorSet } from '../../src/indicators/spec.js';

test('a price step held for one half-life moves the EMA half way; two half-lives three quarters', () => {
  const e = new TimeDecayEMA(500);
  e.update(100, 0);
  e.update(110, 0); // the path switches to 110 at t = 0
  assert.ok(Math.abs(e.update(110, 500) - 105) < 1e-12);
  assert.ok(Math.abs(e.update(110, 1000) - 107.5) < 1e-12);
});

test('100 trades in one millisecond move it as one price held for 1 ms, not as 100 ticks', () => {
  const e = new TimeDecayEMA(1000),
    tick = new EMA(10, 'first');
  e.update(100, 0);
  tick.update(100);
  for (let i = 0; i < 100; i++) {
    e.update(200, 1000 + i / 100);
    tick.update(200);
  }
  assert.ok(e.value < 100.1, `time-decayed: ${e.value}`);
  assert.ok(tick.value > 199, `per-tick: ${tick.value}`);
  e.update(200, 2000);
  assert.ok(Math.abs(e.value - 150) < 0.1, `after a half-life of 200: ${e.value}`);
});

test('spec ema:halflife=D reads durations; a clock step back holds; snapshot/restore reproduces it', () => {
  const set = new IndicatorSet('ema:halflife=2s');
  assert.equal(set.keys, ['ema:halflife=2s']);
  const e = new TimeDecayEMA(2000);
  e.update(10, 1000);
  e.update(20, 3000);
  const v = e.value;
  e.update(30, 2000);
  assert.is(e.value, v, 'no decay backwards');
  const copy = new TimeDecayEMA(2000);
  copy.restore(e.snapshot());
  assert.is(copy.update(40, 9000), e.update(40, 9000));
});

test.run();
