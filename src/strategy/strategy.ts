// The strategy contract: a factory per configured strategy makes one instance per symbol; an instance
// sees every tick of its symbol in order and may return a signal draft. Pure computation: no I/O, no
// clocks (time comes from the tick's exchange time, so replays are deterministic).
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';

export interface StrategyInstance {
  onTick(t: Tick): SignalDraft | undefined;
  snapshot(): Record<string, unknown>;
  restore(s: Record<string, unknown>): void;
}

export interface StrategyFactory {
  readonly name: string;
  readonly type: string;
  create(venue: string, symbol: string): StrategyInstance;
}

export function param(
  params: Record<string, number>,
  key: string,
  dflt: number,
  min: number,
  max: number,
  strategy: string,
): number {
  const v = params[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(
      `strategies.${strategy}.params.${key}: got ${String(v)}, expected a number from ${min} to ${max}`,
    );
  }
  return v;
}

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
