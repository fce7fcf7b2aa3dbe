/**
 * Integration tests: run the configuration and command lines the constructs generate through the
 * real programs (redis-server, nutcracker, haproxy, nginx with its njs module, prometheus-nginx-exporter, busybox),
 * installed from Debian. `npm run test:integration`; .ci/run installs the packages. A missing
 * program fails the test (it is never skipped).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.itest.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/test/util/summary-reporter.js'],
  // one temporary directory per run, removed at the end (test/util/global-setup.js)
  globalSetup: '<rootDir>/test/util/global-setup.js',
  globalTeardown: '<rootDir>/test/util/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 1,
};
