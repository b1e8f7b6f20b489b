// The signal socket server (protocol v1, DESIGN.md §5): Unix stream socket, hello/welcome, symbol
// filter, replay from fromSeq out of the ring (or `gap`), heartbeats, msgpack frames or NDJSON, `bye`.
// `publish` never waits: each client has a byte bound, and a client past it is dropped (`slow-consumer`).
// Hostile clients (garbage, huge length prefixes, no hello, floods) are closed with a reason.
import type { ChristmasConfig } from '../config/types.js';
import type { PublisherHealth, SignalPublisher } from './publisher.js';
import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, unlinkSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { Signal } from '../model/signal.js';
import { claimSocketPath } from './socket-path.js';
import { encodeFrame, frameToJsonLine, FrameDecoder } from './framing.js';
import { encodeJsonLine } from './json-line.js';
import { SignalRing } from './ring.js';
import { encodeSignalFrame } from './signal-frame.js';
import { exactNowNs, lastExactRemNs } from '../telemetry/clock.js';
import { exactNsText } from '../model/epoch-ns.js';
import { silentLogger, type Logger } from '../telemetry/logger.js';

export interface SignalServerOptions {
  socketPath: string;
  socketMode: number;
  replayRing: number;
  /** Byte bound of the replay ring's arena (reserved at start). */
  replayRingBytes: number;
  maxClientBufferBytes: number;
  heartbeatMs: number;
  /** Live clients (past hello). */
  maxClients: number;
  /** Connections that have not said hello yet, limited apart from maxClients. */
  maxPendingClients: number;
  helloTimeoutMs: number;
  instance: string;
  /** Last seq handed out before this server started (from the SeqAllocator). */
  lastSeq: () => number;
}

interface Client {
  id: number;
  socket: Socket;
  state: 'hello' | 'live' | 'closing';
  format: 'msgpack' | 'json';
  symbols: Set<string> | undefined;
  decoder: FrameDecoder;
  helloTimer: NodeJS.Timeout | undefined;
  sent: number;
  corked: boolean;
}

export interface SignalServerStats {
  clients: number;
  accepted: number;
  rejected: Record<string, number>;
  published: number;
  delivered: number;
  slowDrops: number;
}

export class SignalServer extends EventEmitter implements SignalPublisher {
  readonly name = 'socket';
  private server: Server | undefined;
  private readonly clients = new Set<Client>();
  readonly ring: SignalRing;
  private heartbeat: NodeJS.Timeout | undefined;
  private nextClientId = 1;
  /** The NDJSON line of the signal being published, made for its first NDJSON client. */
  private liveJson: Buffer | undefined;
  readonly startedAt = new Date().toISOString();
  readonly stats: SignalServerStats = {
    clients: 0,
    accepted: 0,
    rejected: {},
    published: 0,
    delivered: 0,
    slowDrops: 0,
  };

  /** The server the `signals` config section describes. */
  static fromConfig(c: ChristmasConfig['signals'], instance: string, lastSeq: () => number, log: Logger): SignalServer {
    return new SignalServer(
      {
        socketPath: c.socket,
        socketMode: parseInt(c.socketMode, 8),
        replayRing: c.replayRing,
        replayRingBytes: c.replayRingBytes,
        maxClientBufferBytes: c.maxClientBufferBytes,
        heartbeatMs: c.heartbeatMs,
        maxClients: c.maxClients,
        maxPendingClients: c.maxPendingClients,
        helloTimeoutMs: c.helloTimeoutMs,
        instance,
        lastSeq,
      },
      log,
    );
  }

  constructor(
    private readonly opts: SignalServerOptions,
    private readonly log: Logger = silentLogger,
  ) {
    super();
    this.ring = new SignalRing(opts.replayRing, opts.replayRingBytes);
  }

