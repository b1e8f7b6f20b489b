// The daemon's control socket (signal/control.ts) wired to a running engine: the kill switch, and a status
// report of the engine, its publishers and risk gate.
import type { Logger } from '../telemetry/logger.js';
import { ControlServer } from '../signal/control.js';
import type { Engine } from './engine.js';
import { controlSocketPath } from './publishers.js';

function engineStatus(e: Engine): Record<string, unknown> {
  return {
    instance: e.instance,
    lastSeq: e.seq.last,
    killSwitch: e.risk.killed,
    ticks: e.ticks,
    emitted: e.emitted,
    suppressed: e.risk.suppressed,
    clients: e.signals?.clientCount ?? 0,
    compute: e.compute.mode,
    publishers: e.publishers.map((p) => ({ name: p.name, ...p.health() })),
  };
}

/** Starts the control socket of a started engine, unless `signals.controlSocket` is "off". */
export async function startControl(engine: Engine, log: Logger): Promise<ControlServer | undefined> {
  const path = controlSocketPath(engine.cfg.signals);
  if (!path) return undefined;
  const server = new ControlServer(
    path,
    parseInt(engine.cfg.signals.controlSocketMode, 8),
    { killSwitch: (on) => engine.killSwitch.command(on, 'control socket'), status: () => engineStatus(engine) },
    log,
  );
  await server.start();
  log.info({ socket: path }, 'control socket listening');
  return server;
}
