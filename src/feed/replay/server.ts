// `serve-replay`: serves recorded frames over a local WebSocket the way the venue does (Binance SUBSCRIBE
// handshake and URL streams, Bybit op/ping, Upbit's binary frames and PING, server pings) and injects faults on demand.
// One cursor is shared by all connections and only advances while a client is connected, so a
// reconnecting client resumes where the last one stopped: every frame is served once, faults aside.
import { WebSocketServer, WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import { FrameShifter, spansOf, type ServedFrame } from './frames.js';
import { DepthEndpoint } from './depth-endpoint.js';

export interface FaultOptions {
  /** Close every client connection every N ms (0 = never). */
  disconnectEveryMs: number;
  /** Stop sending for stallForMs every stallEveryMs (0 = never). */
  stallEveryMs: number;
  stallForMs: number;
  /** Send every Nth frame twice (0 = never). */
  duplicateEvery: number;
  /** Skip every Nth frame (0 = never). */
  dropEvery: number;
  /** Insert a corrupted frame after every Nth frame (0 = never). */
  corruptEvery: number;
  /** Insert a 5 MiB frame after every Nth frame (0 = never): past any sane maxPayload. */
  oversizeEvery: number;
  /** Swap every Nth frame with the one after it (0 = never). */
  reorderEvery: number;
}

export interface ReplayServerOptions {
  frames: ServedFrame[];
  port: number;
  host?: string;
  /** Frames per second; 0 = the recording's own timing scaled by `speed`. */
  rate: number;
  speed: number;
  loop: boolean;
  pingIntervalMs: number;
  faults: Partial<FaultOptions>;
  /**
   * On each disconnect, step the shared cursor back this many frames, as venues that replay recent
   * messages on reconnect do: frames still in flight when the socket died are sent again (the client
   * must drop the duplicates). 0 = pure live semantics (what was in flight is lost).
   */
  rewindOnReconnect?: number;
  /**
   * Tests of "nothing lost": after every turn that sent frames, ping each client with the cursor as payload;
   * its pong confirms every frame before it was received (a client parses frames in order). A disconnect
   * then steps the cursor back to the last confirmed frame and at least rewindOnReconnect frames, however
   * many were in flight (a burst after a stall can be thousands); a run that had ended with frames still
   * unconfirmed resumes. With `loop`, positions count across laps, so a rewind can step back into the last lap.
   * `stop()` waits (up to its flush limit) until the client has confirmed every frame sent. One client.
   */
  resendUnconfirmed?: boolean;
  /** Send frames as binary WebSocket messages, as Upbit does (default: text). */
  binaryFrames?: boolean;
  /**
   * Hand each pump turn's frames to the kernel in one write per client (the socket is corked for the turn),
   * as a venue's TCP stream coalesces messages under load. Cheaper for this process; onSend then runs
   * after the write, so a send log stamps when the frames left, not when they were queued.
   */
  coalesce?: boolean;
  /** Called with each frame as it is sent (benchmarks log send times). */
  onSend?: (text: string) => void;
}

export interface ReplayServerStats {
  sent: number;
  duplicated: number;
  dropped: number;
  corrupted: number;
  disconnects: number;
  stalls: number;
  oversized: number;
  reordered: number;
  connections: number;
  laps: number;
  ended: boolean;
}

const HUGE_FRAME = `{"stream":"btcusdt@trade","data":{"pad":"${'x'.repeat(5 << 20)}"}}`;

// Each variant is rejected by the client's parser whatever the frame's event type.
const corruptions = [
  (f: string) => f.slice(0, Math.max(1, f.length >> 1)),
  (f: string) =>
    /"p":"[^"]*"/.test(f) ? f.replace(/"p":"[^"]*"/, '"p":"0.-10000"') : f.slice(0, Math.max(1, f.length - 3)),
  () => '\u0000\u00ff garbage not json',
  (f: string) => `{"stream":"${/^\{"stream":"([^"]+)"/.exec(f)?.[1] ?? 'x'}","data":${JSON.stringify(f.slice(0, 40))}}`,
];

