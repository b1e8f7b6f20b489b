// `christmas control`: operator commands over the daemon's control socket (signal/control.ts): the kill
// switch and a status report. One request, one reply; the reply is printed as JSON.
import { connect } from 'node:net';
import { loadConfig } from '../../config/load.js';
import { encodeFrame, FrameDecoder } from '../../signal/framing.js';
import { UnavailableError, UsageError } from '../../model/errors.js';
import { controlSocketPath } from '../control.js';
import type { Command } from '../command.js';

function request(socketPath: string, msg: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const s = connect(socketPath);
    const dec = new FrameDecoder();
    const timer = setTimeout(() => {
      s.destroy();
      reject(new UnavailableError(`control socket ${socketPath}: no reply within 5 s`));
    }, 5000);
    s.once('error', (err) => {
      clearTimeout(timer);
      reject(
        new UnavailableError(`control socket ${socketPath}: ${(err as NodeJS.ErrnoException).code ?? err.message}`),
      );
    });
    s.on('connect', () => s.write(encodeFrame(msg)));
    s.on('data', (d) => {
      const r = dec.push(d);
      if (!r.ok || r.messages.length === 0) return;
      clearTimeout(timer);
      s.destroy();
      resolve(r.messages[0]!);
    });
  });
}

export const controlCommand: Command = {
  name: 'control',
  summary: "operator commands over the daemon's control socket: kill-switch on|off, status",
  usage: 'control kill-switch on|off | control status [--socket PATH]',
  options: {
    socket: {
      type: 'string',
      value: 'PATH',
      description: 'control socket (default: signals.controlSocket, else control.sock beside signals.socket)',
    },
  },
  async run(v, pos) {
    const socket = (v.socket as string | undefined) ?? controlSocketPath(loadConfig().signals);
    if (!socket) throw new UsageError('the control socket is off (signals.controlSocket "off")');
    let msg: Record<string, unknown>;
    if (pos[0] === 'status' && pos.length === 1) msg = { type: 'command', name: 'status' };
    else if (pos[0] === 'kill-switch' && (pos[1] === 'on' || pos[1] === 'off') && pos.length === 2)
      msg = { type: 'command', name: 'kill-switch', on: pos[1] === 'on' };
    else throw new UsageError('control needs "kill-switch on", "kill-switch off" or "status"');
    const reply = await request(socket, msg);
    process.stdout.write(JSON.stringify(reply) + '\n');
    return reply.ok === true ? 0 : 1;
  },
};
