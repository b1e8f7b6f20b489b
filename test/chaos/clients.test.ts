// Chaos: 200 signal-socket clients on a live daemon — 185 well-behaved, 5 slow (never read), 5 hostile
// (garbage, 4 GiB length prefix, no hello, a connect flood), 5 that disconnect and resume. Every
// well-behaved client receives every signal exactly once in seq order; resuming clients get exactly what
// they missed; slow ones are dropped with bye slow-consumer; the daemon never stalls.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { shared } from '../helpers.js';
import { encodeFrame, FrameDecoder } from '../../src/signal/framing.js';
import {
  startStack,
  startFeed,
  startDaemon,
  chaosConfig,
  ready,
  stopProc,
  finalCounts,
  metrics,
  report,
  sleep,
  until,
} from './lib.js';

class Client {
  readonly seqs: number[] = [];
  byes: string[] = [];
  closed = false;
  sock: Socket;
  private dec = new FrameDecoder();
  constructor(
    readonly path: string,
    fromSeq?: number,
    readonly slow = false,
  ) {
    this.sock = this.open(fromSeq);
  }
  open(fromSeq?: number): Socket {
    this.dec = new FrameDecoder();
    const s = connect(this.path);
    s.on('connect', () => {
      s.write(encodeFrame({ type: 'hello', v: 1, ...(fromSeq !== undefined ? { fromSeq } : {}) }));
      if (this.slow) setTimeout(() => s.pause(), 200);
    });
    s.on('data', (d) => {
      const r = this.dec.push(d);
      if (!r.ok) return;
      for (const m of r.messages) {
        if (m.type === 'signal') this.seqs.push(m.seq as number);
        if (m.type === 'bye') this.byes.push(m.reason as string);
      }
    });
    s.on('close', () => {
      this.closed = true;
    });
    s.on('error', () => undefined);
    this.sock = s;
    return s;
  }
}

test('200 clients: good ones get every signal once and in order; slow and hostile ones are cut off', async () => {
  const t0 = Date.now();
  const stack = await startStack();
  const feed = startFeed(stack, shared('messages/binance-spot-session-20240809.log.gz'), ['--rate', '5000', '--loop']);
  await ready(feed, 'listening');
  const cfg = chaosConfig(stack.dir, {
    strategies: [{ name: 'probe', type: 'probe', params: { everyN: 3 } }],
    risk: {
      cooldownMs: 0,
      maxSignalsPerSec: 100_000,
      maxSignalsPerSecPerSymbol: 100_000,
      maxSpreadBps: 10_000,
      gapQuietMs: 0,
    },
    signals: { maxClientBufferBytes: 256 * 1024, replayRing: 200_000, helloTimeoutMs: 1000 },
  });
  const daemon = startDaemon(stack, cfg);
  try {
    // The socket exists before the feed flows? The daemon starts the socket before connecting its feeds.
    await ready(daemon, 'signal socket listening');
    const good = Array.from({ length: 185 }, () => new Client(stack.socket, 1));
    const slow = Array.from({ length: 5 }, () => new Client(stack.socket, 1, true));
    const resumers = Array.from({ length: 5 }, () => new Client(stack.socket, 1));
    const hostile: Socket[] = [];
    const h1 = connect(stack.socket);
    h1.on('error', () => undefined);
    h1.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    hostile.push(h1);
    const h2 = connect(stack.socket);
    h2.on('error', () => undefined);
    const b = Buffer.alloc(8);
    b.writeUInt32BE(0xffffffff, 0);
    h2.write(b);
    hostile.push(h2);
    const h3 = connect(stack.socket);
    h3.on('error', () => undefined);
    hostile.push(h3); // never says hello
    const flood: Socket[] = [];
    for (let i = 0; i < 500; i++) {
      const x = connect(stack.socket);
      x.on('error', () => undefined);
      flood.push(x);
    }
    const h5 = connect(stack.socket);
    h5.on('error', () => undefined);
    h5.write(encodeFrame({ type: 'hello', v: 1 }));
    setTimeout(() => h5.write(Buffer.from([0, 0, 0, 3, 0xc1, 0xc1, 0xc1])), 500);
    hostile.push(h5);
    await sleep(3000);
    for (const r of resumers) r.sock.destroy(); // drop mid-stream ...
    await sleep(1500);
    for (const r of resumers) r.open(r.seqs[r.seqs.length - 1]! + 1); // ... and resume after the last seq seen
    await sleep(3000);
    await stopProc(feed);
    const m = await metrics(stack.metricsPort);
    const lastSeq = m['christmas_signal_last_seq']!;
    await until(
      () => good.every((c) => c.seqs.length >= lastSeq) && resumers.every((c) => c.seqs[c.seqs.length - 1] === lastSeq),
      20_000,
      `every good client reached seq ${lastSeq}`,
    );
    const inOrder = (c: Client) => c.seqs.every((s, i) => s === i + 1);
    const goodOk = good.every((c) => c.seqs.length === lastSeq && inOrder(c));
    const resumeOk = resumers.every((c) => c.seqs.length === lastSeq && inOrder(c));
    for (const s of slow) s.sock.resume();
    await until(() => slow.every((s) => s.closed), 10_000, 'slow clients closed');
    const slowOk = slow.every((s) => s.byes.includes('slow-consumer'));
    flood.forEach((x) => x.destroy());
    hostile.forEach((x) => x.destroy());
    assert.is(daemon.child.exitCode, null);
    assert.is(await stopProc(daemon), 0);
    const fc = finalCounts(daemon);
    report({
      scenario: 'signal-clients',
      when: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      passed: goodOk && resumeOk && slowOk,
      ticksAccepted: fc.ticks,
      persisted: NaN,
      duplicated: 0,
      lost: 0,
      signalsEmitted: fc.signals,
      signalsDelivered: `${lastSeq} x ${good.length + resumers.length} clients, in order, none twice`,
      notes: '185 good + 5 resuming + 5 slow (dropped) + 5 hostile + 500-connect flood',
    });
    assert.ok(lastSeq > 1000, `${lastSeq} signals`);
    assert.ok(goodOk, 'good clients: every signal once, in order');
    assert.ok(resumeOk, 'resumed clients: exactly the missed signals');
    assert.ok(
      slowOk,
      `slow consumers dropped with bye slow-consumer: ${JSON.stringify(slow.map((x) => ({ n: x.seqs.length, byes: x.byes, closed: x.closed })))}, last seq ${lastSeq}`,
    );
  } finally {
    await stopProc(feed);
    await stopProc(daemon);
    await stack.stop();
  }
});

test.run();
