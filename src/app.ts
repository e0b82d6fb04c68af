import type { Config } from './config';
import { openDatabase, type Database } from './db/client';
import { migrateDatabase } from './db/migrate';
import { createLogger } from './observability/logger';
import { createServer, type Logger, type RegistryServer } from './http/server';
import { hasPlans, seedDatabase } from '../seeds/load';

export interface App {
  database: Database;
  server: RegistryServer;
  /** Stops taking requests, then closes the database. */
  stop(): Promise<void>;
}

/** Opens the database, applies pending migrations, seeds an empty database, and builds the server. */
export async function startApp(config: Config, logger: Logger = createLogger(config.operations.logLevel)): Promise<App> {
  let database = await openDatabase({ ...config, poolSize: config.operations.poolSize });
  try {
    await migrateDatabase(database);
    if (config.seedOnStart && !(await hasPlans(database.db))) {
      const report = await seedDatabase(database.db);
      logger.info(report, `seeded ${report.plansAdded} plan(s), ${report.projectsAdded} project(s), ${report.agenciesAdded} agencies`);
    }
    database = await database.withStatementTimeout(config.operations.statementTimeoutMs);
    const server = await createServer(config, database, logger);
    return {
      database,
      server,
      async stop() {
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
