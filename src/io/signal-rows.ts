// The database's signal rows as a signal publisher: each published signal becomes a row of the `signals`
// table through the io stage's writers (batched, spooled while the database is down).
import type { Signal } from '../model/signal.js';
import type { PublisherHealth, SignalPublisher } from '../signal/publisher.js';
import type { Sinks } from './writers.js';

export class SignalRowsPublisher implements SignalPublisher {
  readonly name = 'database';
  private published = 0;
  constructor(private readonly sinks: Sinks) {}
  async start(): Promise<void> {
    /* the writers are started by their owner */
  }
  publish(signal: Signal): void {
    this.published++;
    this.sinks.addSignal(signal);
  }
  async stop(): Promise<void> {
    /* the writers drain with the rest of the io stage */
  }
  health(): PublisherHealth {
    const t = this.sinks.persistStats()?.tables.signals;
    return {
      healthy: true,
      detail: `${this.published} handed to the writer${t ? `, ${t.rows} written, ${t.spooledRows} spooled` : ''}`,
    };
  }
}
