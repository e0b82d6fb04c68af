import type { Database } from '../../db/client';
import { PLACEHOLDER_PREFIX } from './mapping';

/** The configured OC4IDS prefix of each open database's server (the HTTP routes record it; resolvers read it). */
const prefixes = new WeakMap<Database, string>();

export function rememberPrefix(database: Database, prefix: string | undefined): void {
  if (prefix) prefixes.set(database, prefix);
}

/** The prefix to write ids with: the configured one, else the one recorded for the database, else the placeholder. */
export function prefixFor(database: Database, configured?: string): string {
  return configured || prefixes.get(database) || PLACEHOLDER_PREFIX;
}
