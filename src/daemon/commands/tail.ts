// `christmas tail`: follow the signal socket (resumes after reconnects from the last seq seen).
import { loadConfig } from '../../config/load.js';
import { SignalClient } from '../../signal/client.js';
import { intOption, type Command } from '../command.js';

export const tailCommand: Command = {
  name: 'tail',
  summary: 'print signals from the signal socket as they arrive',
  usage: 'tail [--socket PATH] [--from-seq N] [--symbols A,B] [--json]',
  options: {
    socket: {
      type: 'string',
      value: 'PATH',
      description: 'signal socket (default: signals.socket / CHRISTMAS_SIGNAL_SOCKET)',
    },
    'from-seq': {
      type: 'string',
      value: 'N',
      description: 'replay from this seq (the server sends a gap message for what it no longer holds)',
    },
    symbols: { type: 'string', value: 'A,B', description: 'only these symbols' },
    json: { type: 'boolean', description: 'one JSON object per line (default: a short human line)' },
    count: { type: 'string', value: 'N', description: 'exit after N signals' },
  },
  async run(v) {
    const socket = (v.socket as string | undefined) ?? loadConfig().signals.socket;
    const count = intOption(v.count, 'count', 1, 1e12, Infinity);
    const client = new SignalClient({
      socketPath: socket,
      fromSeq: v['from-seq'] !== undefined ? intOption(v['from-seq'], 'from-seq', 0, 1e15, 0) : undefined,
      symbols: v.symbols
        ? String(v.symbols)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    });
    let n = 0;
    return new Promise<number>((resolve) => {
      client.on('welcome', (w) => process.stderr.write(`connected to ${String(w.instance)} (seq ${String(w.seq)})\n`));
      client.on('signal', (s) => {
        if (n >= count) return; // the rest of a replayed burst decoded in the same chunk
        if (v.json) process.stdout.write(JSON.stringify(s) + '\n');
        else
          process.stdout.write(
            `#${s.seq} ${String(s.venue)}:${s.symbol} ${String(s.side).toUpperCase()} @ ${String(s.price)} [${String(s.strategy)}] strength ${Number(s.strength).toFixed(2)} — ${String(s.reason)}\n`,
          );
        if (++n >= count) {
          client.stop();
          resolve(0);
        }
      });
      client.on('gap', (g) =>
        process.stderr.write(`gap: seq ${String(g.fromSeq)}..${String(g.toSeq)} no longer held by the server\n`),
      );
      client.on('bye', (b) => process.stderr.write(`server said bye: ${String(b.reason)}\n`));
      client.on('socket-error', (e: Error) => process.stderr.write(`socket: ${e.message} (retrying)\n`));
      process.once('SIGINT', () => {
        client.stop();
        resolve(0);
      });
      process.once('SIGTERM', () => {
        client.stop();
        resolve(0);
      });
      client.start();
    });
  },
};
