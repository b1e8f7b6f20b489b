// Feed counters shared by live feeds and replay: frames, ticks, drops by reason, reconnects.

export class FeedStats {
  frames = 0;
  ticks = 0;
  trades = 0;
  quotes = 0;
  duplicates = 0;
  /** Trades accepted late, inside the reorder window. */
  late = 0;
  gaps = 0;
  reconnects = 0;
  staleEvents = 0;
  readonly malformed = new Map<string, number>();
  malformedTotal = 0;

  countMalformed(reason: string): void {
    this.malformedTotal++;
    this.malformed.set(reason, (this.malformed.get(reason) ?? 0) + 1);
  }

  toJSON(): Record<string, unknown> {
    return {
      frames: this.frames,
      ticks: this.ticks,
      trades: this.trades,
      quotes: this.quotes,
      duplicates: this.duplicates,
      late: this.late,
      gaps: this.gaps,
      reconnects: this.reconnects,
      staleEvents: this.staleEvents,
      malformedTotal: this.malformedTotal,
      malformed: Object.fromEntries(this.malformed),
    };
  }
}

/** One line for a command's stderr: what was dropped and why; undefined when nothing was. */
export function dropSummary(s: FeedStats): string | undefined {
  if (s.malformedTotal === 0 && s.duplicates === 0) return undefined;
  const parts: string[] = [];
  if (s.malformedTotal > 0) {
    const reasons = [...s.malformed].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`);
    parts.push(`dropped ${s.malformedTotal} bad record${s.malformedTotal === 1 ? '' : 's'} (${reasons.join(', ')})`);
  }
  if (s.duplicates > 0) parts.push(`${s.duplicates} duplicate${s.duplicates === 1 ? '' : 's'}`);
  return parts.join(', ');
}
