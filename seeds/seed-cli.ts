import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import { seedDatabase } from './load';

/** `npm run db:seed`: applies migrations, then loads the plan's data where it is missing. Safe to run again. */
async function main() {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await migrateDatabase(database);
    const report = await seedDatabase(database.db);
    console.log(
      `Seed loaded into ${database.kind} database at ${database.location}: ` +
        `${report.plansAdded} plan(s), ${report.projectsAdded} project(s), ${report.agenciesAdded} agencies, ${report.documentsAdded} documents added.`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
