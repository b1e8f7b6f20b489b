// The do-nothing relay for the end-to-end comparison: WS in -> UDS out in the same process topology as the
// daemon. It subscribes like the daemon, and for every trade frame writes one signal frame carrying the trade
// id to every socket client: the same encoder and the same fields as the daemon's probe signals, so the client
// process decodes the same bytes either way. No parsing beyond the id, no compute, no risk, no I/O.
import { WebSocket } from 'ws';
import { createServer, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';
import { encodeFrame, FrameDecoder } from '../../src/signal/framing.js';
import { encodeSignalFrame } from '../../src/signal/signal-frame.js';
import type { Signal } from '../../src/model/signal.js';

const [url, socketPath] = process.argv.slice(2);
if (!url || !socketPath) { process.stderr.write('usage: relay.js <ws url> <socket>\n'); process.exit(64); }
try { unlinkSync(socketPath!); } catch { /* none */ }
const clients = new Set<Socket>();
const server = createServer((s) => {
  const dec = new FrameDecoder();
  s.on('data', (d) => { const r = dec.push(d); if (r.ok && r.messages.some((m) => m.type === 'hello')) { s.write(encodeFrame({ type: 'welcome', v: 1, seq: 0, instance: 'relay', startedAt: '' })); clients.add(s); } });
  s.on('close', () => clients.delete(s)); s.on('error', () => clients.delete(s));
});
server.listen(socketPath, () => process.stdout.write('listening\n'));
let seq = 0;
const re = /"t":(\d+)/;
function connectWs(): void {
  const ws = new WebSocket(url!, { perMessageDeflate: false });
  ws.on('open', () => ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 })));
  ws.on('message', (data) => {
    const text = data.toString();
    const m = re.exec(text);
    if (!m) return;
    const tradeId = Number(m[1]), ns = Date.now() * 1e6;
    const s: Signal = { seq: ++seq, id: `relay-${seq}`, tsNs: ns, symbol: 'BTCUSDT', venue: 'binance', side: 'buy', strategy: 'probe', price: 61234.5,
      strength: 0, ttlMs: 1, reason: 'latency probe', indicators: { tradeId }, latency: { tsExchNs: ns, tsRecvNs: ns, tsSignalNs: ns } };
    const frame = encodeSignalFrame(s);
    for (const c of clients) c.write(frame);
  });
  ws.on('close', () => setTimeout(connectWs, 50));
  ws.on('error', () => undefined);
}
connectWs();
process.on('SIGTERM', () => { server.close(); process.exit(0); });
