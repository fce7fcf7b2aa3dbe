/**
 * The unit suite: tests are transpiled by SWC (no type-check here: `npm test` runs `tsc --noEmit`
 * next to jest), and loaded a share per suite file (test/suites/load.ts explains why); every
 * `*.test.ts` file under test/ (outside test/integration and test/consumer) runs exactly once.
 * One file alone: `npx jest -c jest.files.config.js test/<name>.test.ts`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/suites/*.suite.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/test/util/summary-reporter.js'],
  // one temporary directory per run, removed at the end (test/util/global-setup.js)
  globalSetup: '<rootDir>/test/util/global-setup.js',
  globalTeardown: '<rootDir>/test/util/global-teardown.js',
  // one worker per CPU: jest's default (CPUs - 1) runs the suite on a single worker on 2-core machines
  maxWorkers: '100%',
};
