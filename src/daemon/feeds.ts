// Live feeds: one FeedConnection per configured feed, ticks into the engine, staleness out to the risk gate;
// depth streams into the engine's books, with a REST snapshot client per venue for their sync.
import type { ChristmasConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import { FeedConnection } from '../feed/connection.js';
import { adapterFor } from '../feed/adapters.js';
import { FrameRecorder } from '../feed/recorder.js';
import type { Engine } from './engine.js';
import { SnapshotClient } from '../feed/snapshots.js';

export class LiveFeeds {
  readonly connections: FeedConnection[] = [];
  /** REST depth snapshot clients, one per venue with depth streams (its budget shared by the venue's feeds). */
  readonly snapshots = new Map<string, SnapshotClient>();
  private readonly recorders: FrameRecorder[] = [];
  private offsetTimer: NodeJS.Timeout | undefined;

  constructor(cfg: ChristmasConfig, engine: Engine, log: Logger) {
    const byVenue = new Map<string, FeedConnection[]>();
    for (const feed of cfg.feeds) {
      const adapter = adapterFor(feed);
      const recorder = cfg.record.dir
        ? new FrameRecorder(cfg.record.dir, feed.venue, cfg.record.rotateBytes)
        : undefined;
      if (recorder) this.recorders.push(recorder);
      const conn = new FeedConnection({
        feed,
        adapter,
        reconnect: cfg.reconnect,
        log,
        recorder,
        sink: (t) => engine.onTick(t, t.tsRecvNs),
      });
      conn.processor.onGap = (t) => engine.onGap(t);
      if (feed.channels.includes('depth')) {
        conn.processor.books = engine.bookInput;
        const spec = adapter.depthSnapshot;
        if (spec && !this.snapshots.has(adapter.venue)) {
          const base = (feed.restUrl || spec.defaultRestUrl).replace(/\/$/, '');
          const limit = feed.depthLimit ?? 1000;
          this.snapshots.set(
            adapter.venue,
            new SnapshotClient({
              venue: adapter.venue,
              endpoint: { url: (symbol) => base + spec.path(symbol, limit), weight: spec.weight(limit) },
              weightPerMinute: feed.snapshotWeightPerMinute ?? 3000,
              log,
              onSnapshot: (symbol, body, tsRecvNs, url) => {
                recorder?.writeSnapshot(url, tsRecvNs, body);
                conn.processor.onSnapshot(symbol, body, tsRecvNs);
              },
            }),
          );
        }
      }
      this.connections.push(conn);
      const list = byVenue.get(adapter.venue) ?? [];
      list.push(conn);
      byVenue.set(adapter.venue, list);
    }
    // Median offset per venue, refreshed every 100 ms off the hot path (the median sorts its window); a tick
    // only reads the map.
    const offsets = new Map<string, number>();
    const refresh = () => {
      for (const [venue, list] of byVenue) offsets.set(venue, list[0]!.processor.clock.medianNs());
    };
    this.offsetTimer = setInterval(refresh, 100);
    this.offsetTimer.unref();
    engine.clockOffsetNs = (venue) => offsets.get(venue) ?? NaN;
    // A book resync: a REST snapshot where the venue syncs from REST, else a resubscribe of that symbol's book.
    // A connection that is down resubscribes everything when it comes back (and the venue sends new snapshots).
    engine.resyncBook = (venue, symbol) => {
      const rest = this.snapshots.get(venue);
      if (rest) return rest.request(symbol);
      for (const c of byVenue.get(venue) ?? []) if (c.symbols.includes(symbol) && c.resubscribeBook(symbol)) return;
    };
    engine.staleness = (venue, symbol) => {
      const list = byVenue.get(venue);
      if (!list) return false;
      for (const c of list) if (c.isStale(symbol)) return true;
      return false;
    };
  }

  start(): void {
    for (const c of this.connections) c.start();
  }

  /** Healthy when every connection is live. */
  healthy(): { healthy: boolean; detail: string } {
    const down = this.connections.filter((c) => c.state !== 'live').map((c) => `${c.venue}:${c.state}`);
    return { healthy: down.length === 0, detail: down.length ? down.join(', ') : `${this.connections.length} live` };
  }

  async stop(): Promise<void> {
    clearInterval(this.offsetTimer);
    for (const c of this.snapshots.values()) c.stop();
    await Promise.all(this.connections.map((c) => c.stop()));
    await Promise.all(this.recorders.map((r) => r.close()));
  }
}
