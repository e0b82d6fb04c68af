/**
 * Tests that bring their own servers (a private PostgreSQL instance, or the registry as a child process) run the same
 * whatever TEST_DATABASE_URL says: they run in the embedded pass only.
 */
const OWN_SERVERS = ['database-outage', 'database-restart', 'abandoned-requests', 'memory-flood'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: process.env.TEST_DATABASE_URL
    ? OWN_SERVERS.map((name) => `/test/api/${name}\\.test\\.ts$`)
    : [],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
};
