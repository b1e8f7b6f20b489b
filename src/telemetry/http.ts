// Loopback HTTP endpoint: /metrics (Prometheus text) and /health (200 with a JSON summary, or 503
// naming the unhealthy components). Answers from in-memory state only, so it stays fast under load.
import { createServer, type Server } from 'node:http';
import type client from 'prom-client';

export interface HealthReport { healthy: boolean; components: Record<string, { healthy: boolean; detail?: string }> }

export class MetricsServer {
  private server: Server | undefined;
  constructor(private readonly registry: client.Registry, private readonly health: () => HealthReport) {}

  async start(listen: string): Promise<string> {
    const i = listen.lastIndexOf(':');
    const host = listen.slice(0, i).replace(/^\[|\]$/g, ''), port = Number(listen.slice(i + 1));
    this.server = createServer((req, res) => {
      if (req.url === '/metrics') {
        this.registry.metrics().then((text) => { res.writeHead(200, { 'content-type': this.registry.contentType }); res.end(text); },
          (err: Error) => { res.writeHead(500); res.end(err.message); });
      } else if (req.url === '/health') {
        const h = this.health();
        const unhealthy = Object.entries(h.components).filter(([, c]) => !c.healthy).map(([n]) => n);
        res.writeHead(h.healthy ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: h.healthy ? 'ok' : 'unhealthy', unhealthy, components: h.components }));
      } else { res.writeHead(404); res.end('not found: try /metrics or /health\n'); }
    });
    await new Promise<void>((resolve, reject) => { this.server!.once('error', reject); this.server!.listen(port, host, () => resolve()); });
    const a = this.server.address() as { port: number };
    return `http://${host}:${a.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => { if (!this.server) return resolve(); this.server.close(() => resolve()); this.server.closeAllConnections?.(); });
  }
}
