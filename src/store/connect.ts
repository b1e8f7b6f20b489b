// Builds the ioredis client from config: redis://, rediss:// (TLS), unix:// socket paths, password,
// or a Cluster. Reconnects forever with capped backoff; no offline queue (the store buffers itself) unless the
// caller asks for one (the CLI readers and the re-warm task: their commands wait for the first connection).
import { Redis, Cluster, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisConnectOptions {
  url: string;
  cluster: boolean;
  clusterNodes: string[];
  password?: string;
}

/** Whether the config names a Redis at all: a URL, or a cluster by its nodes alone. */
export function connectRedis(o: RedisConnectOptions, extra: Partial<RedisOptions> = {}): RedisClient {
  const base: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    lazyConnect: false,
    enableAutoPipelining: false,
    ...(o.password ? { password: o.password } : {}),
    ...extra,
  };
  if (o.cluster) {
    const nodes = (o.clusterNodes.length ? o.clusterNodes : [new URL(o.url).host]).map((hp) => {
      const [host, port] = hp.split(':');
      return { host: host!, port: Number(port ?? 6379) };
    });
    return new Cluster(nodes, {
      redisOptions: base,
      enableOfflineQueue: base.enableOfflineQueue ?? false,
      clusterRetryStrategy: (t) => Math.min(100 * t, 2000),
    });
  }
  if (o.url.startsWith('unix://')) {
    const u = new URL(o.url);
    const db = Number(u.searchParams.get('db') ?? 0);
    return new Redis({ ...base, path: decodeURIComponent(u.pathname), db });
  }
  return new Redis(o.url, base);
}
