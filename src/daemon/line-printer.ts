// `--print ticks|signals` output: JSON lines collected per event-loop turn and written in one call (64 KiB at
// most between writes), so printing costs the hot path a string append, not a syscall per line.
import type { Signal } from '../model/signal.js';
import { exactNsText } from '../model/epoch-ns.js';
import { encodeJsonLine } from '../signal/json-line.js';
import type { PublisherHealth, SignalPublisher } from '../signal/publisher.js';

const exact = (ns: number, remNs: number): bigint => BigInt(exactNsText(ns, remNs));

/** A signal as its JSON line: the socket's fields, timestamps as exact integers (no remainders). */
function signalLine(s: Signal): string {
  const l = s.latency;
  const line = encodeJsonLine({
    ...s,
    tsNs: exact(s.tsNs, l.tsSignalRemNs),
    latency: {
      tsExchNs: exact(l.tsExchNs, NaN),
      tsRecvNs: exact(l.tsRecvNs, l.tsRecvRemNs),
      tsSignalNs: exact(l.tsSignalNs, l.tsSignalRemNs),
    },
  });
  return line.toString('utf8', 0, line.length - 1);
}

export class LinePrinter {
  private buf = '';
  private scheduled = false;
  constructor(private readonly out: NodeJS.WritableStream) {}

  line(text: string): void {
    this.buf += text + '\n';
    if (this.buf.length > 1 << 16) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buf) {
      this.out.write(this.buf);
      this.buf = '';
    }
  }
}

/** `--print signals`: every published signal as one JSON line (the socket's NDJSON fields but `type`). */
export class PrintPublisher implements SignalPublisher {
  readonly name = 'print';
  private printed = 0;
  constructor(private readonly printer: LinePrinter) {}
  async start(): Promise<void> {
    /* stdout is open */
  }
  publish(signal: Signal): void {
    this.printed++;
    this.printer.line(signalLine(signal));
  }
  async stop(): Promise<void> {
    this.printer.flush();
  }
  health(): PublisherHealth {
    return { healthy: true, detail: `${this.printed} printed` };
  }
}
