// The NDJSON form of a signal protocol message (DESIGN.md §5): what `--print signals` and JSON-lines clients
// read. Apart from the msgpack framing, so printing loads no msgpack library.

const BIG = '\u0000big:';
const bigAsMark = (_k: string, v: unknown) => (typeof v === 'bigint' ? BIG + v.toString() : v);

/** A message as one NDJSON line; a BigInt is written as the integer's digits. */
export function encodeJsonLine(msg: Record<string, unknown>): Buffer {
  const text = JSON.stringify(msg, bigAsMark).replace(/"\\u0000big:(-?\d+)"/g, '$1');
  return Buffer.from(text + '\n', 'utf8');
}
