// Signal socket protocol v1 with a raw socket client: every message type, replay and gap, symbol filter,
// NDJSON, hostile clients, 100 concurrent clients, slow consumers, stale/live socket files, and the
// client library's resume after reconnect.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync, existsSync, statSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignalServer, type SignalServerOptions } from '../../src/signal/server.js';
import { encodeFrame, FrameDecoder, JsonLineDecoder } from '../../src/signal/framing.js';
import { SignalClient } from '../../src/signal/client.js';
import { SocketInUseError, SocketPathError } from '../../src/model/errors.js';
import { ControlServer } from '../../src/signal/control.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import type { Signal } from '../../src/model/signal.js';
import { until, sleep, cliPath } from '../helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-sig-'));
let n = 0;
const sockPath = () => path.join(dir, `s${++n}.sock`);

function server(o: Partial<SignalServerOptions> = {}) {
  let seq = 0;
  const s = new SignalServer({
    socketPath: sockPath(),
    socketMode: 0o660,
    replayRing: 100,
    replayRingBytes: 1 << 20,
    maxClientBufferBytes: 1 << 20,
    heartbeatMs: 100_000,
    maxClients: 1000,
    maxPendingClients: 64,
    helloTimeoutMs: 300,
    instance: 'test',
    lastSeq: () => seq,
    ...o,
  });
  const publish = (symbol = 'BTCUSDT') => {
    seq++;
    const sig: Signal = {
      seq,
      id: `test-${seq}`,
      tsNs: 1,
      symbol,
      venue: 'binance',
      side: seq % 2 ? 'buy' : 'sell',
      strategy: 'x',
      price: 100 + seq,
      strength: 0.5,
      ttlMs: 100,
      reason: 'r',
      indicators: { a: seq },
      latency: { tsExchNs: 1, tsRecvNs: 2, tsSignalNs: 3, tsRecvRemNs: NaN, tsSignalRemNs: NaN },
    };
    s.publish(sig);
    return sig;
  };
  return { s, publish };
}

class Raw {
  readonly sock: Socket;
  readonly msgs: Array<Record<string, unknown>> = [];
  private dec: FrameDecoder | JsonLineDecoder = new FrameDecoder();
  closed = false;
  error: string | undefined;
  constructor(
    p: string,
    private readonly json = false,
  ) {
    this.sock = connect(p);
    this.sock.on('data', (d) => {
      let input: Buffer = d;
      if (this.json && this.dec instanceof FrameDecoder && !this.msgs.some((m) => m.type === 'welcome')) {
        const r = this.dec.push(d, 1);
        if (r.ok && r.messages.length) {
          this.msgs.push(r.messages[0]!);
          input = this.dec.takeRest();
          this.dec = new JsonLineDecoder();
        } else return;
      }
      const r = this.dec.push(input);
      if (r.ok) this.msgs.push(...r.messages);
      else this.error = r.reason;
    });
    this.sock.on('close', () => {
      this.closed = true;
    });
    this.sock.on('error', () => undefined);
  }
  send(m: Record<string, unknown>) {
    this.sock.write(encodeFrame(m));
  }
  of(type: string) {
    return this.msgs.filter((m) => m.type === type);
  }
}

