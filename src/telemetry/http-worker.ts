// The metrics/health HTTP server, run in its own thread so /health answers in time even when the main
// thread is saturated: the main thread publishes its health report into shared memory every 100 ms and this
// thread serves the latest one (a report older than 2 s is itself a failure: the event loop is stuck).
// /metrics is asked of the main thread over the message port (Prometheus scrapes tolerate that).
import { parentPort, workerData } from 'node:worker_threads';
import { createServer } from 'node:http';
import { SharedReportReader } from './shared-report.js';

interface Data {
  host: string;
  port: number;
  sab: SharedArrayBuffer;
  staleMs: number;
}
const { host, port, sab, staleMs } = workerData as Data;
const reports = new SharedReportReader(sab);
let nextId = 1;
const pending = new Map<number, (r: { status: number; type: string; text: string }) => void>();
parentPort!.on('message', (m: { id: number; status: number; type: string; text: string }) => {
  pending.get(m.id)?.(m);
  pending.delete(m.id);
});

const server = createServer((req, res) => {
  if (req.url === '/health/live') {
    // Liveness: the main thread's event loop turns (it publishes a report every 100 ms), whatever the venues do.
    const report = reports.read();
    const age = report === undefined ? Infinity : Date.now() - report.stampMs;
    const live = age <= staleMs;
    res.writeHead(live ? 200 : 503, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ status: live ? 'live' : 'stalled', reportAgeMs: Number.isFinite(age) ? Math.round(age) : null }),
    );
    return;
  }
  if (req.url === '/health') {
    const report = reports.read();
    const age = report === undefined ? 0 : Date.now() - report.stampMs;
    if (report === undefined || age > staleMs) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'unhealthy',
          unhealthy: ['eventLoop'],
          components: {
            eventLoop: {
              healthy: false,
              detail:
                report === undefined ? 'starting' : `no health report from the main thread for ${Math.round(age)} ms`,
            },
          },
        }),
      );
      return;
    }
    res.writeHead(report.status, { 'content-type': 'application/json' });
    res.end(report.text);
    return;
  }
  if (req.url === '/metrics') {
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      res.writeHead(503);
      res.end('main thread did not answer within 10 s\n');
    }, 10_000);
    pending.set(id, (r) => {
      clearTimeout(timer);
      res.writeHead(r.status, { 'content-type': r.type });
      res.end(r.text);
    });
    parentPort!.postMessage({ id, type: 'metrics' });
    return;
  }
  res.writeHead(404);
  res.end('not found: try /metrics, /health or /health/live\n');
});
server.listen(port, host, () =>
  parentPort!.postMessage({ type: 'listening', port: (server.address() as { port: number }).port }),
);
server.on('error', (err) => parentPort!.postMessage({ type: 'error', message: err.message }));
parentPort!.on('close', () => server.close());
