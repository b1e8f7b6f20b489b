// Example strategy module in plain JavaScript: fade a run of same-side aggressive trades. After `run` trades in
// a row hit the same side, signal the other side at the last price (once per run). Deterministic: time only
// from the tick, no I/O. Use it from a config entry: {"name": "contra", "module": "./contra.mjs", "params": {"run": 6}}.
import { clamp01 } from 'christmas/sdk';

/** Refuses bad parameters at start (the daemon exits 78 naming strategies.<name>.params). */
export function validate(params) {
  const problems = [];
  if (params.run !== undefined && !(Number.isInteger(params.run) && params.run >= 2 && params.run <= 1000))
    problems.push(`run: got ${JSON.stringify(params.run)}, expected an integer from 2 to 1000`);
  if (params.ttlMs !== undefined && !(params.ttlMs > 0)) problems.push('ttlMs: expected a positive number of ms');
  return problems;
}

export default function contra(name, params) {
  const run = params.run ?? 6;
  const ttlMs = params.ttlMs ?? 1000;
  return {
    name,
    type: 'contra',
    create(venue, symbol) {
      let side = 'unknown';
      let length = 0;
      return {
        onTick(t) {
          if (t.kind !== 'trade' || t.side === 'unknown') return undefined;
          length = t.side === side ? length + 1 : 1;
          side = t.side;
          if (length !== run) return undefined;
          return {
            symbol,
            venue,
            side: side === 'buy' ? 'sell' : 'buy',
            strategy: name,
            price: t.price,
            strength: clamp01(run / 20),
            ttlMs,
            reason: `${run} ${side} trades in a row`,
            indicators: { run: length },
          };
        },
        snapshot: () => ({ side, length }),
        restore(s) {
          side = s.side;
          length = s.length;
        },
      };
    },
  };
}
