import path from 'node:path';
import type { Database } from './client';

export const migrationsFolder = path.resolve(__dirname, '../../drizzle');

/** Applies the pending migrations in `drizzle/` (drizzle-kit's journal decides which). */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(database.db as never, { migrationsFolder });
  }
}
