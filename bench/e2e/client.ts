// End-to-end benchmark client process: connects to the signal socket, records "<trade id> <monotonic
// receive ns>" for every signal (the probe strategy and the relay both carry the trade id), writes the log
// on SIGTERM. Raw protocol (no client library) so it costs as little as possible.
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { encodeFrame, FrameDecoder } from '../../src/signal/framing.js';

const [socketPath, logFile] = process.argv.slice(2);
if (!socketPath || !logFile) { process.stderr.write('usage: client.js <socket> <log file>\n'); process.exit(64); }
const lines: string[] = [];
let received = 0;
function start(): void {
  const s = connect(socketPath!);
  const dec = new FrameDecoder();
  s.on('connect', () => { s.write(encodeFrame({ type: 'hello', v: 1 })); process.stdout.write('connected\n'); });
  s.on('data', (d) => {
    const now = process.hrtime.bigint();
    const r = dec.push(d);
    if (!r.ok) { process.stderr.write(`protocol: ${r.reason}\n`); return; }
    for (const m of r.messages) {
      if (m.type !== 'signal') continue;
      received++;
      const id = (m.indicators as { tradeId?: number } | undefined)?.tradeId;
      if (id !== undefined) lines.push(`${id} ${now}`);
    }
  });
  s.on('error', () => setTimeout(start, 50));
}
start();
process.on('SIGTERM', () => { writeFileSync(logFile!, lines.join('\n') + '\n'); process.stderr.write(JSON.stringify({ received }) + '\n'); process.exit(0); });