  async start(): Promise<void> {
    const p = this.opts.socketPath;
    await claimSocketPath(p, 'signal', this.log);
    const server = createServer((s) => this.onConnection(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(p, this.opts.socketMode);
    server.on('error', (err) => this.log.error({ err: err.message }, 'signal socket server error'));
    this.heartbeat = setInterval(() => this.sendHeartbeats(), this.opts.heartbeatMs);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  health(): PublisherHealth {
    return { healthy: true, detail: `${this.clients.size} clients, seq ${this.opts.lastSeq()}` };
  }

  /** Clients past hello, and connections still waiting to say it. */
  private live = 0;
  private pending = 0;

  private refuse(socket: Socket, reason: string, detail: string): void {
    this.reject(reason);
    socket.end(encodeFrame({ type: 'bye', reason, detail }));
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  private onConnection(socket: Socket): void {
    if (this.pending >= this.opts.maxPendingClients) {
      this.refuse(socket, 'too-many-clients', `${this.pending} connections have not said hello yet`);
      return;
    }
    this.pending++;
    const c: Client = {
      id: this.nextClientId++,
      socket,
      state: 'hello',
      format: 'msgpack',
      symbols: undefined,
      decoder: new FrameDecoder(),
      helloTimer: undefined,
      sent: 0,
      corked: false,
    };
    this.clients.add(c);
    this.stats.clients = this.clients.size;
    socket.setNoDelay(true);
    c.helloTimer = setTimeout(() => this.bye(c, 'hello-timeout'), this.opts.helloTimeoutMs);
    c.helloTimer.unref();
    socket.on('data', (d) => this.onData(c, d));
    socket.on('error', () => this.drop(c));
    socket.on('close', () => this.drop(c));
  }

  private onData(c: Client, chunk: Buffer): void {
    if (c.state === 'closing') return;
    const r = c.decoder.push(chunk);
    if (!r.ok) {
      this.bye(c, 'protocol-error', r.reason);
      return;
    }
    for (const m of r.messages) {
      if (c.state === 'hello') {
        if (this.live >= this.opts.maxClients) {
          this.bye(c, 'too-many-clients', `${this.live} clients connected (signals.maxClients)`);
          return;
        }
        if (m.type !== 'hello') {
          this.bye(c, 'protocol-error', 'first frame must be hello');
          return;
        }
        if (m.v !== 1) {
          this.bye(c, 'unsupported-version', `server speaks v1, client asked v${String(m.v)}`);
          return;
        }
        const fromSeq = m.fromSeq;
        if (fromSeq !== undefined && (typeof fromSeq !== 'number' || !Number.isInteger(fromSeq) || fromSeq < 0)) {
          this.bye(c, 'protocol-error', 'fromSeq must be a non-negative integer');
          return;
        }
        const lastSeq = this.opts.lastSeq();
        if (typeof fromSeq === 'number' && fromSeq > lastSeq + 1) {
          this.bye(
            c,
            'protocol-error',
            `fromSeq ${fromSeq} is ahead of the live seq ${lastSeq} of ${this.opts.instance} (started ${this.startedAt})`,
          );
          return;
        }
        if (
          m.symbols !== undefined &&
          (!Array.isArray(m.symbols) || m.symbols.length > 10_000 || !m.symbols.every((s) => typeof s === 'string'))
        ) {
          this.bye(c, 'protocol-error', 'symbols must be an array of strings');
          return;
        }
        if (m.format !== undefined && m.format !== 'msgpack' && m.format !== 'json') {
          this.bye(c, 'protocol-error', 'format must be msgpack or json');
          return;
        }
        clearTimeout(c.helloTimer);
        c.symbols = m.symbols ? new Set(m.symbols as string[]) : undefined;
        this.write(
          c,
          encodeFrame({
            type: 'welcome',
            v: 1,
            seq: this.opts.lastSeq(),
            instance: this.opts.instance,
            startedAt: this.startedAt,
          }),
        );
        c.format = m.format === 'json' ? 'json' : 'msgpack';
        this.stats.accepted++;
        if (typeof fromSeq === 'number') this.replay(c, fromSeq);
        c.state = 'live';
        this.pending--;
        this.live++;
        this.emit('client', { id: c.id, symbols: m.symbols, fromSeq });
        continue;
      }
      // After hello a reader may only ping: commands go to the control socket (control.ts).
      if (m.type === 'ping') continue;
      if (m.type === 'command') {
        this.bye(c, 'protocol-error', 'commands go to the control socket, not the signal socket');
        return;
      }
      this.bye(c, 'protocol-error', `unexpected ${String(m.type)} frame`);
      return;
    }
  }

  private replay(c: Client, fromSeq: number): void {
    const min = this.ring.minSeq;
    const last = this.opts.lastSeq();
    if (fromSeq > last) return; // nothing missed
    if (min === undefined || fromSeq < min) {
      const toSeq = min === undefined ? last : min - 1;
      if (toSeq >= fromSeq) this.send(c, { type: 'gap', fromSeq, toSeq });
    }
    for (const e of this.ring.from(fromSeq)) if (!this.deliver(c, e.symbol, e.frame, false)) return;
  }

  private send(c: Client, msg: Record<string, unknown>): void {
    this.write(c, c.format === 'json' ? encodeJsonLine(msg) : encodeFrame(msg));
  }

  /**
   * Writes without waiting; a client whose unsent bytes pass its bound is dropped. Returns false if dropped.
   * Sockets are corked for the rest of the current turn, so a burst of signals leaves in one writev.
   */
  private write(c: Client, bytes: Buffer): boolean {
    if (c.state === 'closing' || c.socket.destroyed) return false;
    if (!c.corked) {
      c.corked = true;
      c.socket.cork();
      process.nextTick(() => {
        c.corked = false;
        c.socket.uncork();
      });
    }
    c.socket.write(bytes);
    if (c.socket.writableLength > this.opts.maxClientBufferBytes) {
      this.stats.slowDrops++;
      this.bye(c, 'slow-consumer', `${c.socket.writableLength} unsent bytes`);
      return false;
    }
    return true;
  }

  /**
   * One signal frame to one client; NDJSON clients get the frame decoded to a JSON line (for a live publish,
   * made once and shared by its clients). Returns false if the client was dropped.
   */
  private deliver(c: Client, symbol: string, frame: Buffer, live: boolean): boolean {
    if (c.symbols && !c.symbols.has(symbol)) return true;
    let bytes = frame;
    if (c.format === 'json') bytes = live ? (this.liveJson ??= frameToJsonLine(frame)) : frameToJsonLine(frame);
    const ok = this.write(c, bytes);
    if (ok) {
      c.sent++;
      this.stats.delivered++;
    }
    return ok;
  }

  /** Records and fans out one signal. O(clients), never awaits. */
  publish(signal: Signal): void {
    const frame = encodeSignalFrame(signal);
    this.ring.push(signal.seq, signal.symbol, frame);
    this.stats.published++;
    if (this.clients.size === 0) return;
    this.liveJson = undefined;
    for (const c of this.clients) if (c.state === 'live') this.deliver(c, signal.symbol, frame, true);
    this.liveJson = undefined;
  }

  private sendHeartbeats(): void {
    // tsNs the exact integer on the wire: msgpack uint64 (a BigInt for msgpackr), a JSON integer.
    const ns = exactNowNs();
    const tsNs = BigInt(exactNsText(ns, lastExactRemNs())),
      seq = this.opts.lastSeq();
    let frame: Buffer | undefined, line: Buffer | undefined;
    for (const c of this.clients)
      if (c.state === 'live')
        this.write(
          c,
          c.format === 'json'
            ? (line ??= encodeJsonLine({ type: 'heartbeat', seq, tsNs }))
            : (frame ??= encodeFrame({ type: 'heartbeat', seq, tsNs })),
        );
  }

  private reject(reason: string): void {
    this.stats.rejected[reason] = (this.stats.rejected[reason] ?? 0) + 1;
  }

  private bye(c: Client, reason: string, detail?: string): void {
    if (c.state === 'closing') return;
    this.reject(reason);
    clearTimeout(c.helloTimer);
    const wasLive = c.state === 'live';
    this.uncount(c);
    c.state = 'closing';
    if (detail) this.log.debug({ client: c.id, reason, detail }, 'closing signal client');
    const bye = { type: 'bye', reason, ...(detail ? { detail } : {}) };
    // A slow consumer's buffer is full: the bye goes out after what is already queued (no new signal is added),
    // so the consumer gets 10 s to drain and read it; memory stays bounded by its byte bound.
    c.socket.end(wasLive && c.format === 'json' ? encodeJsonLine(bye) : encodeFrame(bye));
    setTimeout(() => c.socket.destroy(), reason === 'slow-consumer' ? 10_000 : 1000).unref();
    if (reason === 'slow-consumer') this.log.warn({ client: c.id, detail }, 'dropped slow signal consumer');
  }

  /** A client leaves the pending or live count (once: bye sets `closing` right after). */
  private uncount(c: Client): void {
    if (c.state === 'hello') this.pending--;
    else if (c.state === 'live') this.live--;
  }

  private drop(c: Client): void {
    if (c.state !== 'closing') {
      this.uncount(c);
      c.state = 'closing';
    }
    clearTimeout(c.helloTimer);
    if (this.clients.delete(c)) this.stats.clients = this.clients.size;
  }

  async stop(reason = 'shutdown'): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.clients) this.bye(c, reason);
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      setTimeout(resolve, 1500).unref();
    });
    for (const c of this.clients) c.socket.destroy();
    try {
      unlinkSync(this.opts.socketPath);
    } catch {
      /* already gone */
    }
  }
}
