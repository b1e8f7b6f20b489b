// End-to-end benchmark client process: connects to the signal socket and records, for every signal, the trade
// id the probe strategy (or the relay) carries, the monotonic receive time, and the signal's own
// latency.tsRecvNs / tsSignalNs (the sender's frame receive and signal build times, its clock). Raw protocol
// (no client library). The samples go into preallocated typed arrays, not strings: a client whose heap grows
// with every message pays scavenges and mark-compacts of milliseconds that would show up as the measured tail
// (and more so with larger frames). The log "<trade id> <monotonic receive ns> <tsRecvNs> <tsSignalNs>" is
// written on SIGTERM.
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { encodeFrame, FrameDecoder } from '../../src/signal/framing.js';

const [socketPath, logFile] = process.argv.slice(2);
if (!socketPath || !logFile) {
  process.stderr.write('usage: client.js <socket> <log file>\n');
  process.exit(64);
}
const CAPACITY = 4_000_000;
const ids = new Float64Array(CAPACITY),
  recvNs = new Float64Array(CAPACITY),
  senderRecvNs = new Float64Array(CAPACITY),
  senderSignalNs = new Float64Array(CAPACITY);
let n = 0,
  received = 0;
/** hrtime as a float64 of ns: exact to the ns for ~104 days of uptime, no BigInt per message. */
const nowNs = (): number => {
  const t = process.hrtime();
  return t[0] * 1e9 + t[1];
};
function start(): void {
  const s = connect(socketPath!);
  const dec = new FrameDecoder();
  s.on('connect', () => {
    s.write(encodeFrame({ type: 'hello', v: 1 }));
    process.stdout.write('connected\n');
  });
  s.on('data', (d) => {
    const now = nowNs();
    const r = dec.push(d);
    if (!r.ok) {
      process.stderr.write(`protocol: ${r.reason}\n`);
      return;
    }
    for (const m of r.messages) {
      if (m.type !== 'signal') continue;
      received++;
      const id = (m.indicators as { tradeId?: number } | undefined)?.tradeId;
      if (id !== undefined && n < CAPACITY) {
        const lat = m.latency as { tsRecvNs?: number; tsSignalNs?: number } | undefined;
        ids[n] = id;
        recvNs[n] = now;
        senderRecvNs[n] = lat?.tsRecvNs ?? NaN;
        senderSignalNs[n] = lat?.tsSignalNs ?? NaN;
        n++;
      }
    }
  });
  s.on('error', () => setTimeout(start, 50));
}
start();
process.on('SIGTERM', () => {
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = `${ids[i]} ${recvNs[i]} ${senderRecvNs[i]} ${senderSignalNs[i]}`;
  writeFileSync(logFile!, out.join('\n') + '\n');
  process.stderr.write(JSON.stringify({ received }) + '\n');
  process.exit(0);
});
