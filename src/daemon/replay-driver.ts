// Drives the engine from recorded files instead of live feeds, through the same parsing code:
// frames go through the venue's FrameProcessor, CSV ticks through the same sequence checks.
// --speed max runs as fast as possible (yielding to the event loop so I/O batches flush); 1 or 10 keep
// the recording's receive-time spacing (real time, 10x).
import { readRecording, venueFromFileName } from '../feed/replay/readers.js';
import { adapterFor, FRAME_VENUES } from '../feed/adapters.js';
import { FrameProcessor } from '../feed/processor.js';
import type { VenueName } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import { nowNs } from '../telemetry/clock.js';
import type { Engine } from './engine.js';
import { FeedStats } from '../feed/stats.js';
import { UsageError } from '../model/errors.js';

export interface ReplayOptions {
  files: string[];
  speed: number;
  venue?: string;
  fastPath?: boolean;
}

const VENUES = FRAME_VENUES;

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
    for (const file of this.opts.files) {
      if (this.stopped) break;
      const venue = (this.opts.venue ?? venueFromFileName(file).venue) as VenueName;
      const adapterVenue = VENUES.includes(venue) ? venue : 'binance';
      const stats = new FeedStats();
      let frameStart = 0;
      const proc = new FrameProcessor(
        adapterFor({ venue: adapterVenue }, { fastPath: this.opts.fastPath ?? true }),
        (t) => this.engine.onTick(t, frameStart),
        stats,
        this.log,
      );
      proc.onGap = (t) => this.engine.onGap(t);
      this.processors.push(proc);
      let n = 0;
      let firstRecvNs = NaN,
        startedNs = 0;
      for await (const rec of readRecording(file, { venue: this.opts.venue })) {
        if (this.stopped) break;
        const recvNs = rec.type === 'frame' ? rec.recvNs : rec.tick.tsRecvNs;
        if (this.opts.speed > 0 && Number.isFinite(recvNs)) {
          if (Number.isNaN(firstRecvNs)) {
            firstRecvNs = recvNs;
            startedNs = nowNs();
          }
          const dueNs = startedNs + (recvNs - firstRecvNs) / this.opts.speed;
          const waitMs = (dueNs - nowNs()) / 1e6;
          if (waitMs > 1) await new Promise((r) => setTimeout(r, waitMs));
        }
        frameStart = nowNs();
        if (rec.type === 'frame') proc.onFrame(rec.text, rec.recvNs);
        else {
          stats.frames++;
          proc.onTick(rec.tick);
        }
        if (++n % 2000 === 0) await new Promise((r) => setImmediate(r));
      }
      this.log.info({ file, venue: adapterVenue, ...stats.toJSON() }, 'replayed file');
    }
    return this.processors.map((p) => p.stats);
  }

  stop(): void {
    this.stopped = true;
  }
}
