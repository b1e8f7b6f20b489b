// The kill switch in front of the risk gate: on while its file exists (polled every 250 ms) or while an
// operator command (the control socket) has set it; either one silences every signal until both are off.
import { existsSync } from 'node:fs';
import type { Logger } from '../telemetry/logger.js';
import type { RiskGate } from './risk.js';

const POLL_MS = 250;

export class KillSwitch {
  private timer: NodeJS.Timeout | undefined;
  private commanded = false;

  constructor(
    private readonly risk: RiskGate,
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  private fileActive(): boolean {
    return !!this.file && existsSync(this.file);
  }

  start(): void {
    if (!this.file) return;
    this.timer = setInterval(() => {
      const on = this.commanded || this.fileActive();
      if (on !== this.risk.killed) {
        this.risk.killed = on;
        this.log.warn({ on, file: this.file }, 'kill switch file changed');
      }
    }, POLL_MS);
    this.timer.unref();
  }

  /** An operator command (the control socket's `kill-switch`); returns whether the switch is now on. */
  command(on: boolean, source: string): boolean {
    this.commanded = on;
    this.risk.killed = on || this.fileActive();
    this.log.warn({ on, effective: this.risk.killed }, `kill switch set over the ${source}`);
    return this.risk.killed;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
