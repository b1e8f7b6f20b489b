// Latency probe: emits a signal for every `everyN`-th trade, carrying the trade id, so the end-to-end
// harness can time each tick from the replay server's send to the socket client's receipt.
// For benchmarks and smoke tests only; never enable it on a live trading host.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import { param, type StrategyFactory, type StrategyInstance } from './strategy.js';

export function probe(name: string, params: Record<string, number>): StrategyFactory {
  const everyN = param(params, 'everyN', 1, 1, 1e9, name);
  return {
    name,
    type: 'probe',
    create(venue, symbol): StrategyInstance {
      let n = 0;
      return {
        onTick(t: Tick): SignalDraft | undefined {
          if (t.kind !== 'trade' || ++n % everyN !== 0) return undefined;
          return {
            symbol,
            venue,
            side: t.side === 'sell' ? 'sell' : 'buy',
            strategy: name,
            price: t.price,
            strength: 0,
            ttlMs: 1,
            reason: 'latency probe',
            indicators: { tradeId: t.id },
          };
        },
        snapshot: () => ({ n }),
        restore(s) {
          n = s.n as number;
        },
      };
    },
  };
}
