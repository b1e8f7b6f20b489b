// The control socket: operator commands, apart from the signal socket so that a reader can never change the
// engine. Mode 0600 (the daemon's user; root) by default. Same framing as the signal socket (4-byte length +
// msgpack map); one request frame, one reply frame, as many as the client sends:
//   {type:"command", name:"kill-switch", on:true|false} -> {type:"result", ok:true, name, killSwitch}
//   {type:"command", name:"status"}                     -> {type:"result", ok:true, name, status:{...}}
// anything else -> {type:"result", ok:false, error}; a frame the decoder rejects closes the connection.
import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, unlinkSync } from 'node:fs';
import { encodeFrame, FrameDecoder } from './framing.js';
import { claimSocketPath } from './socket-path.js';
import type { Logger } from '../telemetry/logger.js';

export interface ControlHandlers {
  /** Sets the kill switch; returns whether it is now on (a kill file keeps it on). */
  killSwitch(on: boolean): boolean;
  status(): Record<string, unknown>;
}

const MAX_CONTROL_CLIENTS = 16;

export class ControlServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly socketPath: string,
    private readonly mode: number,
    private readonly handlers: ControlHandlers,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await claimSocketPath(this.socketPath, 'control', this.log);
    const server = createServer((s) => this.onConnection(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(this.socketPath, this.mode);
    server.on('error', (err) => this.log.error({ err: err.message }, 'control socket server error'));
  }

  private onConnection(socket: Socket): void {
    socket.on('error', () => undefined);
    if (this.sockets.size >= MAX_CONTROL_CLIENTS) {
      socket.end(encodeFrame({ type: 'result', ok: false, error: 'too many control connections' }));
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const decoder = new FrameDecoder();
    socket.on('data', (chunk) => {
      const r = decoder.push(chunk);
      if (!r.ok) {
        socket.end(encodeFrame({ type: 'result', ok: false, error: `protocol error: ${r.reason}` }));
        return;
      }
      for (const m of r.messages) socket.write(encodeFrame(this.answer(m)));
    });
  }

  private answer(m: Record<string, unknown>): Record<string, unknown> {
    if (m.type !== 'command') return { type: 'result', ok: false, error: 'expected {type:"command", name}' };
    if (m.name === 'kill-switch') {
      if (typeof m.on !== 'boolean') return { type: 'result', ok: false, name: m.name, error: 'on must be a boolean' };
      return { type: 'result', ok: true, name: m.name, killSwitch: this.handlers.killSwitch(m.on) };
    }
    if (m.name === 'status') return { type: 'result', ok: true, name: m.name, status: this.handlers.status() };
    return { type: 'result', ok: false, name: m.name, error: `unknown command ${JSON.stringify(m.name)}` };
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    try {
      unlinkSync(this.socketPath);
    } catch {
      /* already gone */
    }
  }
}
