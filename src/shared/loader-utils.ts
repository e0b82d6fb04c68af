import DataLoader from 'dataloader';

/**
 * Loaders dispatch after the current macrotask rather than the current microtask: GraphQL resolves a level of the
 * tree through many promise hops, and waiting for all of them gathers more keys into each statement.
 */
export const batchOptions = { batchScheduleFn: (dispatch: () => void) => setImmediate(dispatch) } as const;

/** A loader of one row per key; a miss is null. Batch functions may return rows in any order. */
export function rowLoader<K, Row>(fetch: (keys: readonly K[]) => Promise<Row[]>, keyOf: (row: Row) => K): DataLoader<K, Row | null> {
  return new DataLoader<K, Row | null>(async (keys) => {
    const rows = await fetch(keys);
    const map = new Map<K, Row>();
    for (const row of rows) map.set(keyOf(row), row);
    return keys.map((key) => map.get(key) ?? null);
  }, batchOptions);
}

/** A loader of all rows of each key (children of a parent), in the order the batch function returns them. */
export function groupLoader<K, Row>(fetch: (keys: readonly K[]) => Promise<Row[]>, keyOf: (row: Row) => K): DataLoader<K, Row[]> {
  return new DataLoader<K, Row[]>(async (keys) => {
    const rows = await fetch(keys);
    const map = new Map<K, Row[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = map.get(key);
      if (list) list.push(row);
      else map.set(key, [row]);
    }
    return keys.map((key) => map.get(key) ?? []);
  }, batchOptions);
}

/** Primes a by-id loader with rows read some other way, so a later `load(id)` costs no statement. */
export function prime<Row extends { id: number }, T extends Row>(loader: DataLoader<number, Row | null>, rows: T[]): T[] {
  for (const row of rows) loader.prime(row.id, row);
  return rows;
}
