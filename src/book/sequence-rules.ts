// Each venue's documented rule for ordering book messages: whether it syncs from a REST snapshot (deltas are
// buffered until one arrives) or from a snapshot in the stream, which delta may follow a snapshot, and which may
// follow the last applied one. A verdict is `apply`, `stale` (older than the book: dropped) or `gap` (a message is
// missing: the book is invalid and that symbol resyncs).
import type { BookMessage } from './message.js';

type SequenceVerdict = 'apply' | 'stale' | 'gap';

export interface SequenceRule {
  /** Snapshots come from REST (Binance): deltas received before one are buffered and replayed onto it. */
  readonly restSnapshot: boolean;
  /** The venue sends a checksum to verify the book after each message (Kraken). */
  readonly checksum: boolean;
  /** Levels per side the venue's book has (Kraken: the subscribed depth): deeper ones are dropped after each message. */
  readonly keepLevels?: number;
  /** The first delta after a snapshot whose final id is `snapshotId`. */
  first(snapshotId: number, m: BookMessage): SequenceVerdict;
  /** A delta after the last applied message, whose final id was `lastId`. */
  next(lastId: number, m: BookMessage): SequenceVerdict;
}

/**
 * Binance spot: drop deltas with u <= lastUpdateId; the first applied has U <= lastUpdateId + 1 <= u; each next
 * one's U is the previous u + 1.
 */
const binanceSpotRule: SequenceRule = {
  restSnapshot: true,
  checksum: false,
  first: (snapshotId, m) => (m.lastId <= snapshotId ? 'stale' : m.firstId <= snapshotId + 1 ? 'apply' : 'gap'),
  next: (lastId, m) => (m.firstId === lastId + 1 ? 'apply' : m.lastId <= lastId ? 'stale' : 'gap'),
};

/**
 * Binance USD-M futures: drop deltas with u < lastUpdateId; the first applied has U <= lastUpdateId <= u; each
 * next one's pu is the previous u.
 */
const binanceUsdmRule: SequenceRule = {
  restSnapshot: true,
  checksum: false,
  first: (snapshotId, m) =>
    m.lastId < snapshotId ? 'stale' : m.firstId <= snapshotId && m.lastId >= snapshotId ? 'apply' : 'gap',
  next: (lastId, m) => (m.prevId === lastId ? 'apply' : m.lastId <= lastId ? 'stale' : 'gap'),
};

/**
 * Coinbase Exchange level2: a snapshot in the stream, then l2updates with no sequence (a gap cannot be seen).
 * Coinbase Advanced Trade level2: the same, its sequence_num counting the connection's messages (the books see
 * a gap through BookMessage.streamEpoch).
 */
const unsequencedRule: SequenceRule = {
  restSnapshot: false,
  checksum: false,
  first: () => 'apply',
  next: () => 'apply',
};

/** Venues that put the snapshot in the stream and number messages contiguously (Bybit v5 `u`). */
const contiguousIdRule: SequenceRule = {
  restSnapshot: false,
  checksum: false,
  first: (snapshotId, m) => (m.lastId === snapshotId + 1 ? 'apply' : m.lastId <= snapshotId ? 'stale' : 'gap'),
  next: (lastId, m) => (m.lastId === lastId + 1 ? 'apply' : m.lastId <= lastId ? 'stale' : 'gap'),
};

/** Kraken v2: no ids; every update is applied, the book cut to the subscribed 10 levels, and the checksum says whether it is still right. */
const checksumRule: SequenceRule = {
  restSnapshot: false,
  checksum: true,
  keepLevels: 10,
  first: () => 'apply',
  next: () => 'apply',
};

/** The rule for a venue's books; undefined for venues without a book adapter. */
export function sequenceRuleFor(venue: string): SequenceRule | undefined {
  switch (venue) {
    case 'binance':
      return binanceSpotRule;
    case 'binance-usdm':
      return binanceUsdmRule;
    case 'bybit':
    case 'bybit-linear':
      return contiguousIdRule;
    case 'coinbase':
    case 'coinbase-advanced':
      return unsequencedRule;
    case 'kraken':
      return checksumRule;
    default:
      return undefined;
  }
}
