// `christmas serve-replay <file>`: serve recorded frames over a local WebSocket as the venue would, with faults.
import { loadFrames } from '../../feed/replay/frames.js';
import { ReplayServer } from '../../feed/replay/server.js';
import type { DepthEndpoint } from '../../feed/replay/depth-endpoint.js';
import { checkInputFile, intOption, type Command } from '../command.js';
import { UsageError } from '../../model/errors.js';
import { writeFileSync } from 'node:fs';

/** The REST endpoint's counts without the per-request times. */
function depthStats(d: DepthEndpoint): { requests: number; weight: number } {
  return { requests: d.stats.requests, weight: d.stats.weight };
}

export const serveReplayCommand: Command = {
  name: 'serve-replay',
  summary:
    'serve a recording over a local WebSocket the way the venue does (subscribe handshake, pings, and for depth streams the REST depth snapshot endpoint on the same port), with fault injection',
  usage: 'serve-replay <file...> --port P [--rate N] [--speed S] [--loop] [fault options]',
  options: {
    port: {
      type: 'string',
      value: 'P',
      description: 'TCP port on 127.0.0.1 (0 = any free port; the URL is printed as JSON on stdout)',
    },
    host: { type: 'string', value: 'ADDR', description: 'listen address (default 127.0.0.1)' },
    rate: { type: 'string', value: 'N', description: "frames per second (default: the recording's own timing)" },
    speed: { type: 'string', value: 'S', description: 'with recorded timing: speed factor (default 1)' },
    rewind: {
      type: 'string',
      value: 'N',
      description: 'on each disconnect, re-send the last N frames (venues that replay on reconnect); default 0',
    },
    loop: {
      type: 'boolean',
      description: 'start over at the end (Binance ids and times shifted so the stream stays gap- and duplicate-free)',
    },
    'ping-ms': {
      type: 'string',
      value: 'MS',
      description: 'WebSocket ping interval; a client that misses a pong is dropped (default 20000)',
    },
    'disconnect-every': { type: 'string', value: 'S', description: 'drop every connection every S seconds' },
    'stall-every': { type: 'string', value: 'S', description: 'stop sending every S seconds ...' },
    'stall-for': { type: 'string', value: 'S', description: '... for S seconds' },
    'duplicate-every': { type: 'string', value: 'N', description: 'send every Nth frame twice' },
    'drop-every': { type: 'string', value: 'N', description: 'skip every Nth frame' },
    'corrupt-every': { type: 'string', value: 'N', description: 'insert a corrupted frame after every Nth frame' },
    'oversize-every': { type: 'string', value: 'N', description: 'insert a 5 MiB frame after every Nth frame' },
    'reorder-every': { type: 'string', value: 'N', description: 'swap every Nth frame with the next' },
    'resend-unconfirmed': {
      type: 'boolean',
      description:
        'tests of "nothing lost": ping after each send turn; a disconnect re-sends every frame the client had not confirmed by its pong (at least --rewind), and a stop waits for the last confirmation (up to 10 s)',
    },
    binary: { type: 'boolean', description: 'send frames as binary WebSocket messages, as Upbit does' },
    coalesce: {
      type: 'boolean',
      description:
        "write each send turn's frames in one syscall per client (a TCP stream under load; a cheaper load generator)",
    },
    'send-log': {
      type: 'string',
      value: 'FILE',
      description: 'benchmarks: write "<trade id> <monotonic send ns>" for every trade frame sent, on exit',
    },
  },
  async run(v, files) {
    if (files.length === 0) throw new UsageError('serve-replay needs a file');
    for (const f of files) checkInputFile('serve-replay', f);
    if (v.port === undefined) throw new UsageError('serve-replay needs --port (0 for any free port)');
    const frames = await loadFrames(files);
    const sec = (k: string) => intOption(v[k], k, 0, 86_400, 0) * 1000;
    const server = new ReplayServer({
      frames,
      port: intOption(v.port, 'port', 0, 65535, 0),
      host: (v.host as string | undefined) ?? '127.0.0.1',
      rate: intOption(v.rate, 'rate', 0, 10_000_000, 0),
      speed: intOption(v.speed, 'speed', 0.001, 1e6, 1),
      loop: !!v.loop,
      pingIntervalMs: intOption(v['ping-ms'], 'ping-ms', 10, 3_600_000, 20_000),
      faults: {
        disconnectEveryMs: sec('disconnect-every'),
        stallEveryMs: sec('stall-every'),
        stallForMs: sec('stall-for'),
        duplicateEvery: intOption(v['duplicate-every'], 'duplicate-every', 0, 1e9, 0),
        dropEvery: intOption(v['drop-every'], 'drop-every', 0, 1e9, 0),
        corruptEvery: intOption(v['corrupt-every'], 'corrupt-every', 0, 1e9, 0),
        oversizeEvery: intOption(v['oversize-every'], 'oversize-every', 0, 1e9, 0),
        reorderEvery: intOption(v['reorder-every'], 'reorder-every', 0, 1e9, 0),
      },
      rewindOnReconnect: intOption(v.rewind, 'rewind', 0, 1e9, 0),
      binaryFrames: !!v.binary,
      coalesce: !!v.coalesce,
      resendUnconfirmed: !!v['resend-unconfirmed'],
    });
    // Send log samples go to typed arrays (no string per frame: this process's GC pauses would be measured too).
    let logIds = new Float64Array(1 << 16),
      logNs = new Float64Array(1 << 16),
      logged = 0;
    if (v['send-log']) {
      const re = /"t":(\d+)/;
      server['opts'].onSend = (text: string) => {
        const m = re.exec(text);
        if (!m) return;
        if (logged === logIds.length) {
          const i2 = new Float64Array(logged * 2),
            n2 = new Float64Array(logged * 2);
          i2.set(logIds);
          n2.set(logNs);
          logIds = i2;
          logNs = n2;
        }
        const t = process.hrtime();
        logIds[logged] = Number(m[1]);
        logNs[logged] = t[0] * 1e9 + t[1];
        logged++;
      };
    }
    const url = await server.start();
    process.stdout.write(
      JSON.stringify({ listening: url, frames: frames.length, ...(server.depth ? { rest: server.restUrl } : {}) }) +
        '\n',
    );
    const allStats = () => ({ ...server.stats, ...(server.depth ? { depthSnapshots: depthStats(server.depth) } : {}) });
    server.on('end', () => process.stderr.write(JSON.stringify({ end: true, ...allStats() }) + '\n'));
    const statsTimer = setInterval(() => process.stderr.write(JSON.stringify({ stats: allStats() }) + '\n'), 10_000);
    statsTimer.unref();
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    await server.stop();
    if (v['send-log']) {
      const lines: string[] = new Array(logged);
      for (let i = 0; i < logged; i++) lines[i] = `${logIds[i]} ${logNs[i]}`;
      writeFileSync(String(v['send-log']), lines.join('\n') + '\n');
    }
    process.stderr.write(JSON.stringify({ stopped: true, ...server.stats }) + '\n');
    return 0;
  },
};
