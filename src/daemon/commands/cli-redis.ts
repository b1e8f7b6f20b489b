// The Redis connection of the reading commands (`ticks`, `book`): the configured Redis (or --redis URL), with an
// offline queue and two retries, and a failure mapped to one UnavailableError line (exit 69).
import { loadConfig } from '../../config/load.js';
import { connectRedis, type RedisClient } from '../../store/connect.js';
import { redisConfigured } from '../../store/configured.js';
import { redactUrl } from '../command.js';
import { ChristmasError, UnavailableError, UsageError } from '../../model/errors.js';

export function cliRedis(urlOption: string | undefined): {
  redis: RedisClient;
  /** A Redis call's failure as the command reports it. */
  unreachable: (err: unknown) => ChristmasError;
} {
  const cfg = loadConfig();
  const url = urlOption ?? cfg.redis.url;
  if (!redisConfigured({ ...cfg.redis, url }))
    throw new UsageError('no Redis configured (redis.url / CHRISTMAS_REDIS_URL is empty)');
  const redis = connectRedis(
    { url, cluster: cfg.redis.cluster, clusterNodes: cfg.redis.clusterNodes, password: cfg.redis.password },
    { enableOfflineQueue: true, maxRetriesPerRequest: 2 },
  );
  redis.on('error', () => undefined);
  const unreachable = (err: unknown) =>
    err instanceof ChristmasError
      ? err
      : new UnavailableError(`Redis ${redactUrl(url || 'cluster')}: ${(err as Error).message}`);
  return { redis, unreachable };
}
