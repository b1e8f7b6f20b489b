// Recording raw frames (`christmas run --record DIR`): rotating gzip files in the hftbacktest format that
// replay reads back frame for frame.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shared } from '../helpers.js';
import { FrameRecorder } from '../../src/feed/recorder.js';
import { readRecording } from '../../src/feed/replay/readers.js';

test('frames recorded with their receive time rotate by size and replay identically', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-rec-'));
  const frames = readFileSync(shared('messages/binance-spot-trade.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 3000);
  const rec = new FrameRecorder(dir, 'binance', 100_000);
  const base = 1_723_161_600_123_456_789n;
  frames.forEach((f, i) => rec.write(Number(base) + i * 1000, f));
  await rec.close();
  assert.ok(rec.files.length >= 4, `${rec.files.length} files (rotation past 100 kB of raw frames)`);
  const back: Array<{ recvNs: number; text: string }> = [];
  for (const file of rec.files) for await (const r of readRecording(file)) if (r.type === 'frame') back.push(r);
  assert.is(back.length, frames.length);
  back.forEach((b, i) => {
    assert.is(b.text, frames[i]);
  });
  assert.ok(Math.abs(back[10]!.recvNs - (Number(base) + 10_000)) < 512, 'receive time kept (float64 ns)');
  assert.ok(rec.files.every((f) => f.endsWith('.log.gz') && path.basename(f).startsWith('binance-')));
});

test.run();
