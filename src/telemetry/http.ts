// Loopback HTTP endpoint: /metrics (Prometheus text), /health (readiness: 200 with a JSON summary, or 503 naming
// the unhealthy components) and /health/live (liveness: the event loop turns). The server runs in a worker thread
// (http-worker.ts) fed from shared memory, so /health stays fast under full load; /metrics is rendered here.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type client from 'prom-client';
import { allocateReport, SharedReportWriter } from './shared-report.js';
import { ListenError } from '../model/errors.js';

export interface HealthReport {
  healthy: boolean;
  components: Record<string, { healthy: boolean; detail?: string }>;
}

const REPORT_CAPACITY_BYTES = 64 * 1024;
const encoder = new TextEncoder();

export class MetricsServer {
  private worker: Worker | undefined;
  private publisher: NodeJS.Timeout | undefined;
  private readonly sab = allocateReport(REPORT_CAPACITY_BYTES);
  private readonly report = new SharedReportWriter(this.sab);
  constructor(
    private readonly registry: client.Registry,
    private readonly health: () => HealthReport,
    private readonly publishEveryMs = 100,
  ) {}

  /** Writes the current health report where the HTTP thread reads it. */
  private publish(): void {
    const h = this.health();
    const unhealthy = Object.entries(h.components)
      .filter(([, c]) => !c.healthy)
      .map(([n]) => n);
    const bytes = encoder.encode(
      JSON.stringify({ status: h.healthy ? 'ok' : 'unhealthy', unhealthy, components: h.components }),
    );
    this.report.publish(h.healthy ? 200 : 503, bytes, Date.now());
  }

  async start(listen: string): Promise<string> {
    const i = listen.lastIndexOf(':');
    const host = listen.slice(0, i).replace(/^\[|\]$/g, ''),
      port = Number(listen.slice(i + 1));
    this.publish();
    this.publisher = setInterval(() => this.publish(), this.publishEveryMs);
    this.publisher.unref();
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'http-worker.js');
    const w = new Worker(file, { workerData: { host, port, sab: this.sab, staleMs: 2000 } });
    this.worker = w;
    w.on('message', (m: { id?: number; type: string; port?: number; message?: string }) => {
      if (m.type !== 'metrics' || m.id === undefined) return;
      this.registry.metrics().then(
        (text) => w.postMessage({ id: m.id, status: 200, type: this.registry.contentType, text }),
        (err: Error) => w.postMessage({ id: m.id, status: 500, type: 'text/plain', text: err.message }),
      );
    });
    const bound = await new Promise<number>((resolve, reject) => {
      const onMsg = (m: { type: string; port?: number; message?: string }) => {
        if (m.type === 'listening') {
          w.off('message', onMsg);
          resolve(m.port!);
        }
        if (m.type === 'error') {
          w.off('message', onMsg);
          reject(new ListenError(`metrics.listen ${listen}`, m.message ?? 'listen failed'));
        }
      };
      w.on('message', onMsg);
      w.once('error', reject);
    });
    w.unref();
    return `http://${host}:${bound}`;
  }

  async stop(): Promise<void> {
    clearInterval(this.publisher);
    await this.worker?.terminate();
  }
}
