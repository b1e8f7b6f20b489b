// The shared health report (src/telemetry/shared-report.ts): a reader on one thread racing a writer on
// another only ever sees whole reports (status, time and text of one publish), never a torn mix; before
// the first publish it sees none. /health served a torn report once in CI ("Unexpected non-whitespace
// character after JSON") before the sequence lock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Worker } from 'node:worker_threads';
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';
import { allocateReport, SharedReportReader, SharedReportWriter } from '../../src/telemetry/shared-report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleUrl = pathToFileURL(path.join(here, '../../src/telemetry/shared-report.js')).href;

// Two reports of different lengths and contents: a torn read mixes their bytes, length, status or stamp.
const LONG = JSON.stringify({
  status: 'ok',
  unhealthy: [],
  components: { redis: { healthy: true, detail: 'x'.repeat(3000) } },
});
const SHORT = JSON.stringify({ status: 'unhealthy', unhealthy: ['redis'] });

test('a reader racing a writer on another thread sees only whole reports', async () => {
  const sab = allocateReport(64 * 1024);
  const reader = new SharedReportReader(sab);
  assert.is(reader.read(), undefined, 'nothing before the first publish');
  const stop = new Int32Array(new SharedArrayBuffer(8));
  const writer = new Worker(
    `
    const { workerData } = require('node:worker_threads');
    import(workerData.moduleUrl).then(({ SharedReportWriter }) => {
      const w = new SharedReportWriter(workerData.sab);
      const enc = new TextEncoder();
      const long = enc.encode(workerData.LONG), short = enc.encode(workerData.SHORT);
      const stop = new Int32Array(workerData.stop);
      let n = 0;
      while (Atomics.load(stop, 0) === 0) {
        if (n % 2 === 0) w.publish(200, long, 1000 + n); else w.publish(503, short, 2000 + n);
        n++;
        Atomics.store(stop, 1, n);
      }
    });`,
    { eval: true, workerData: { sab, moduleUrl, LONG, SHORT, stop: stop.buffer } },
  );
  try {
    while (Atomics.load(stop, 1) < 10) await new Promise((r) => setTimeout(r, 1));
    let seen = 0,
      longs = 0,
      shorts = 0;
    const end = Date.now() + 1500;
    while (Date.now() < end || longs < 100 || shorts < 100) {
      const r = reader.read();
      if (r === undefined) continue;
      seen++;
      if (r.status === 200) {
        longs++;
        if (r.text !== LONG || r.stampMs < 1000 || r.stampMs % 2 !== 0)
          assert.unreachable(`torn long report: status ${r.status}, stamp ${r.stampMs}, ${r.text.length} chars`);
      } else {
        shorts++;
        if (r.status !== 503 || r.text !== SHORT || r.stampMs % 2 !== 1)
          assert.unreachable(`torn short report: status ${r.status}, stamp ${r.stampMs}, ${r.text.length} chars`);
        JSON.parse(r.text);
      }
      if (Date.now() > end + 10_000) break;
    }
    assert.ok(
      longs >= 100 && shorts >= 100,
      `both reports read while being rewritten (${longs} long, ${shorts} short of ${seen})`,
    );
  } finally {
    Atomics.store(stop, 0, 1);
    await writer.terminate();
  }
});

test('a report past the capacity is cut to it, and the next one replaces it whole', () => {
  const sab = allocateReport(16);
  const w = new SharedReportWriter(sab),
    r = new SharedReportReader(sab);
  w.publish(200, new TextEncoder().encode('0123456789abcdefXYZ'), 5);
  assert.equal(r.read(), { status: 200, stampMs: 5, text: '0123456789abcdef' });
  w.publish(503, new TextEncoder().encode('short'), 6);
  assert.equal(r.read(), { status: 503, stampMs: 6, text: 'short' });
});

test.run();
