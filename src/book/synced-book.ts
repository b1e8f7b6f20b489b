// One symbol's book and its sync state: `syncing` (no snapshot yet, or a resync under way), `live`, or
// `invalid` (a gap, a crossed book, a checksum mismatch, staleness: passed through on the way back to syncing).
// Only a live book's values are read; BookSet (books.ts) drives the transitions.
import type { L2Book } from './book.js';
import type { BookMessage } from './message.js';

export type BookState = 'syncing' | 'live' | 'invalid';

export class SyncedBook {
  state: BookState = 'syncing';
  /** Why the book last left `live` (gap, crossed, checksum, stale, ...); '' before that. */
  invalidReason = '';
  /** A snapshot is applied and deltas follow it (false before the first one and after an invalidation). */
  synced = false;
  /** Final id of the snapshot a first delta must follow (-1: none, or the venue numbers nothing). */
  snapshotId = -1;
  /** The next delta is the first after the snapshot (the venue's first-delta rule applies). */
  awaitingFirst = false;
  /** Final id of the last applied message (-1 none). */
  lastId = -1;
  tsExchNs = 0;
  tsRecvNs = 0;
  tsRecvRemNs = NaN;
  /** The snapshot's BookMessage.streamEpoch. */
  streamEpoch = -1;
  /** A snapshot (or resubscribe) was asked for and has not arrived yet. */
  snapshotRequested = false;
  /** Deltas received while waiting for a REST snapshot, in order. */
  pending: BookMessage[] = [];
  /** Checksum decimals (price, size): configured, or the most seen in the last snapshot's levels. */
  checksumDecimals: [number, number] = [0, 0];
  /** Messages applied since start, and resyncs requested. */
  applied = 0;
  resyncs = 0;

  constructor(
    readonly venue: string,
    readonly symbol: string,
    readonly book: L2Book,
  ) {}

  get key(): string {
    return `${this.venue}:${this.symbol}`;
  }
}
