import type { Config } from './config';
import { openDatabase, type Database, type Db } from './db/client';
import { migrateDatabase } from './db/migrate';
import { createServer, type Logger, type RegistryServer } from './http/server';
import { createLogger } from './observability/logger';

export interface App {
  database: Database;
  server: RegistryServer;
  /** Stops taking requests, then closes the database. */
  stop(): Promise<void>;
}

/** Loads a database that holds no plan yet with the registry's data (the seeder, which `main` brings). */
export interface Seeder {
  hasPlans(db: Db): Promise<boolean>;
  seed(db: Db): Promise<{ plansAdded: number; projectsAdded: number; agenciesAdded: number }>;
}

/**
 * Opens the database, applies pending migrations, seeds an empty database when a seeder is given and
 * SEED_ON_START allows, and builds the server.
 */
export async function startApp(
  config: Config,
  logger: Logger = createLogger(config.operations.logLevel),
  seeder?: Seeder,
): Promise<App> {
  let database = await openDatabase({ ...config, poolSize: config.operations.poolSize });
  try {
    await migrateDatabase(database);
    if (seeder && config.seedOnStart && !(await seeder.hasPlans(database.db))) {
      const report = await seeder.seed(database.db);
      logger.info(
        report,
        `seeded ${report.plansAdded} plan(s), ${report.projectsAdded} project(s), ${report.agenciesAdded} agencies`,
      );
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
