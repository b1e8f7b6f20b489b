// One venue WebSocket connection: connect, subscribe, keep alive, detect silence, reconnect with
// backoff + jitter, resubscribe, and mark every interruption as a gap. Frames go to a FrameProcessor.
import { WebSocket, type RawData } from 'ws';
import { EventEmitter } from 'node:events';
import type { FeedConfig } from '../config/types.js';
import type { VenueAdapter } from './venue.js';
import { FrameProcessor, type TickSink } from './processor.js';
import { Backoff } from './backoff.js';
import { FrameRecorder } from './recorder.js';
import { exactNowNs, lastExactRemNs, nowNs } from '../telemetry/clock.js';
import { silentLogger, type Logger } from '../telemetry/logger.js';
import { FeedStats } from './stats.js';

export type ConnectionState = 'idle' | 'connecting' | 'live' | 'stale' | 'closed';

export interface ConnectionOptions {
  feed: FeedConfig;
  adapter: VenueAdapter;
  sink: TickSink;
  reconnect: { initialDelayMs: number; maxDelayMs: number };
  log?: Logger;
  recorder?: FrameRecorder;
  maxFrameBytes?: number;
}

export class FeedConnection extends EventEmitter {
  state: ConnectionState = 'idle';
  readonly processor: FrameProcessor;
  readonly stats = new FeedStats();
  private ws: WebSocket | undefined;
  private readonly backoff: Backoff;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private ageTimer: NodeJS.Timeout | undefined;
  private lastFrameNs = 0;
  private downSinceNs = 0;
  private stopping = false;
  private sawOversize = false;
  private readonly log: Logger;
  readonly staleSymbols = new Set<string>();

  constructor(private readonly opts: ConnectionOptions) {
    super();
    this.log = (opts.log ?? silentLogger).child({ venue: opts.adapter.venue });
    const f = opts.feed;
    this.processor = new FrameProcessor(opts.adapter, opts.sink, this.stats, this.log, opts.maxFrameBytes ?? 1 << 22, {
      clockWindowMs: f.clockWindowMs,
      reorderWindow: f.reorderWindow,
      maxIdJump: f.maxIdJump,
    });
    this.backoff = new Backoff(opts.reconnect.initialDelayMs, opts.reconnect.maxDelayMs);
  }

  get venue(): string {
    return this.opts.adapter.venue;
  }

  get symbols(): readonly string[] {
    return this.opts.feed.symbols;
  }

  start(): void {
    this.stopping = false;
    this.connect();
    const staleMs = this.opts.feed.staleAfterMs;
    this.watchTimer = setInterval(() => this.checkSilence(), Math.max(50, Math.floor(staleMs / 4)));
    this.watchTimer.unref();
  }

  /** Re-opens one symbol's book channel (stream-snapshot venues' resync); false when not connected. */
  resubscribeBook(symbol: string): boolean {
    const msgs = this.opts.adapter.resubscribeBook?.(symbol);
    if (!msgs || this.ws?.readyState !== WebSocket.OPEN) return false;
    for (const m of msgs) this.ws.send(m);
    return true;
  }

  /** Is this symbol (or the whole connection) silent past its limit? */
  isStale(symbol: string): boolean {
    return this.state !== 'live' || this.staleSymbols.has(symbol);
  }

