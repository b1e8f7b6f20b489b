// `christmas top`: a refreshing terminal view of a running daemon's rates and per-stage latency, read from
// its /metrics endpoint (works over SSH; no extra port).
import { UnavailableError } from '../../model/errors.js';
import { loadConfig } from '../../config/load.js';
import { intOption, type Command } from '../command.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[3]) for (const l of m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}

/**
 * A stage's latency percentile (`50`, `99`, `99.9`) in µs as /metrics gives it: over the last closed minute,
 * or since start until the first minute has closed. `top` and the demo's status line both read this.
 */
export function stagePercentileUs(samples: Sample[], stage: string, percentile: string): number {
  const of = (name: string) =>
    samples.find((x) => x.name === name && x.labels.stage === stage && x.labels.percentile === percentile)?.value;
  return (
    (of('christmas_stage_latency_window_seconds') ?? of('christmas_stage_latency_since_start_seconds') ?? NaN) * 1e6
  );
}

/** `q` (or Ctrl-C) on a terminal's stdin ends `top`; `wait` resolves true once it was pressed. */
function quitKey(): { wait(ms: number): Promise<boolean> } {
  let pressed = false;
  let wake: (() => void) | undefined;
  const stdin = process.stdin;
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', (d: Buffer) => {
      if (d.includes(0x71) || d.includes(0x51) || d.includes(0x03)) {
        pressed = true;
        stdin.setRawMode(false);
        stdin.pause();
        wake?.();
      }
    });
  }
  return {
    wait: (ms) =>
      new Promise<boolean>((resolve) => {
        if (pressed) return resolve(true);
        const t = setTimeout(() => resolve(pressed), ms);
        wake = () => {
          clearTimeout(t);
          resolve(true);
        };
      }),
  };
}

export const topCommand: Command = {
  name: 'top',
  summary: 'live terminal view of tick rates and per-stage p50/p99 latency of a running daemon',
  usage: 'top [--metrics HOST:PORT] [--interval MS] [--once]   (q quits)',
  options: {
    metrics: {
      type: 'string',
      value: 'HOST:PORT',
      description: "the daemon's metrics address (default: metrics.listen)",
    },
    interval: { type: 'string', value: 'MS', description: 'refresh interval (default 1000)' },
    once: { type: 'boolean', description: 'print one screen and exit' },
  },
  async run(v) {
    const addr = (v.metrics as string | undefined) ?? loadConfig().metrics.listen;
    const interval = intOption(v.interval, 'interval', 100, 60_000, 1000);
    let prev: Map<string, number> | undefined;
    let prevAt = 0;
    const tty = !!process.stdout.isTTY;
    const quit = quitKey();
    for (;;) {
      let text: string;
      try {
        text = await (await fetch(`http://${addr}/metrics`)).text();
      } catch (err) {
        throw new UnavailableError(`cannot reach http://${addr}/metrics: ${(err as Error).message}`);
      }
      const s = parsePrometheus(text);
      const now = Date.now();
      const counts = new Map<string, number>();
      for (const x of s)
        if (x.name === 'christmas_ticks_total')
          counts.set(`${x.labels.venue}:${x.labels.symbol} ${x.labels.kind}`, x.value);
      const lines = [
        `christmas top — ${addr} — ${new Date().toISOString()}`,
        '',
        'instrument                       kind     total      rate/s',
      ];
      for (const [k, c] of counts) {
        const rate = prev && prev.has(k) ? (c - prev.get(k)!) / ((now - prevAt) / 1000) : NaN;
        const [inst, kind] = k.split(' ');
        lines.push(
          `${inst!.padEnd(32)} ${kind!.padEnd(8)} ${String(c).padStart(10)} ${Number.isFinite(rate) ? rate.toFixed(0).padStart(10) : '         -'}`,
        );
      }
      lines.push('', 'stage                 p50 µs     p99 µs   p99.9 µs');
      const stages = new Set(
        s.filter((x) => x.name === 'christmas_stage_latency_since_start_seconds').map((x) => x.labels.stage!),
      );
      for (const stage of stages)
        lines.push(
          `${stage.padEnd(18)} ${['50', '99', '99.9']
            .map((p, i) =>
              stagePercentileUs(s, stage, p)
                .toFixed(1)
                .padStart(i ? 10 : 9),
            )
            .join(' ')}`,
        );
      const books = s.filter((x) => x.name === 'christmas_book_state' && x.value === 1);
      if (books.length > 0) {
        const of = (n: string, b: { labels: Record<string, string> }) =>
          s.find((x) => x.name === n && x.labels.venue === b.labels.venue && x.labels.symbol === b.labels.symbol)
            ?.value ?? 0;
        lines.push('', 'book                             state      updates   resyncs');
        for (const b of books)
          lines.push(
            `${`${b.labels.venue}:${b.labels.symbol}`.padEnd(32)} ${b.labels.state!.padEnd(8)} ${String(of('christmas_book_updates_total', b)).padStart(9)} ${String(of('christmas_book_resyncs_total', b)).padStart(9)}`,
          );
      }
      const get = (n: string) => s.filter((x) => x.name === n).reduce((a, x) => a + x.value, 0);
      lines.push(
        '',
        `signals ${get('christmas_signals_total')}  suppressed ${get('christmas_signals_suppressed_total')}  clients ${get('christmas_signal_clients')}  drops ${get('christmas_feed_drops_total')}  gaps ${get('christmas_feed_gaps_total')}  reconnects ${get('christmas_feed_reconnects_total')}  redis backlog ${get('christmas_store_backlog_ticks')}  spool ${get('christmas_persist_spool_bytes')} B`,
      );
      // A terminal gets a redrawn screen; a pipe or file gets plain screens one after another.
      process.stdout.write((tty && !v.once ? '\x1b[2J\x1b[H' : '') + lines.join('\n') + '\n');
      if (v.once) return 0;
      prev = counts;
      prevAt = now;
      if (await quit.wait(interval)) return 0;
    }
  },
};
