import { ConfigError, loadConfig } from './config';
import { startApp } from './app';
import { hasPlans, seedDatabase } from '../seeds/load';
import { createLogger, flushLogs } from './observability/logger';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.operations.logLevel, { buffered: true });
  const started = Date.now();
  const app = await startApp(config, logger, { hasPlans, seed: seedDatabase });
  const port = await app.server.listen(config.port);
  logger.info(
    { port, database: app.database.kind, location: app.database.location, startupMs: Date.now() - started },
    `Infrastructure Plan Registry ready at http://localhost:${port}/graphql (${app.database.kind} database at ${app.database.location})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing those in flight');
    try {
      await app.stop();
      logger.info('stopped');
      await flushLogs(logger);
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error while shutting down');
      await flushLogs(logger);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else if (error?.code === 'EADDRINUSE') {
    console.error(`Port ${error.port} is in use. Set PORT to another port.`);
  } else {
    console.error('The registry could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
