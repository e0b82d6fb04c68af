import { InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';

/** Persisted query documents kept in memory, up to `maxBytes` (PERSISTED_QUERY_CACHE_MB), least recently used first
 * out. */
export function memoryQueryCache(maxBytes: number): KeyValueCache<string> {
  return new InMemoryLRUCache<string>({ maxSize: maxBytes });
}

/** Persisted query documents in Redis, shared by every server instance. */
export async function redisQueryCache(url: string): Promise<{ cache: KeyValueCache<string>; close(): Promise<void> }> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  await redis.connect();
  const prefix = 'ipr:apq:';
  const cache: KeyValueCache<string> = {
    async get(key) {
      try {
        return (await redis.get(prefix + key)) ?? undefined;
      } catch {
        return undefined; // A cache outage costs a round trip with the full query, not the request.
      }
    },
    async set(key, value, options?: KeyValueCacheSetOptions) {
      try {
        if (options?.ttl) await redis.set(prefix + key, value, 'EX', Math.max(1, Math.round(options.ttl)));
        else await redis.set(prefix + key, value);
      } catch {
        /* as above */
      }
    },
    async delete(key) {
      try {
        await redis.del(prefix + key);
      } catch {
        /* as above */
      }
    },
  };
  return { cache, close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}
