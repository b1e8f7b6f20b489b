// The daemon's control socket (signal/control.ts) wired to a running engine: the kill switch, and a status
// report of the engine, its publishers and risk gate.
import type { Logger } from '../telemetry/logger.js';
import { ControlServer } from '../signal/control.js';
import type { Engine } from './engine.js';
import path from 'node:path';
import type { ChristmasConfig } from '../config/types.js';

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
  const socketPath = controlSocketPath(engine.cfg.signals);
  if (!socketPath) return undefined;
  const server = new ControlServer(
    socketPath,
    parseInt(engine.cfg.signals.controlSocketMode, 8),
    { killSwitch: (on) => engine.killSwitch.command(on, 'control socket'), status: () => engineStatus(engine) },
    log,
  );
  await server.start();
  log.info({ socket: socketPath }, 'control socket listening');
  return server;
}

/** The control socket's path: `signals.controlSocket`, or control.sock beside the signal socket; undefined: off. */
export function controlSocketPath(c: ChristmasConfig['signals']): string | undefined {
  if (c.controlSocket === 'off') return undefined;
  return c.controlSocket || path.join(path.dirname(c.socket), 'control.sock');
}
