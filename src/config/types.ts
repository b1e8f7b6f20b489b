// The typed shape of a validated, frozen configuration.

export type VenueName = 'binance' | 'binance-usdm' | 'bybit' | 'bybit-linear' | 'coinbase' | 'coinbase-advanced' | 'kraken' | 'upbit' | 'generic';

export interface GenericFieldPaths {
  /** Dotted path of the field that tells the message kind, and the values meaning trade / quote. */
  kindPath: string; tradeKind: string; quoteKind: string;
  symbolPath: string; timePath: string; timeUnit: 'ns' | 'us' | 'ms' | 's' | 'iso';
  pricePath?: string; sizePath?: string; sidePath?: string; buyValue?: string; idPath?: string;
  bidPath?: string; bidSizePath?: string; askPath?: string; askSizePath?: string;
}

export interface FeedConfig {
  venue: VenueName;
  url: string;
  symbols: string[];
  channels: string[];
  /** Silence on the connection longer than this reconnects; per symbol it marks the symbol stale. */
  staleAfterMs: number;
  /** Reconnect this long before the venue's forced disconnect (Binance: 24 h). 0 = never. */
  maxConnectionAgeMs: number;
  /** Exchange time further than this from receive time is dropped (reason time-skew). */
  clockWindowMs?: number;
  /** Trade ids this far behind the highest one are accepted once when not seen yet (late, not duplicate). */
  reorderWindow?: number;
  /** An id further ahead than this is dropped (reason id-jump) until 3 consecutive ids confirm it. */
  maxIdJump?: number;
  /** REST base URL for depth snapshots ('' = the venue's own, e.g. https://api.binance.com). */
  restUrl?: string;
  /** Levels per side asked of a REST depth snapshot. */
  depthLimit?: number;
  /** Request weight per minute the snapshots of this feed's venue may spend (the venue's own weights). */
  snapshotWeightPerMinute?: number;
  /** Subscribe message(s) for the generic venue, sent verbatim after connecting. */
  subscribe?: unknown[];
  fields?: GenericFieldPaths;
}

export interface StrategyConfig {
  name: string;
  /** A built-in strategy; exactly one of type and module. */
  type?: 'ema-cross' | 'vwap-reversion' | 'imbalance' | 'breakout' | 'probe' | 'ofi-momentum';
  /** A user strategy module: an absolute path once loaded (config/load.ts resolves it). */
  module?: string;
  /** `VENUE:SYMBOL` list or ["*"] for every symbol. */
  symbols: string[];
  params: Record<string, unknown>;
  enabled: boolean;
}

export interface ChristmasConfig {
  instance: string;
  feeds: FeedConfig[];
  reconnect: { initialDelayMs: number; maxDelayMs: number };
  record: { dir: string; rotateBytes: number };
  redis: {
    url: string; cluster: boolean; clusterNodes: string[];
    maxTicksPerSymbol: number; maxAgeMs: number; flushIntervalMs: number;
    maxBacklogTicks: number; storeQuotes: boolean; warmStart: boolean; password: string;
  };
  database: {
    url: string; batchRows: number; batchAgeMs: number; poolSize: number; statementTimeoutMs: number;
    migrateOnStart: boolean; useCopy: boolean; chunkInterval: string; compressAfter: string;
    retention: string; partitionDaysAhead: number;
  };
  /** maxMemoryRows: rows held in memory while the spool refuses batches (disk full); past it the oldest are dropped. */
  spool: { dir: string; maxBytes: number; maxMemoryRows: number };
  signals: {
    socket: string; socketMode: string; replayRing: number; replayRingBytes: number; maxClientBufferBytes: number;
    heartbeatMs: number; maxClients: number; maxPendingClients: number; helloTimeoutMs: number; seqFile: string;
    /** Operator commands (signal/control.ts); '' = control.sock beside the signal socket, 'off' = none. */
    controlSocket: string; controlSocketMode: string;
  };
  compute: { mode: 'inline' | 'pool'; workers: number; ringSlots: number; spinUs: number; realtimePriority: number };
  io: { mode: 'thread' | 'inline'; ringSlots: number };
  strategies: StrategyConfig[];
  risk: {
    maxSpreadBps: number; cooldownMs: number; maxSignalsPerSec: number; maxSignalsPerSecPerSymbol: number;
    gapQuietMs: number; killSwitchFile: string;
  };
  metrics: { listen: string; stallLimitMs: number };
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'; pretty: boolean };
  /** Readiness bounds (/health; telemetry/readiness.ts). */
  health: {
    maxStoreBacklogTicks: number;
    maxDatabaseLagRows: number;
    maxDatabaseLagMs: number;
    maxDropRatio: number;
    dropWindowMs: number;
  };
  /** L2 books (depth streams): levels kept in Redis and book_snapshots, the sampling interval, the sync buffer. */
  books: {
    depth: number;
    snapshotIntervalMs: number;
    maxPendingDeltas: number;
    deltas: boolean;
    /** Checksum decimals (price, size) by `venue:SYMBOL` (Kraken), where the snapshot's numbers do not show them. */
    checksumDecimals: Record<string, [number, number]>;
  };
  shutdown: { deadlineMs: number };
  native: { disabled: boolean };
}