export class ReplayServer extends EventEmitter {
  readonly stats: ReplayServerStats = {
    sent: 0,
    duplicated: 0,
    dropped: 0,
    corrupted: 0,
    disconnects: 0,
    stalls: 0,
    oversized: 0,
    reordered: 0,
    connections: 0,
    laps: 0,
    ended: false,
  };
  private wss: WebSocketServer | undefined;
  private http: Server | undefined;
  /** The REST depth endpoint, when the recording has depth streams or snapshots. */
  readonly depth: DepthEndpoint | undefined;
  private readonly clients = new Map<WebSocket, Set<string>>();
  private cursor = 0;
  /** resendUnconfirmed: every frame before this position (lap * frames + cursor) was confirmed by a client's pong. */
  private confirmedPosition = 0;
  private lap = 0;
  private timer: NodeJS.Timeout | undefined;
  private stallUntil = 0;
  private readonly faults: FaultOptions;
  private readonly spans;
  private readonly shifter: FrameShifter;
  private startedAt = 0;
  private baseRecvNs = 0;
  private sentAtRateMs = 0;
  private frameIndex = 0;
  private corruptSeq = 0;
  private stopping = false;
  /** Coalescing: the frames of the current turn, reported once its write is done. */
  private sentThisTurn: string[] | undefined;

  constructor(private readonly opts: ReplayServerOptions) {
    super();
    this.faults = {
      disconnectEveryMs: 0,
      stallEveryMs: 0,
      stallForMs: 0,
      duplicateEvery: 0,
      dropEvery: 0,
      corruptEvery: 0,
      oversizeEvery: 0,
      reorderEvery: 0,
      ...opts.faults,
    };
    this.spans = opts.loop ? spansOf(opts.frames) : { idSpan: { trade: 0, agg: 0, update: 0 }, timeSpanMs: 0 };
    this.shifter = new FrameShifter(opts.frames, this.spans.idSpan, this.spans.timeSpanMs);
    if (opts.frames.some((f) => f.snapshotOf !== undefined || f.text.includes('depthUpdate')))
      this.depth = new DepthEndpoint();
  }

