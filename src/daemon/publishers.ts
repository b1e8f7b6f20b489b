// Which signal publishers a run has, in publish order: the Unix socket (run), the database's signal rows (when
// the database is configured) and `--print signals` (replay).
import type { ChristmasConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import type { Sinks } from '../io/open.js';
import { SignalRowsPublisher } from '../io/signal-rows.js';
import type { SignalServer } from '../signal/server.js';
import type { SignalPublisher } from '../signal/publisher.js';
import { PrintPublisher, type LinePrinter } from './line-printer.js';

export interface PublisherChoice {
  cfg: ChristmasConfig;
  instance: string;
  socket: boolean;
  printer: LinePrinter | undefined;
  sinks: Sinks | undefined;
  lastSeq: () => number;
  log: Logger;
}

export async function choosePublishers(
  c: PublisherChoice,
): Promise<{ list: SignalPublisher[]; server?: SignalServer }> {
  const list: SignalPublisher[] = [];
  let server: SignalServer | undefined;
  if (c.socket) {
    // Loaded only with a socket: a replay or backtest without one loads no framing (msgpackr).
    const { SignalServer } = await import('../signal/server.js');
    server = SignalServer.fromConfig(c.cfg.signals, c.instance, c.lastSeq, c.log);
    list.push(server);
  }
  if (c.sinks?.hasPersist) list.push(new SignalRowsPublisher(c.sinks));
  if (c.printer) list.push(new PrintPublisher(c.printer));
  return { list, server };
}
