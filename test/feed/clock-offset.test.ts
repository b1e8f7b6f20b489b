// The per-venue clock offset: the rolling median of (receive - exchange) over the last N samples, checked
// against a plain sort of the same window for odd and even counts, negative offsets and a wrapped window.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClockOffset } from '../../src/feed/clock-offset.js';

function reference(window: number[]): number {
  const s = [...window].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

test('median of the last N samples equals a plain sort of that window, before and after the window wraps', () => {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const c = new ClockOffset(9);
  assert.ok(Number.isNaN(c.medianNs()));
  const all: number[] = [];
  for (let i = 0; i < 40; i++) {
    const offset = Math.round((rnd() - 0.3) * 2e7); // some negative: an exchange clock ahead of ours
    c.add(1.7e18 + offset, 1.7e18);
    all.push(1.7e18 + offset - 1.7e18);
    assert.is(c.medianNs(), reference(all.slice(-9)), `after ${i + 1} samples`);
  }
});

test.run();