  async start(): Promise<string> {
    const http = createServer((req, res) => {
      if (this.depth?.handle(req, res)) return;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"code":-1000,"msg":"Unknown endpoint."}');
    });
    this.http = http;
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.opts.port, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    wss.on('connection', (ws, req) => this.onConnection(ws, req.url ?? '/'));
    const pinger = setInterval(() => {
      for (const ws of this.clients.keys()) {
        if ((ws as WebSocket & { pongPending?: boolean }).pongPending) {
          ws.terminate();
          continue;
        }
        (ws as WebSocket & { pongPending?: boolean }).pongPending = true;
        ws.ping();
      }
    }, this.opts.pingIntervalMs);
    pinger.unref();
    wss.on('close', () => clearInterval(pinger));
    if (this.faults.disconnectEveryMs > 0) {
      const t = setInterval(() => {
        if (this.stats.ended || this.stopping) return; // nothing left to serve: stop injecting
        for (const ws of this.clients.keys()) {
          this.stats.disconnects++;
          ws.terminate();
        }
      }, this.faults.disconnectEveryMs);
      t.unref();
      wss.on('close', () => clearInterval(t));
    }
    if (this.faults.stallEveryMs > 0) {
      const t = setInterval(() => {
        this.stats.stalls++;
        this.stallUntil = Date.now() + this.faults.stallForMs;
      }, this.faults.stallEveryMs);
      t.unref();
      wss.on('close', () => clearInterval(t));
    }
    return this.url;
  }

  get url(): string {
    const a = this.http!.address() as AddressInfo;
    return `ws://${a.address}:${a.port}/stream`;
  }

  /** The base URL of the REST endpoint (depth snapshots). */
  get restUrl(): string {
    const a = this.http!.address() as AddressInfo;
    return `http://${a.address}:${a.port}`;
  }

  private onConnection(ws: WebSocket, url: string): void {
    this.stats.connections++;
    const streams = new Set<string>();
    const q = /[?&]streams=([^&]+)/.exec(url);
    if (q) for (const s of decodeURIComponent(q[1]!).split('/')) streams.add(s);
    this.clients.set(ws, streams);
    ws.on('pong', (data: Buffer) => {
      (ws as WebSocket & { pongPending?: boolean }).pongPending = false;
      const confirmed = data.length > 0 ? Number(data.toString()) : NaN;
      if (this.opts.resendUnconfirmed && confirmed > this.confirmedPosition) this.confirmedPosition = confirmed;
    });
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === 'PING') {
        ws.send('{"status":"UP"}', { binary: this.opts.binaryFrames === true });
        return;
      } // Upbit's keep-alive
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      if (msg.method === 'SUBSCRIBE' && Array.isArray(msg.params)) {
        for (const s of msg.params) streams.add(String(s));
        ws.send(JSON.stringify({ result: null, id: msg.id ?? null }));
      } else if (msg.op === 'ping') ws.send(JSON.stringify({ op: 'pong', success: true }));
      else if (msg.op === 'subscribe') ws.send(JSON.stringify({ op: 'subscribe', success: true }));
      else if (msg.method === 'ping') ws.send(JSON.stringify({ method: 'pong' }));
      else streams.add('*');
      this.schedule();
    });
    const gone = () => {
      if (!this.clients.delete(ws)) return;
      const rewind = this.opts.rewindOnReconnect ?? 0;
      if (this.opts.resendUnconfirmed) {
        if (this.stats.ended && this.confirmedPosition >= this.position) return; // all delivered: nothing to re-send
        this.position = Math.max(0, Math.min(this.confirmedPosition, this.position - rewind));
        this.stats.ended = false;
      } else if (rewind > 0 && !this.stats.ended) this.cursor = Math.max(0, this.cursor - rewind);
    };
    ws.on('close', gone);
    ws.on('error', gone);
    this.schedule();
  }

  /** Frames served before the cursor, counted across laps. */
  private get position(): number {
    return this.lap * this.opts.frames.length + this.cursor;
  }
  private set position(p: number) {
    const n = this.opts.frames.length;
    this.lap = this.opts.loop ? Math.floor(p / n) : 0;
    this.cursor = this.opts.loop ? p % n : p;
    this.stats.laps = this.lap;
  }

  private wants(streams: Set<string>, text: string): boolean {
    if (streams.size === 0) return false;
    if (streams.has('*')) return true;
    const m = /^\{"stream":"([^"]+)"/.exec(text);
    return m ? streams.has(m[1]!) : true;
  }

  private schedule(): void {
    if (this.timer || this.stats.ended || this.stopping) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, 0);
  }

  /** Sends what is due (in one write per client when coalescing), then sleeps until the next frame is due. */
  private pump(): void {
    const sentBefore = this.frameIndex;
    if (this.opts.coalesce) this.pumpCorked();
    else this.pumpFrames();
    if (this.opts.resendUnconfirmed && this.frameIndex !== sentBefore) this.askConfirmation();
  }

  /** resendUnconfirmed: pings each open client with the position; its pong confirms every frame before it. */
  private askConfirmation(): void {
    for (const ws of this.clients.keys()) if (ws.readyState === WebSocket.OPEN) ws.ping(String(this.position));
  }

  private pumpCorked(): void {
    const corked: Array<{ uncork(): void }> = [];
    for (const ws of this.clients.keys()) {
      const sock = (ws as WebSocket & { _socket?: { cork(): void; uncork(): void } })._socket;
      if (sock) {
        sock.cork();
        corked.push(sock);
      }
    }
    const sent: string[] = [];
    this.sentThisTurn = sent;
    try {
      this.pumpFrames();
    } finally {
      this.sentThisTurn = undefined;
      for (const sock of corked) sock.uncork();
      for (const t of sent) this.opts.onSend?.(t); // after the write: a send log stamps when the frames left
    }
  }

  /** Reports a frame as sent: at once, or (coalescing) after this turn's single write. */
  private sentFrame(text: string): void {
    if (this.sentThisTurn) this.sentThisTurn.push(text);
    else this.opts.onSend?.(text);
  }

  private pumpFrames(): void {
    if (this.stopping) return;
    if (this.clients.size === 0 || [...this.clients.values()].every((s) => s.size === 0)) {
      this.startedAt = 0;
      return;
    } // resumes on connect/subscribe
    const now = Date.now();
    if (now < this.stallUntil) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.stallUntil - now);
      return;
    }
    const frames = this.opts.frames;
    if (this.startedAt === 0) {
      this.startedAt = now;
      this.baseRecvNs = frames[Math.min(this.cursor, frames.length - 1)]?.recvNs ?? 0;
      this.sentAtRateMs = now;
    }
    let budget = 2000; // frames per turn, so pings and closes get their turn
    while (budget-- > 0) {
      if (this.cursor >= frames.length) {
        if (!this.opts.loop) {
          this.stats.ended = true;
          this.depth?.end();
          this.emit('end');
          return;
        }
        this.cursor = 0;
        this.lap++;
        this.stats.laps = this.lap;
        this.startedAt = now;
        this.sentAtRateMs = now;
        this.baseRecvNs = frames[0]!.recvNs;
      }
      let fIndex = this.cursor;
      let f = frames[fIndex]!;
      if (f.snapshotOf !== undefined) {
        this.depth?.onSnapshot(f.snapshotOf, f.text, f.recvNs, this.spans.idSpan.update * this.lap);
        this.cursor++;
        continue;
      }
      if (
        this.faults.reorderEvery > 0 &&
        (this.frameIndex + 1) % this.faults.reorderEvery === 0 &&
        this.cursor + 1 < frames.length &&
        frames[this.cursor + 1]!.snapshotOf === undefined
      ) {
        // Send the next frame first, then this one: a swap the client sees as out-of-order ids.
        const nextText = this.shifter.text(this.cursor + 1, this.lap);
        this.depth?.onFrame(this.shifter.text(this.cursor, this.lap), f.recvNs); // the venue's book keeps the order
        this.depth?.onFrame(nextText, frames[this.cursor + 1]!.recvNs);
        if (this.broadcast(nextText) > 0) {
          this.stats.reordered++;
          this.sentFrame(nextText);
        }
        this.cursor++;
        this.frameIndex++;
        fIndex = this.cursor - 1;
        f = frames[fIndex]!;
      }
      const dueMs =
        this.opts.rate > 0
          ? this.sentAtRateMs + 1000 / this.opts.rate
          : this.startedAt + (f.recvNs - this.baseRecvNs) / 1e6 / this.opts.speed;
      if (dueMs > Date.now() + 1) {
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            this.pump();
          },
          Math.max(1, dueMs - Date.now()),
        );
        return;
      }
      if (this.opts.rate > 0) this.sentAtRateMs = dueMs;
      this.cursor++;
      this.frameIndex++;
      const text = this.shifter.text(fIndex, this.lap);
      this.depth?.onFrame(text, f.recvNs);
      if (this.faults.dropEvery > 0 && this.frameIndex % this.faults.dropEvery === 0) {
        this.stats.dropped++;
        continue;
      }
      if (this.broadcast(text) > 0) this.sentFrame(text);
      if (
        this.faults.duplicateEvery > 0 &&
        this.frameIndex % this.faults.duplicateEvery === 0 &&
        this.broadcast(text) > 0
      )
        this.stats.duplicated++;
      if (
        this.faults.oversizeEvery > 0 &&
        this.frameIndex % this.faults.oversizeEvery === 0 &&
        this.broadcast(HUGE_FRAME) > 0
      )
        this.stats.oversized++;
      if (this.faults.corruptEvery > 0 && this.frameIndex % this.faults.corruptEvery === 0) {
        const c = corruptions[this.corruptSeq++ % corruptions.length]!;
        // Counted only when a client actually received it (stream filters may skip it).
        if (this.broadcast(c(text)) > 0) this.stats.corrupted++;
      }
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, 0);
  }

  /** Sends to every subscribed client; returns how many received it. */
  private broadcast(text: string): number {
    let n = 0;
    for (const [ws, streams] of this.clients) {
      if (ws.readyState === WebSocket.OPEN && this.wants(streams, text)) {
        ws.send(text, { binary: this.opts.binaryFrames === true });
        this.stats.sent++;
        n++;
      }
    }
    return n;
  }

  /**
   * Stops sending, lets every client's queued frames reach the socket (up to flushMs: a client that does not read
   * cannot hold the stop up), then closes. Frames counted as sent were handed to the client, not dropped here.
   */
  async stop(flushMs = this.opts.resendUnconfirmed ? 10_000 : 2000): Promise<void> {
    clearTimeout(this.timer);
    this.stopping = true; // no more pumping, no injected disconnects
    const end = Date.now() + flushMs;
    const open = () => [...this.clients.keys()].filter((ws) => ws.readyState === WebSocket.OPEN);
    while (open().some((ws) => ws.bufferedAmount > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    if (this.opts.resendUnconfirmed) {
      // Sent means parsed by the client: ask for a confirmation of the last frame and wait for it.
      while (open().length > 0 && this.confirmedPosition < this.position && Date.now() < end) {
        this.askConfirmation();
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    for (const ws of this.clients.keys()) ws.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.depth?.end();
    this.http?.closeAllConnections();
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
  }
}
