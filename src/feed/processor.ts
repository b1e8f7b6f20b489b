// Turns frames into validated, de-duplicated ticks for one venue: parse -> sequence check -> sink.
// Never throws: malformed frames and ticks with bad numbers (checked here for every source: venue parsers,
// replay readers, CSVs) are counted by reason and logged rate-limited, never passed on.
import { tickFault, type Tick } from '../model/tick.js';
import { emptyScratch } from '../model/scratch.js';
import { FrameError } from '../model/errors.js';
import type { BookInput } from '../book/message.js';
import type { VenueAdapter } from './venue.js';
import { SequenceTracker, type SequenceOptions } from './sequence.js';
import { ClockOffset } from './clock-offset.js';
import { FeedStats } from './stats.js';
import { RateLimitedLog, silentLogger, type Logger } from '../telemetry/logger.js';

/** A dropped tick's numbers for the log line (drop path only). */
function describeTick(t: Tick): string {
  return t.kind === 'trade'
    ? `trade ${t.venue}:${t.symbol} id ${t.id} price ${t.price} size ${t.size} tsExchNs ${t.tsExchNs}`
    : `quote ${t.venue}:${t.symbol} id ${t.id} bid ${t.bid}/${t.bidSize} ask ${t.ask}/${t.askSize} tsExchNs ${t.tsExchNs}`;
}

const DAY_NS = 86_400e9;
/** Consecutive ticks that must agree on a new clock offset before the stream follows it. */
const SKEW_CONFIRM = 16;
/** Exchange times accepted at all: 2000-01-01 to 2200-01-01 (a year-10000 or 1e16 ms time is poison). */
const MIN_EXCH_NS = 946_684_800e9;
const MAX_EXCH_NS = 7_258_118_400e9;

export interface FrameCheckOptions extends SequenceOptions {
  /** A receive-minus-exchange offset further than this from the stream's is a drop (time-skew); default one day. */
  clockWindowMs?: number;
}

export type TickSink = (tick: Tick) => void;

export class FrameProcessor {
  readonly sequence: SequenceTracker;
  readonly clock = new ClockOffset();
  private readonly scratch: Tick[] = [];
  private readonly warn: RateLimitedLog;
  /** Receive time of the last tick per symbol (epoch ns), for staleness. */
  readonly lastTickNs = new Map<string, number>();
  /** Called with the first tick after a trade-id gap (the risk gate quiets the symbol). */
  onGap?: (t: Tick) => void;
  private bookTarget: BookInput | undefined;
  /** What parsers hand book messages to: bookTarget, after stamping each with its frame's exact receive time. */
  private bookSink: BookInput | undefined;
  /** The exact remainder of the current frame's receive time (model/epoch-ns.ts); NaN when recorded. */
  private frameRecvRemNs = NaN;

  /** Where book messages (depth deltas, snapshots) go; without it they are ignored. */
  get books(): BookInput | undefined {
    return this.bookTarget;
  }
  set books(target: BookInput | undefined) {
    this.bookTarget = target;
    this.bookSink = target && {
      onBookMessage: (m) => {
        m.tsRecvRemNs = this.frameRecvRemNs;
        target.onBookMessage(m);
      },
    };
  }

  constructor(
    readonly adapter: VenueAdapter,
    private readonly sink: TickSink,
    readonly stats = new FeedStats(),
    log: Logger = silentLogger,
    private readonly maxFrameBytes = 1 << 22,
    opts: FrameCheckOptions = {},
  ) {
    this.warn = new RateLimitedLog(log);
    this.sequence = new SequenceTracker(1000, adapter.tradeIdsContiguous !== false, opts);
    this.clockWindowNs = opts.clockWindowMs === undefined ? DAY_NS : opts.clockWindowMs * 1e6;
  }

  /**
   * How far a tick's receive-minus-exchange offset may sit from its stream's (ns). Exchange times outside
   * 2000..2200 are refused whatever this is.
   */
  readonly clockWindowNs: number;
  /** Per kind (0 trade, 1 quote): the offset of the last accepted tick, and a run of consistent skewed ones. */
  private readonly refOffsetNs = [NaN, NaN];
  private readonly skewRun = [0, 0];
  private readonly skewOffsetNs = [NaN, NaN];

  /**
   * One text frame as received at tsRecvNs; tsRecvRemNs is the exact remainder of a live receive time (NaN for
   * a recorded one), given to its ticks and book messages.
   */
  onFrame(frame: string, tsRecvNs: number, tsRecvRemNs = NaN): void {
    this.stats.frames++;
    this.frameRecvRemNs = tsRecvRemNs;
    if (frame.length > this.maxFrameBytes) {
      this.drop('oversize', `frame of ${frame.length} chars over the limit`);
      return;
    }
    const out = this.scratch;
    emptyScratch(out);
    try {
      this.adapter.parse(frame, tsRecvNs, out, this.bookSink);
    } catch (err) {
      emptyScratch(out);
      if (err instanceof FrameError) this.drop(err.reason, err.message, frame);
      else this.drop('parser-bug', (err as Error).message, frame);
      return;
    }
    for (let i = 0; i < out.length; i++) {
      const t = out[i]!;
      t.tsRecvRemNs = tsRecvRemNs;
      this.onTick(t);
    }
    emptyScratch(out);
  }

