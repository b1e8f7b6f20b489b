// Drives the engine from recorded files instead of live feeds, through the same parsing code:
// frames go through the venue's FrameProcessor, CSV ticks through the same sequence checks.
// --speed max runs as fast as possible (yielding to the event loop so I/O batches flush); 1 or 10 keep
// the recording's receive-time spacing (real time, 10x). Several files are merged by receive time.
import { readRecordingBatches, recordRecvNs, venueFromFileName, type ReplayRecord } from '../feed/replay/readers.js';
import { adapterFor, FRAME_VENUES } from '../feed/adapters.js';
import { FrameProcessor } from '../feed/processor.js';
import type { VenueName } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import { nowNs } from '../telemetry/clock.js';
import type { Engine } from './engine.js';
import { FeedStats } from '../feed/stats.js';
import { UsageError } from '../model/errors.js';

/** A replay times one record in this many (live: every frame). */
const TIMED_EVERY = 8;

export interface ReplayOptions {
  files: string[];
  speed: number;
  venue?: string;
  fastPath?: boolean;
}

const VENUES = FRAME_VENUES;

/** A record's receive time, the merge key (-Infinity when it has none). */
function timeOf(r: ReplayRecord): number {
  const t = recordRecvNs(r);
  return Number.isFinite(t) ? t : -Infinity;
}

export class ReplayDriver {
  readonly processors: FrameProcessor[] = [];
  stopped = false;
  constructor(
    private readonly engine: Engine,
    private readonly log: Logger,
    private readonly opts: ReplayOptions,
  ) {
    if (opts.venue && !VENUES.includes(opts.venue as VenueName))
      throw new UsageError(`--venue: got "${opts.venue}", expected one of ${VENUES.join(', ')}`);
  }

  async run(): Promise<FeedStats[]> {
    let frameStart = 0;
    const sources = this.opts.files.map((file) => {
      const venue = (this.opts.venue ?? venueFromFileName(file).venue) as VenueName;
      const adapterVenue = VENUES.includes(venue) ? venue : 'binance';
      const stats = new FeedStats();
      const proc = new FrameProcessor(
        adapterFor({ venue: adapterVenue }, { fastPath: this.opts.fastPath ?? true }),
        (t) => this.engine.onTick(t, frameStart),
        stats,
        this.log,
      );
      proc.onGap = (t) => this.engine.onGap(t);
      proc.books = this.engine.bookInput;
      this.processors.push(proc);
      const it = readRecordingBatches(file, { venue: this.opts.venue })[Symbol.asyncIterator]();
      const batch: ReplayRecord[] = [];
      const next = undefined as Promise<IteratorResult<ReplayRecord[]>> | undefined;
      return {
        file,
        venue: adapterVenue,
        proc,
        stats,
        it,
        next,
        batch,
        at: 0,
        head: undefined as ReplayRecord | undefined,
      };
    });
    type Source = (typeof sources)[number];
    // The next record of a source comes from its current batch; the reader is awaited only for a new batch, and
    // is asked for the one after at once, so reading and inflating it overlap this batch's replay.
    const refill = async (src: Source): Promise<void> => {
      const r = await (src.next ?? src.it.next());
      src.next = r.done ? undefined : src.it.next();
      src.next?.catch(() => undefined); // a failed read is thrown by the await that takes it, not left unhandled
      src.batch = r.done ? [] : r.value;
      src.at = 0;
      src.head = src.batch[0];
      if (r.done) this.log.info({ file: src.file, venue: src.venue, ...src.stats.toJSON() }, 'replayed file');
    };
    for (const src of sources) await refill(src);
    let n = 0;
    const timed = this.engine.stageTiming;
    let firstRecvNs = NaN,
      startedNs = 0;
    // Several files are merged by receive time (a trades file and a book-ticker file of the same session play
    // interleaved, as they were received); a record without a time goes first.
    while (!this.stopped) {
      let best: Source | undefined;
      for (const src of sources)
        if (src.head && (best === undefined || timeOf(src.head) < timeOf(best.head!))) best = src;
      if (!best) break;
      const rec = best.head!;
      const recvNs = recordRecvNs(rec);
      if (this.opts.speed > 0 && Number.isFinite(recvNs)) {
        if (Number.isNaN(firstRecvNs)) {
          firstRecvNs = recvNs;
          startedNs = nowNs();
        }
        const dueNs = startedNs + (recvNs - firstRecvNs) / this.opts.speed;
        const waitMs = (dueNs - nowNs()) / 1e6;
        if (waitMs > 1) await new Promise((r) => setTimeout(r, waitMs));
      }
      // Stage timing (an engine built with stageTiming) of one record in TIMED_EVERY (NaN: not timed): the clock
      // reads and histogram writes of every record were a tenth of a --speed max replay; a sample of them gives
      // the same distributions.
      frameStart = timed && n % TIMED_EVERY === 0 ? nowNs() : NaN;
      if (rec.type === 'frame') best.proc.onFrame(rec.text, rec.recvNs);
      else if (rec.type === 'snapshot') best.proc.onSnapshot(rec.symbol, rec.text, rec.recvNs);
      else {
        best.stats.frames++;
        best.proc.onTick(rec.tick);
      }
      if (++n % 2000 === 0) await new Promise((r) => setImmediate(r));
      if (++best.at < best.batch.length) best.head = best.batch[best.at];
      else await refill(best);
    }
    for (const src of sources) if (src.head) await src.it.return?.(undefined);
    return this.processors.map((p) => p.stats);
  }

  stop(): void {
    this.stopped = true;
  }
}
