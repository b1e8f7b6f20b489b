// Shared layout of the bench relay's thread hop (relay.ts --hop, hop-worker.ts): one Int32 header and two
// rings of (trade id, receive ns) float64 pairs, main -> worker and worker -> main. Counts are int32 and wrap.
export const HOP_IN_W = 0,
  HOP_IN_R = 1,
  HOP_SLEEPING = 2,
  HOP_OUT_W = 3,
  HOP_STOP = 4;

export interface HopBuffers {
  header: SharedArrayBuffer;
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
  capacity: number;
}

/** capacity: a power of two (the relay's main thread drains the output long before it could lap). */
export function createHopBuffers(capacity: number): HopBuffers {
  return {
    header: new SharedArrayBuffer(8 * 4),
    input: new SharedArrayBuffer(capacity * 16),
    output: new SharedArrayBuffer(capacity * 16),
    capacity,
  };
}
