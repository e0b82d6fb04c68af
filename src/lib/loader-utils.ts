import DataLoader from 'dataloader';
import type { BatchScheduler } from './batch-scheduler';

/**
 * A per-request loader: DataLoader batching, sent by the request's scheduler (see BatchScheduler), with its own
 * cache. DataLoader's cache hands a cached value over only when its next batch is sent; here a value already
 * requested is returned at once, so reading what is loaded costs no extra round of statements.
 */
export class RequestLoader<K, V, C = K> {
  private readonly cache = new Map<C, Promise<V>>();
  private readonly loader: DataLoader<K, V, C>;

  constructor(
    scheduler: BatchScheduler,
    batch: (keys: readonly K[]) => Promise<V[]>,
    private readonly cacheKeyFn: (key: K) => C = (key) => key as unknown as C,
  ) {
    this.loader = new DataLoader<K, V, C>((keys) => scheduler.track(() => batch(keys)), {
      cache: false,
      batchScheduleFn: scheduler.schedule,
    });
  }

  load(key: K): Promise<V> {
    const cacheKey = this.cacheKeyFn(key);
    let pending = this.cache.get(cacheKey);
    if (!pending) {
      pending = this.loader.load(key);
      this.cache.set(cacheKey, pending);
    }
    return pending;
  }

  loadMany(keys: readonly K[]): Promise<V[]> {
    return Promise.all(keys.map((key) => this.load(key)));
  }

  /** Forgets the value of a key (after a write changed it): the next `load` reads it again. */
  clear(key: K): this {
    this.cache.delete(this.cacheKeyFn(key));
    return this;
  }

  /** Forgets every value. */
  clearAll(): this {
    this.cache.clear();
    return this;
  }

  /** Records a value read some other way; a value already requested is kept. */
  prime(key: K, value: V): this {
    const cacheKey = this.cacheKeyFn(key);
    if (!this.cache.has(cacheKey)) this.cache.set(cacheKey, Promise.resolve(value));
    return this;
  }
}

export function scheduledLoader<K, V, C = K>(
  scheduler: BatchScheduler,
  batch: (keys: readonly K[]) => Promise<V[]>,
  options: { cacheKeyFn?: (key: K) => C } = {},
): RequestLoader<K, V, C> {
  return new RequestLoader<K, V, C>(scheduler, batch, options.cacheKeyFn);
}

/** A loader of one row per key; a miss is null. Batch functions may return rows in any order. */
export function rowLoader<K, Row>(
  scheduler: BatchScheduler,
  fetch: (keys: readonly K[]) => Promise<Row[]>,
  keyOf: (row: Row) => K,
): RequestLoader<K, Row | null> {
  return scheduledLoader<K, Row | null>(scheduler, async (keys) => {
    const rows = await fetch(keys);
    const map = new Map<K, Row>();
    for (const row of rows) map.set(keyOf(row), row);
    return keys.map((key) => map.get(key) ?? null);
  });
}

/** A loader of all rows of each key (children of a parent), in the order the batch function returns them. */
export function groupLoader<K, Row>(
  scheduler: BatchScheduler,
  fetch: (keys: readonly K[]) => Promise<Row[]>,
  keyOf: (row: Row) => K,
): RequestLoader<K, Row[]> {
  return scheduledLoader<K, Row[]>(scheduler, async (keys) => {
    const rows = await fetch(keys);
    const map = new Map<K, Row[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = map.get(key);
      if (list) list.push(row);
      else map.set(key, [row]);
    }
    return keys.map((key) => map.get(key) ?? []);
  });
}

/** Primes a by-id loader with rows read some other way, so a later `load(id)` costs no statement. */
export function prime<Row extends { id: number }, T extends Row>(
  loader: RequestLoader<number, Row | null>,
  rows: T[],
): T[] {
  for (const row of rows) loader.prime(row.id, row);
  return rows;
}
