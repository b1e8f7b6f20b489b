// Event-loop health: lag (perf_hooks histogram), utilization, and stall detection — a timer that fires
// late by more than the limit is a stall: logged with its duration and counted. monitorEventLoopDelay records
// the time between its timer's callbacks, the resolution included (p50 ≈ the resolution when idle), so the lag
// is a percentile minus the 1 ms resolution: sub-ms, 0 on an idle loop.
import { monitorEventLoopDelay, performance, type IntervalHistogram, type EventLoopUtilization } from 'node:perf_hooks';
import type { Logger } from './logger.js';

const LAG_RESOLUTION_MS = 1;

export class LoopMonitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  private lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  stalls = 0;
  lastStallMs = 0;
  lastStallAt = 0;
  lagMs = 0;
  utilization = 0;
  constructor(
    private readonly stallLimitMs: number,
    private readonly log: Logger,
    private readonly periodMs = 100,
  ) {}

  start(): void {
    this.delay.enable();
    this.expected = performance.now() + this.periodMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.expected;
      this.expected = now + this.periodMs;
      if (late > this.stallLimitMs) {
        this.stalls++;
        this.lastStallMs = late;
        this.lastStallAt = Date.now();
        this.log.warn({ stallMs: Math.round(late) }, 'event loop stalled');
      }
    }, this.periodMs);
    this.timer.unref();
    const sample = setInterval(() => {
      this.lagMs = Math.max(0, this.delay.percentile(99) / 1e6 - LAG_RESOLUTION_MS);
      this.delay.reset();
      const elu = performance.eventLoopUtilization(this.lastElu);
      this.lastElu = performance.eventLoopUtilization();
      this.utilization = elu.utilization;
    }, 1000);
    sample.unref();
    this.sampler = sample;
  }
  private sampler: NodeJS.Timeout | undefined;

  /** Healthy unless a stall happened within the last `windowMs`. */
  healthy(windowMs = 5000): boolean {
    return Date.now() - this.lastStallAt > windowMs;
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.sampler);
    this.delay.disable();
  }
}