test('hello -> welcome, then signals in seq order; heartbeats; bye on shutdown', async () => {
  const { s, publish } = server({ heartbeatMs: 50 });
  await s.start();
  const c = new Raw(s['opts'].socketPath);
  c.send({ type: 'hello', v: 1 });
  await until(() => c.of('welcome').length === 1, 2000, 'welcome');
  const w = c.of('welcome')[0]!;
  assert.equal([w.v, w.seq, w.instance, typeof w.startedAt], [1, 0, 'test', 'string']);
  for (let i = 0; i < 20; i++) publish();
  await until(() => c.of('signal').length === 20, 2000, 'signals');
  assert.equal(
    c.of('signal').map((m) => m.seq),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  const sig = c.of('signal')[0]!;
  for (const k of [
    'seq',
    'id',
    'tsNs',
    'symbol',
    'venue',
    'side',
    'strategy',
    'price',
    'strength',
    'ttlMs',
    'reason',
    'indicators',
    'latency',
  ])
    assert.ok(k in sig, `signal has ${k}`);
  await until(() => c.of('heartbeat').length >= 2, 2000, 'heartbeats');
  assert.is(c.of('heartbeat')[0]!.seq, 20);
  await s.stop();
  await until(() => c.closed, 2000, 'closed');
  assert.equal(c.of('bye')[0], { type: 'bye', reason: 'shutdown' });
});

test('replay from fromSeq out of the ring, with gap when the ring no longer holds it; symbol filter', async () => {
  const { s, publish } = server({ replayRing: 10 });
  await s.start();
  for (let i = 0; i < 30; i++) publish(i % 3 === 0 ? 'ETHUSDT' : 'BTCUSDT');
  const a = new Raw(s['opts'].socketPath);
  a.send({ type: 'hello', v: 1, fromSeq: 25 });
  await until(() => a.of('signal').length === 6, 2000, 'replayed 25..30');
  assert.equal(
    a.of('signal').map((m) => m.seq),
    [25, 26, 27, 28, 29, 30],
  );
  assert.is(a.of('gap').length, 0);
  const b = new Raw(s['opts'].socketPath);
  b.send({ type: 'hello', v: 1, fromSeq: 5 });
  await until(() => b.of('signal').length === 10, 2000, 'replayed the ring');
  assert.equal(b.of('gap'), [{ type: 'gap', fromSeq: 5, toSeq: 20 }]);
  assert.is(
    b.msgs.findIndex((m) => m.type === 'gap') < b.msgs.findIndex((m) => m.type === 'signal'),
    true,
    'gap comes first',
  );
  const f = new Raw(s['opts'].socketPath);
  f.send({ type: 'hello', v: 1, fromSeq: 21, symbols: ['ETHUSDT'] });
  await sleep(100);
  publish('ETHUSDT');
  publish('BTCUSDT');
  await until(() => f.of('signal').some((m) => m.seq === 31), 2000, 'filtered live signal');
  assert.ok(f.of('signal').every((m) => m.symbol === 'ETHUSDT'));
  assert.equal(
    f.of('signal').map((m) => m.seq),
    [22, 25, 28, 31],
  );
  await s.stop();
});

test('format json: frames after the welcome are newline-delimited JSON', async () => {
  const { s, publish } = server();
  await s.start();
  const c = new Raw(s['opts'].socketPath, true);
  c.send({ type: 'hello', v: 1, format: 'json' });
  await until(() => c.of('welcome').length === 1, 2000, 'welcome');
  publish();
  publish();
  await until(() => c.of('signal').length === 2, 2000, 'json signals');
  assert.is(c.of('signal')[1]!.seq, 2);
  await s.stop();
});

test('format json: live lines (shared by clients) and replayed lines (decoded from the ring) are the same signal', async () => {
  const { s, publish } = server();
  await s.start();
  const p = s['opts'].socketPath;
  const live = [new Raw(p, true), new Raw(p, true)];
  for (const c of live) c.send({ type: 'hello', v: 1, format: 'json' });
  await until(() => live.every((c) => c.of('welcome').length === 1), 2000, 'welcomes');
  const sent = [publish('BTCUSDT'), publish('ETHUSDT'), publish('BTCUSDT')];
  await until(() => live.every((c) => c.of('signal').length === 3), 2000, 'live json signals');
  const late = new Raw(p, true);
  late.send({ type: 'hello', v: 1, format: 'json', fromSeq: 1 });
  await until(() => late.of('signal').length === 3, 2000, 'replayed json signals');
  const want = sent.map((sig) => {
    const { tsExchNs, tsRecvNs, tsSignalNs } = sig.latency; // the exact remainders are not sent
    return { type: 'signal', ...sig, latency: { tsExchNs, tsRecvNs, tsSignalNs } };
  });
  for (const c of [...live, late]) assert.equal(c.of('signal'), want);
  await s.stop();
});

test('hostile clients are closed with a reason and never disturb a good client', async () => {
  const { s, publish } = server();
  await s.start();
  const p = s['opts'].socketPath;
  const good = new Raw(p);
  good.send({ type: 'hello', v: 1 });
  await until(() => good.of('welcome').length === 1, 2000, 'good welcome');
  const garbage = new Raw(p);
  garbage.sock.write(Buffer.from([0, 0, 0, 5, 0xc1, 0xc1, 0xc1, 0xc1, 0xc1]));
  const huge = new Raw(p);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(0xffffffff, 0);
  huge.sock.write(h);
  const silent = new Raw(p);
  const notHello = new Raw(p);
  notHello.send({ type: 'signal', seq: 1 });
  const badVersion = new Raw(p);
  badVersion.send({ type: 'hello', v: 2 });
  const badSeq = new Raw(p);
  badSeq.send({ type: 'hello', v: 1, fromSeq: 'x' });
  const notMap = new Raw(p);
  notMap.sock.write(encodeFrame({ a: 1 }).subarray(0, 4));
  notMap.sock.write(Buffer.from([0x01, 0x02, 0x03, 0x04]).subarray(0, 0));
  const arr = new Raw(p);
  {
    const body = Buffer.from([0x93, 1, 2, 3]);
    const hd = Buffer.alloc(4);
    hd.writeUInt32BE(body.length, 0);
    arr.sock.write(Buffer.concat([hd, body]));
  }
  const lateJunk = new Raw(p);
  lateJunk.send({ type: 'hello', v: 1 });
  await sleep(50);
  lateJunk.send({ type: 'hello', v: 1 });
  for (const [name, c, reason] of [
    ['garbage', garbage, 'protocol-error'],
    ['huge', huge, 'protocol-error'],
    ['silent', silent, 'hello-timeout'],
    ['notHello', notHello, 'protocol-error'],
    ['badVersion', badVersion, 'unsupported-version'],
    ['badSeq', badSeq, 'protocol-error'],
    ['array', arr, 'protocol-error'],
    ['lateJunk', lateJunk, 'protocol-error'],
  ] as const) {
    await until(() => c.closed, 3000, `${name} closed`);
    assert.is(c.of('bye')[0]?.reason, reason, `${name}: ${JSON.stringify(c.msgs)}`);
  }
  // a flood of connects that never say hello
  const flood: Socket[] = [];
  for (let i = 0; i < 2000; i++) {
    const x = connect(p);
    x.on('error', () => undefined);
    flood.push(x);
  }
  publish();
  await until(() => good.of('signal').length === 1, 3000, 'good client still served during the flood');
  await until(() => s.clientCount <= 1 + 1, 5000, 'flood connections closed by the hello timeout');
  flood.forEach((x) => x.destroy());
  publish();
  await until(() => good.of('signal').length === 2, 2000, 'good client after the flood');
  assert.is(good.closed, false);
  notMap.sock.destroy();
  await s.stop();
});

test('100 concurrent clients each receive every signal once, in order; a slow consumer is dropped while the others keep up', async () => {
  const { s, publish } = server({ maxClientBufferBytes: 64 * 1024, replayRing: 10_000 });
  await s.start();
  const p = s['opts'].socketPath;
  const clients = Array.from({ length: 100 }, () => new Raw(p));
  clients.forEach((c) => c.send({ type: 'hello', v: 1 }));
  await until(() => clients.every((c) => c.of('welcome').length === 1), 5000, 'all welcomed');
  const slow = new Raw(p);
  slow.send({ type: 'hello', v: 1 });
  await until(() => slow.of('welcome').length === 1, 2000, 'slow welcomed');
  slow.sock.pause(); // never reads again
  const total = 3000;
  for (let i = 0; i < total; i++) {
    publish();
    if (i % 200 === 0) await sleep(1);
  }
  await until(() => clients.every((c) => c.of('signal').length === total), 20_000, 'every client got every signal');
  for (const c of clients) {
    const seqs = c.of('signal').map((m) => m.seq as number);
    for (let i = 0; i < seqs.length; i++)
      if (seqs[i] !== i + 1) assert.unreachable(`out of order or duplicate at ${i}: ${seqs[i]}`);
  }
  await until(() => s.stats.slowDrops === 1, 5000, 'slow consumer dropped');
  slow.sock.resume();
  await until(() => slow.closed, 5000, 'slow consumer closed');
  assert.is(slow.of('bye').at(-1)?.reason, 'slow-consumer');
  assert.ok(slow.of('signal').length < total);
  await s.stop();
});

test('a reader cannot send commands: a command frame on the signal socket is a protocol-error bye', async () => {
  const { s } = server();
  await s.start();
  const c = new Raw(s['opts'].socketPath);
  c.send({ type: 'hello', v: 1 });
  await until(() => c.of('welcome').length === 1, 2000, 'welcome');
  c.send({ type: 'command', name: 'kill-switch', on: true });
  await until(() => c.closed, 3000, 'closed');
  const bye = c.of('bye')[0]!;
  assert.is(bye.reason, 'protocol-error');
  assert.match(String(bye.detail), /control socket/);
  await s.stop();
});

test('the control socket (mode 0600): kill switch and status, one reply frame per request; bad requests answered', async () => {
  const p = sockPath();
  let killed = false;
  const ctl = new ControlServer(
    p,
    0o600,
    { killSwitch: (on) => (killed = on), status: () => ({ instance: 'test', killSwitch: killed }) },
    silentLogger,
  );
  await ctl.start();
  assert.is(statSync(p).mode & 0o777, 0o600);
  const c = new Raw(p);
  c.send({ type: 'command', name: 'kill-switch', on: true });
  c.send({ type: 'command', name: 'status' });
  c.send({ type: 'command', name: 'kill-switch', on: 'yes' });
  c.send({ type: 'command', name: 'reboot' });
  c.send({ type: 'hello', v: 1 });
  await until(() => c.msgs.length === 5, 2000, 'five replies');
  assert.equal(c.msgs[0], { type: 'result', ok: true, name: 'kill-switch', killSwitch: true });
  assert.equal(c.msgs[1], { type: 'result', ok: true, name: 'status', status: { instance: 'test', killSwitch: true } });
  assert.equal(
    c.msgs.slice(2).map((m) => m.ok),
    [false, false, false],
  );
  assert.is(killed, true);
  assert.is(c.closed, false);
  await ctl.stop();
  assert.not.ok(existsSync(p), 'removed on stop');
});

test('connections that never say hello are limited apart from maxClients: routers still get in', async () => {
  const { s } = server({ maxPendingClients: 5, maxClients: 2, helloTimeoutMs: 60_000 });
  await s.start();
  const p = s['opts'].socketPath;
  const idle = Array.from({ length: 5 }, () => new Raw(p));
  await sleep(100);
  const sixth = new Raw(p);
  await until(() => sixth.closed, 3000, 'the sixth idle connection refused');
  assert.is(sixth.of('bye')[0]?.reason, 'too-many-clients');
  idle.slice(0, 2).forEach((c) => c.sock.destroy()); // two idle ones go away: room for two routers to connect
  await sleep(100);
  const routers = [new Raw(p), new Raw(p)];
  for (const r of routers) r.send({ type: 'hello', v: 1 });
  await until(() => routers.every((r) => r.of('welcome').length === 1), 3000, 'routers welcomed');
  assert.is(s.clientCount, 5, 'three idle and two live');
  idle[2]!.sock.destroy();
  await sleep(100);
  const third = new Raw(p);
  third.send({ type: 'hello', v: 1 });
  await until(() => third.closed, 3000, 'a third live client is refused at hello');
  assert.is(third.of('bye')[0]?.reason, 'too-many-clients');
  for (const c of [...idle, ...routers]) c.sock.destroy();
  await s.stop();
});

test('christmas tail --from-seq 1 --count 3 prints exactly three signals of a longer backlog', async () => {
  const { s, publish } = server();
  await s.start();
  for (let i = 0; i < 10; i++) publish();
  const r = spawn(
    process.execPath,
    [cliPath, 'tail', '--socket', s['opts'].socketPath, '--from-seq', '1', '--count', '3', '--json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  r.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise((res) => r.once('exit', res));
  assert.is(code, 0);
  assert.equal(
    out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { seq: number }).seq),
    [1, 2, 3],
  );
  await s.stop();
});

test('fromSeq ahead of the live seq is a protocol-error; fromSeq = last + 1 is a clean resume', async () => {
  const { s, publish } = server();
  await s.start();
  publish();
  publish();
  const ahead = new Raw(s['opts'].socketPath);
  ahead.send({ type: 'hello', v: 1, fromSeq: 4 });
  await until(() => ahead.closed, 3000, 'closed');
  assert.is(ahead.of('bye')[0]?.reason, 'protocol-error');
  assert.match(String(ahead.of('bye')[0]?.detail), /fromSeq 4 is ahead of the live seq 2/);
  const next = new Raw(s['opts'].socketPath);
  next.send({ type: 'hello', v: 1, fromSeq: 3 });
  await until(() => next.of('welcome').length === 1, 2000, 'welcome');
  await sleep(50);
  assert.equal(next.of('gap'), []);
  assert.equal(next.of('signal'), []);
  publish();
  await until(() => next.of('signal').length === 1, 2000, 'the next signal');
  assert.is(next.of('signal')[0]!.seq, 3);
  next.sock.destroy();
  await s.stop();
});

test('socket file: mode from config, a stale socket file is replaced, a live one refused, anything else kept', async () => {
  const p = sockPath();
  // A socket file whose process is gone (bound, never unlinked).
  const bound = spawnSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(p)})`]);
  assert.is(bound.status, 0, 'python3 left a stale socket file');
  const a = server({ socketPath: p, socketMode: 0o600 });
  await a.s.start();
  assert.is(statSync(p).mode & 0o777, 0o600);
  const b = server({ socketPath: p });
  try {
    await b.s.start();
    assert.unreachable('a live socket must be refused');
  } catch (err) {
    assert.instance(err, SocketInUseError);
  }
  await a.s.stop();
  assert.not.ok(existsSync(p), 'removed on stop');
  writeFileSync(p, 'not a socket');
  try {
    await server({ socketPath: p }).s.start();
    assert.unreachable('a regular file must never be replaced');
  } catch (err) {
    assert.instance(err, SocketPathError);
  }
  assert.is(readFileSync(p, 'utf8'), 'not a socket', 'the file is untouched');
});

test('client library: resumes after a reconnect with exactly the missed signals', async () => {
  const p = sockPath();
  let seq = 0;
  const mk = () =>
    new SignalServer({
      socketPath: p,
      socketMode: 0o660,
      replayRing: 1000,
      replayRingBytes: 1 << 20,
      maxClientBufferBytes: 1 << 20,
      heartbeatMs: 1000,
      maxClients: 10,
      maxPendingClients: 10,
      helloTimeoutMs: 1000,
      instance: 'lib',
      lastSeq: () => seq,
    });
  const ring: Signal[] = [];
  const pub = (srv: SignalServer) => {
    seq++;
    const sig = {
      seq,
      id: `lib-${seq}`,
      tsNs: 1,
      symbol: 'BTCUSDT',
      venue: 'binance',
      side: 'buy',
      strategy: 's',
      price: 1,
      strength: 1,
      ttlMs: 1,
      reason: '',
      indicators: {},
      latency: { tsExchNs: 1, tsRecvNs: 1, tsSignalNs: 1, tsRecvRemNs: NaN, tsSignalRemNs: NaN },
    } as Signal;
    ring.push(sig);
    srv.publish(sig);
  };
  let srv = mk();
  await srv.start();
  const got: number[] = [];
  const client = new SignalClient({ socketPath: p });
  client.on('signal', (m) => got.push(m.seq));
  client.start();
  await until(() => srv.clientCount === 1, 2000, 'connected');
  await sleep(50);
  for (let i = 0; i < 10; i++) pub(srv);
  await until(() => got.length === 10, 2000, 'first 10');
  await srv.stop();
  // the daemon restarts: its ring is refilled from the signals it kept (here: the same process' list)
  srv = mk();
  for (let i = 0; i < 5; i++) {
    seq++;
    const sig = { ...ring[0]!, seq, id: `lib-${seq}` };
    ring.push(sig);
  }
  for (const sg of ring) srv.ring.push(sg.seq, sg.symbol, encodeFrame({ type: 'signal', ...sg }));
  await srv.start();
  await until(() => got.length === 15, 5000, 'missed signals replayed after reconnect');
  pub(srv);
  await until(() => got.length === 16, 2000, 'live again');
  assert.equal(
    got,
    Array.from({ length: 16 }, (_, i) => i + 1),
  );
  client.stop();
  await srv.stop();
});

test.run();