  /**
   * One text frame still in its received bytes: the adapter's byte fast path when it has one, else the text
   * decoded and parsed as by onFrame.
   */
  onFrameBytes(frame: Uint8Array, tsRecvNs: number, tsRecvRemNs = NaN): void {
    if (this.adapter.parseBytes !== undefined && frame.length <= this.maxFrameBytes) {
      this.frameRecvRemNs = tsRecvRemNs;
      const out = this.scratch;
      emptyScratch(out);
      let handled: boolean;
      try {
        handled = this.adapter.parseBytes(frame, tsRecvNs, out, this.bookSink);
      } catch (err) {
        emptyScratch(out);
        this.stats.frames++;
        this.drop('parser-bug', (err as Error).message);
        return;
      }
      if (handled) {
        this.stats.frames++;
        for (let i = 0; i < out.length; i++) {
          const t = out[i]!;
          t.tsRecvRemNs = tsRecvRemNs;
          this.onTick(t);
        }
        emptyScratch(out);
        return;
      }
    }
    // ws hands over Buffers: decode in place; only a plain Uint8Array needs a Buffer view first.
    this.onFrame(
      (Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.length)).toString('utf8'),
      tsRecvNs,
      tsRecvRemNs,
    );
  }

  /** A REST depth snapshot's body for `symbol` (fetched live, or recorded beside the frames). */
  onSnapshot(symbol: string, body: string, tsRecvNs: number): void {
    if (this.books === undefined) return;
    if (this.adapter.parseSnapshot === undefined) {
      this.drop('no-snapshot-parser', `${this.adapter.venue} books do not sync from REST snapshots`);
      return;
    }
    this.frameRecvRemNs = NaN; // a REST answer's time: µs is all it needs
    try {
      this.adapter.parseSnapshot(symbol, body, tsRecvNs, this.bookSink!);
    } catch (err) {
      if (err instanceof FrameError) this.drop(err.reason, `depth snapshot for ${symbol}: ${err.message}`, body);
      else this.drop('parser-bug', (err as Error).message, body);
    }
  }

  /** A tick that did not come from a frame (CSV replay) still goes through the same checks. */
  onTick(t: Tick): void {
    const fault = tickFault(t);
    if (fault !== undefined) {
      this.drop(fault, `bad ${t.kind} for ${t.symbol}: ${fault}`, describeTick(t));
      return;
    }
    const ex = t.tsExchNs;
    if (ex < MIN_EXCH_NS || ex > MAX_EXCH_NS) {
      this.drop('time-implausible', `exchange time ${ex} ns is not a date this century`, describeTick(t));
      return;
    }
    if (!this.clockAgrees(t)) {
      this.drop(
        'time-skew',
        `exchange time ${ex} ns is off its stream's clock by more than ${this.clockWindowNs / 1e9} s`,
        describeTick(t),
      );
      return;
    }
    const verdict = this.sequence.check(t);
    if (verdict === 'duplicate') {
      this.stats.duplicates++;
      return;
    }
    if (verdict === 'jump') {
      this.drop('id-jump', `${t.kind} id ${t.id} jumps past the stream (unconfirmed)`, describeTick(t));
      return;
    }
    if (verdict === 'late') this.stats.late++;
    if (verdict === 'gap') {
      this.stats.gaps++;
      const g = this.sequence.recentGaps[this.sequence.recentGaps.length - 1]!;
      this.onGap?.(t);
      this.warn.warn(
        `gap:${t.symbol}`,
        { venue: t.venue, symbol: t.symbol, fromId: g.fromId, toId: g.toId, missing: g.toId - g.fromId + 1 },
        'trade id gap',
      );
    }
    this.stats.ticks++;
    if (t.kind === 'trade') this.stats.trades++;
    else this.stats.quotes++;
    if (t.kind === 'trade') this.clock.add(t.tsRecvNs, t.tsExchNs); // some venues' quotes carry no exchange time
    this.lastTickNs.set(t.symbol, t.tsRecvNs);
    this.sink(t);
  }

  /**
   * Receive minus exchange time stays near the stream's own offset: network latency live, a constant for a
   * replayed recording (served or read). A tick far off it is poison (one frame); the offset only moves when
   * SKEW_CONFIRM ticks in a row agree on a new one (a venue or recorder clock step).
   */
  private clockAgrees(t: Tick): boolean {
    const k = t.kind === 'trade' ? 0 : 1;
    const off = t.tsRecvNs - t.tsExchNs;
    const ref = this.refOffsetNs[k]!;
    const w = this.clockWindowNs;
    if (ref !== ref || Math.abs(off - ref) <= w) {
      this.refOffsetNs[k] = off;
      this.skewRun[k] = 0;
      return true;
    }
    if (this.skewRun[k] === 0 || Math.abs(off - this.skewOffsetNs[k]!) > w) this.skewRun[k] = 0;
    this.skewOffsetNs[k] = off;
    if (++this.skewRun[k]! < SKEW_CONFIRM) return false;
    this.warn.warn(
      `clock-step:${t.symbol}`,
      { venue: t.venue, symbol: t.symbol, fromOffsetNs: ref, toOffsetNs: off },
      'exchange clock stepped; following it',
    );
    this.refOffsetNs[k] = off;
    this.skewRun[k] = 0;
    return true;
  }

  /** Binary frames are not part of any supported venue's protocol. */
  onBinary(bytes: number): void {
    this.stats.frames++;
    this.drop('binary', `binary frame of ${bytes} bytes`);
  }

  private drop(reason: string, message: string, frame?: string): void {
    this.stats.countMalformed(reason);
    this.warn.warn(
      `malformed:${reason}`,
      { venue: this.adapter.venue, reason, sample: frame?.slice(0, 160) },
      `dropped frame: ${message}`,
    );
  }
}
