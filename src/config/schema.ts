// JSON Schema for the configuration: every key, its type, range and default unit (see config/README.md).

const ms = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max });
const str = { type: 'string' };
const bool = { type: 'boolean' };

const fieldPaths = {
  type: 'object', additionalProperties: false,
  required: ['kindPath', 'tradeKind', 'quoteKind', 'symbolPath', 'timePath', 'timeUnit'],
  properties: {
    kindPath: str, tradeKind: str, quoteKind: str, symbolPath: str, timePath: str,
    timeUnit: { enum: ['ns', 'us', 'ms', 's', 'iso'] },
    pricePath: str, sizePath: str, sidePath: str, buyValue: str, idPath: str,
    bidPath: str, bidSizePath: str, askPath: str, askSizePath: str,
  },
};

export const configSchema = {
  type: 'object', additionalProperties: false,
  required: ['instance', 'feeds', 'reconnect', 'record', 'redis', 'database', 'spool', 'signals', 'compute',
    'strategies', 'risk', 'metrics', 'log', 'shutdown', 'native'],
  properties: {
    instance: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
    feeds: {
      type: 'array', minItems: 0, maxItems: 64,
      items: {
        type: 'object', additionalProperties: false,
        required: ['venue', 'url', 'symbols', 'channels'],
        properties: {
          venue: { enum: ['binance', 'binance-usdm', 'bybit', 'bybit-linear', 'coinbase', 'coinbase-advanced', 'kraken', 'upbit', 'generic'] },
          url: { type: 'string', pattern: '^wss?://' },
          symbols: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Za-z0-9_./-]{1,32}$' } },
          channels: { type: 'array', minItems: 1, items: { enum: ['trade', 'aggTrade', 'quote', 'bookTicker', 'depth'] } },
          restUrl: { type: 'string', pattern: '^$|^https?://', default: '' },
          depthLimit: { ...ms(5, 5000), default: 1000 },
          snapshotWeightPerMinute: { ...ms(1, 1_000_000), default: 3000 },
          staleAfterMs: { ...ms(100, 3_600_000), default: 10_000 },
          maxConnectionAgeMs: { ...ms(0, 86_400_000), default: 85_800_000 },
          clockWindowMs: { ...ms(1000, 31_536_000_000), default: 86_400_000 },
          reorderWindow: { ...ms(0, 65_536), default: 256 },
          maxIdJump: { ...ms(1000, 9_007_199_254_740_991), default: 1_000_000_000 },
          subscribe: { type: 'array' },
          fields: fieldPaths,
        },
      },
    },
    reconnect: {
      type: 'object', additionalProperties: false,
      properties: { initialDelayMs: { ...ms(1, 60_000), default: 100 }, maxDelayMs: { ...ms(10, 600_000), default: 10_000 } },
    },
    record: {
      type: 'object', additionalProperties: false,
      properties: { dir: { type: 'string', default: '' }, rotateBytes: { ...ms(1024, 1e12), default: 268_435_456 } },
    },
    redis: {
      type: 'object', additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^$|^(redis|rediss|unix)://' },
        cluster: { ...bool, default: false },
        clusterNodes: { type: 'array', items: str, default: [] },
        maxTicksPerSymbol: { ...ms(0, 1e9), default: 100_000 },
        maxAgeMs: { ...ms(0, 1e11), default: 0 },
        flushIntervalMs: { ...ms(0, 10_000), default: 0 },
        maxBacklogTicks: { ...ms(1, 1e9), default: 1_000_000 },
        storeQuotes: { ...bool, default: true },
        warmStart: { ...bool, default: false },
        password: { type: 'string', default: '' },
      },
    },
    database: {
      type: 'object', additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^$|^postgres(ql)?://' },
        batchRows: { ...ms(1, 1_000_000), default: 5000 },
        batchAgeMs: { ...ms(1, 60_000), default: 50 },
        poolSize: { ...ms(1, 64), default: 4 },
        statementTimeoutMs: { ...ms(100, 3_600_000), default: 30_000 },
        migrateOnStart: { ...bool, default: true },
        useCopy: { ...bool, default: true },
        chunkInterval: { type: 'string', pattern: '^[0-9]+ (minutes?|hours?|days?)$', default: '1 day' },
        compressAfter: { type: 'string', pattern: '^[0-9]+ (hours?|days?)$', default: '7 days' },
        retention: { type: 'string', pattern: '^$|^[0-9]+ (days?|months?)$', default: '90 days' },
        partitionDaysAhead: { ...ms(1, 60), default: 3 },
      },
    },
    spool: {
      type: 'object', additionalProperties: false,
      properties: {
        dir: { type: 'string', minLength: 1 }, maxBytes: { ...ms(1024, 1e13), default: 10_737_418_240 },
        maxMemoryRows: { ...ms(0, 1e9), default: 500_000 },
      },
    },
    signals: {
      type: 'object', additionalProperties: false,
      properties: {
        socket: { type: 'string', minLength: 1, maxLength: 107 },
        socketMode: { type: 'string', pattern: '^0?[0-7]{3}$', default: '0660' },
        replayRing: { ...ms(1, 10_000_000), default: 100_000 },
        replayRingBytes: { ...ms(65_536, 2 ** 31 - 1), default: 33_554_432 },
        maxClientBufferBytes: { ...ms(1024, 1 << 30), default: 8_388_608 },
        heartbeatMs: { ...ms(10, 60_000), default: 1000 },
        maxClients: { ...ms(1, 100_000), default: 1000 },
        maxPendingClients: { ...ms(1, 100_000), default: 1024 },
        helloTimeoutMs: { ...ms(10, 60_000), default: 5000 },
        controlSocket: { type: 'string', maxLength: 107, default: '' },
        controlSocketMode: { type: 'string', pattern: '^0?[0-7]{3}$', default: '0600' },
        seqFile: { type: 'string', default: '' },
      },
    },
    compute: {
      type: 'object', additionalProperties: false,
      properties: {
        mode: { enum: ['inline', 'pool'], default: 'inline' },
        workers: { ...ms(1, 64), default: 1 },
        ringSlots: { ...ms(1024, 1 << 24), default: 65_536 },
        spinUs: { ...ms(0, 10_000), default: 0 },
        realtimePriority: { ...ms(0, 99), default: 0 },
      },
    },
    io: {
      type: 'object', additionalProperties: false,
      properties: {
        mode: { enum: ['thread', 'inline'], default: 'thread' },
        ringSlots: { ...ms(1024, 1 << 24), default: 262_144 },
      },
    },
    strategies: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['name'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
          type: { enum: ['ema-cross', 'vwap-reversion', 'imbalance', 'breakout', 'probe', 'ofi-momentum'] },
          // A user strategy module (path relative to the config file, absolute, or a package name): see docs/strategies.md.
          module: { type: 'string', minLength: 1, maxLength: 4096 },
          symbols: { type: 'array', items: str, default: ['*'] },
          // Any JSON for a module (its validate() judges it); built-ins check each parameter they read.
          params: { type: 'object', default: {} },
          enabled: { ...bool, default: true },
        },
      },
    },
    risk: {
      type: 'object', additionalProperties: false,
      properties: {
        maxSpreadBps: { type: 'number', minimum: 0, maximum: 10_000, default: 20 },
        cooldownMs: { ...ms(0, 3_600_000), default: 1000 },
        maxSignalsPerSec: { ...ms(1, 1_000_000), default: 200 },
        maxSignalsPerSecPerSymbol: { ...ms(1, 1_000_000), default: 20 },
        gapQuietMs: { ...ms(0, 3_600_000), default: 2000 },
        killSwitchFile: { type: 'string', default: '' },
      },
    },
    metrics: {
      type: 'object', additionalProperties: false,
      properties: {
        listen: { type: 'string', pattern: '^$|^[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}$' },
        stallLimitMs: { ...ms(1, 60_000), default: 200 },
      },
    },
    log: {
      type: 'object', additionalProperties: false,
      properties: {
        level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
        pretty: { ...bool, default: false },
      },
    },
    health: {
      type: 'object', additionalProperties: false,
      properties: {
        maxStoreBacklogTicks: { type: 'integer', minimum: 1, maximum: 1e9, default: 100_000 },
        maxDatabaseLagRows: { type: 'integer', minimum: 1, maximum: 1e9, default: 500_000 },
        maxDatabaseLagMs: { ...ms(100, 3_600_000), default: 30_000 },
        maxDropRatio: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
        dropWindowMs: { ...ms(1000, 600_000), default: 10_000 },
      },
    },
    books: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        depth: { ...ms(1, 1000), default: 10 },
        snapshotIntervalMs: { ...ms(0, 3_600_000), default: 1000 },
        maxPendingDeltas: { ...ms(10, 1_000_000), default: 10_000 },
        deltas: { ...bool, default: false },
        checksumDecimals: {
          type: 'object', default: {},
          additionalProperties: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer', minimum: 0, maximum: 20 } },
        },
      },
    },
    shutdown: {
      type: 'object', additionalProperties: false,
      properties: { deadlineMs: { ...ms(100, 600_000), default: 10_000 } },
    },
    native: {
      type: 'object', additionalProperties: false,
      properties: { disabled: { ...bool, default: false } },
    },
  },
} as const;