  private connect(): void {
    if (this.stopping) return;
    this.state = 'connecting';
    const { feed, adapter } = this.opts;
    const url = adapter.connectUrl(feed.url, feed.symbols, feed.channels);
    // skipUTF8Validation: a frame with invalid UTF-8 still fails JSON parsing and is counted as malformed.
    const ws = new WebSocket(url, {
      maxPayload: this.opts.maxFrameBytes ?? 1 << 22,
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    this.ws = ws;
    ws.on('open', () => {
      this.log.info({ url }, 'feed connected');
      for (const m of adapter.subscribeMessages(feed.symbols, feed.channels)) ws.send(m);
      this.state = 'live';
      this.lastFrameNs = nowNs();
      if (this.downSinceNs > 0) {
        this.processor.sequence.record({
          venue: adapter.venue,
          symbol: '*',
          kind: 'connection',
          fromId: 0,
          toId: 0,
          fromNs: this.downSinceNs,
          toNs: this.lastFrameNs,
          reason: 'reconnect',
        });
        if (this.opts.adapter.quoteIdsResetOnReconnect) this.processor.sequence.resetQuotes();
        this.downSinceNs = 0;
      }
      if (adapter.appPing) {
        this.pingTimer = setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(adapter.appPing!.message);
        }, adapter.appPing.intervalMs);
        this.pingTimer.unref();
      }
      if (feed.maxConnectionAgeMs > 0) {
        this.ageTimer = setTimeout(() => {
          this.log.info('reconnecting ahead of the venue connection age limit');
          this.restart('max-age');
        }, feed.maxConnectionAgeMs);
        this.ageTimer.unref();
      }
      this.emit('live');
    });
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('error', (err: Error & { code?: string }) => {
      // A frame past maxPayload: ws aborts the connection (1009); counted as an oversized frame, then reconnect.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.stats.countMalformed('oversize');
        this.sawOversize = true;
      }
      this.log.warn({ err: err.message }, 'feed socket error');
    });
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const tsRecvNs = exactNowNs(),
      tsRecvRemNs = lastExactRemNs();
    this.lastFrameNs = tsRecvNs;
    if (this.state === 'stale') {
      this.state = 'live';
    }
    if (isBinary && !this.opts.adapter.textInBinaryFrames) {
      this.processor.onBinary(Buffer.isBuffer(data) ? data.length : 0);
      return;
    }
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (this.opts.recorder) {
      const text = bytes.toString('utf8');
      this.opts.recorder.write(tsRecvNs, text);
      this.processor.onFrame(text, tsRecvNs, tsRecvRemNs);
    } else this.processor.onFrameBytes(bytes, tsRecvNs, tsRecvRemNs); // the venue's byte fast path when it has one
    if (this.backoff.attempts > 0 && this.stats.frames % 64 === 0) this.backoff.reset();
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.clearConnTimers();
    if (this.downSinceNs === 0) this.downSinceNs = this.lastFrameNs || nowNs();
    if (code === 1009 && !this.sawOversize) this.stats.countMalformed('oversize');
    this.sawOversize = false;
    if (this.stopping) {
      this.state = 'closed';
      this.emit('closed');
      return;
    }
    this.state = 'connecting';
    this.stats.reconnects++;
    const delay = this.backoff.next();
    this.log.warn({ code, reason, delayMs: delay, attempt: this.backoff.attempts }, 'feed disconnected; reconnecting');
    this.emit('down');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private checkSilence(): void {
    const now = nowNs();
    const limitNs = this.opts.feed.staleAfterMs * 1e6;
    for (const sym of this.opts.feed.symbols) {
      const s = this.opts.adapter.normalizeSymbol(sym);
      const last = this.processor.lastTickNs.get(s);
      const stale =
        last === undefined ? this.state !== 'live' || now - this.lastFrameNs > limitNs : now - last > limitNs;
      if (stale && !this.staleSymbols.has(s)) {
        this.staleSymbols.add(s);
        this.stats.staleEvents++;
      } else if (!stale) this.staleSymbols.delete(s);
    }
    if (this.state === 'live' && this.lastFrameNs > 0 && now - this.lastFrameNs > limitNs) {
      this.state = 'stale';
      this.stats.staleEvents++;
      this.log.warn(
        { silentMs: Math.round((now - this.lastFrameNs) / 1e6) },
        'feed silent past staleAfterMs; reconnecting',
      );
      this.restart('stale');
    }
  }

  /** Drops the connection; onClose schedules the reconnect. */
  private restart(why: string): void {
    const ws = this.ws;
    if (!ws) return;
    if (ws.readyState === WebSocket.OPEN) ws.close(4000, why);
    else ws.terminate();
    setTimeout(() => {
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    }, 1000).unref();
  }

  private clearConnTimers(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.ageTimer);
    this.pingTimer = undefined;
    this.ageTimer = undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.watchTimer);
    this.clearConnTimers();
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'shutdown');
        else ws.terminate();
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    }
    this.state = 'closed';
  }
}
