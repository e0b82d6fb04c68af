import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A private PostgreSQL server for one test file: initdb into a temporary directory, listening on 127.0.0.1 at a
 * free port with its socket in that directory. Runs as the `postgres` OS user when the tests run as root (initdb
 * refuses root). Stop and start it at will to simulate an outage; `remove()` stops it and deletes the directory.
 */
export interface PgInstance {
  port: number;
  dir: string;
  /** URL of the `postgres` superuser's database `name`. */
  url(name?: string): string;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl stop -m fast` (ends every session, waits until the server is down), or `immediate` (no clean shutdown). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Runs SQL as the superuser through psql (on the server's socket), returning its unaligned output. */
  psql(database: string, sql: string): Promise<string>;
  createDatabase(name: string): Promise<void>;
  remove(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (process.env.PG_BIN && existsSync(path.join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin/initdb')))
    : [];
  if (versions.length === 0) throw new Error('No PostgreSQL binaries in /usr/lib/postgresql/*/bin (set PG_BIN)');
  versions.sort((a, b) => Number(b) - Number(a));
  return path.join(root, versions[0], 'bin');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPgInstance(): Promise<PgInstance> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipr-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  const port = await freePort();
  chmodSync(dir, 0o755);
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);

  const run = (command: string, args: string[], timeout = 60_000) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]]
      : [path.join(bin, command), args];
    return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout, cwd: dir }).toString();
  };
  /** The same without blocking the event loop, so the server under test keeps answering meanwhile. */
  const runAsync = async (command: string, args: string[], timeout = 60_000) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]]
      : [path.join(bin, command), args];
    await promisify(execFile)(file, argv, { timeout, cwd: dir });
  };

  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=50`;
  const instance: PgInstance = {
    port,
    dir,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    async start() {
      await runAsync('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '30', 'start']);
    },
    async stop(mode = 'fast') {
      await runAsync('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
    },
    async psql(database: string, statement: string) {
      const [file, argv] = asRoot
        ? [
            'runuser',
            [
              '-u',
              'postgres',
              '--',
              path.join(bin, 'psql'),
              '-h',
              dir,
              '-p',
              String(port),
              '-U',
              'postgres',
              '-d',
              database,
              '-At',
              '-v',
              'ON_ERROR_STOP=1',
              '-c',
              statement,
            ],
          ]
        : [
            path.join(bin, 'psql'),
            [
              '-h',
              dir,
              '-p',
              String(port),
              '-U',
              'postgres',
              '-d',
              database,
              '-At',
              '-v',
              'ON_ERROR_STOP=1',
              '-c',
              statement,
            ],
          ];
      const { stdout } = await promisify(execFile)(file, argv, { timeout: 60_000, cwd: dir });
      return stdout.trim();
    },
    async createDatabase(name: string) {
      await runAsync('psql', [
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `create database "${name}"`,
      ]);
    },
    remove() {
      try {
        if (existsSync(path.join(data, 'postmaster.pid')))
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await instance.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return instance;
}
