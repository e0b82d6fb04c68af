import { ConfigError, loadConfig } from './config';
import { startApp } from './app';

async function main() {
  const config = loadConfig();
  const started = Date.now();
  const app = await startApp(config);
  const port = await app.server.listen(config.port);
  console.info(
    `Infrastructure Plan Registry ready at http://localhost:${port}/graphql in ${Date.now() - started} ms ` +
      `(${app.database.kind} database at ${app.database.location})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`${signal} received: closing`);
    try {
      await app.stop();
      process.exit(0);
    } catch (error) {
      console.error('Error while closing', error);
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
