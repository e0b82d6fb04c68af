import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './pg-instance';
import { TEST_JWT_SECRET } from './test-app';

/**
 * The registry as its own process (`node --import tsx src/main.ts`), as a user starts it: for what a test server in
 * the test's own process cannot show (the process dying, its heap, its exit code and its output).
 */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr. */
  output(): string;
  /** Set once the process has exited. */
  exit: { code: number | null; signal: string | null } | null;
  /** SIGTERM, then SIGKILL after `ms`; resolves when the process has exited. */
  stop(ms?: number): Promise<void>;
}

export async function startServerProcess(
  env: Record<string, string>,
  options: { nodeOptions?: string[]; readyMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'production',
      PGLITE_DATA_DIR: 'memory://',
      DATABASE_URL: '',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exit: null,
    async stop(ms = 10_000) {
      if (server.exit) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      await exited;
      clearTimeout(timer);
    },
  };
  child.on('exit', (code, signal) => (server.exit = { code, signal }));
  const deadline = Date.now() + (options.readyMs ?? 90_000);
  while (Date.now() < deadline && !server.exit) {
    const up = await fetch(`${server.url}/health/live`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await server.stop(1000);
  throw new Error(`the server did not start (exit ${JSON.stringify(server.exit)}):\n${output.slice(-4000)}`);
}
