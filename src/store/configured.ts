// Whether a config names a Redis to write to: kept apart from the client (connect.ts) so that asking loads no
// Redis library.

export function redisConfigured(r: { url: string; cluster: boolean; clusterNodes: string[] }): boolean {
  return r.url !== '' || (r.cluster && r.clusterNodes.length > 0);
}
