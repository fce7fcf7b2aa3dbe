/**
 * The unit suite: tests are transpiled by SWC (no type-check here: `npm test` runs `tsc --noEmit`
 * next to jest), and loaded a share per suite file (test/suites/load.ts explains why); every
 * `*.test.ts` file under test/ (outside test/integration and test/consumer) runs exactly once.
 * One file alone: `npx jest test/<name>.test.ts` (test files named on the command line run as
 * jest's own files, one module registry each, as `jest.files.config.js` does).
 */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/suites/*.suite.ts'],
  // source maps without the sources' text (jest reads a failure's code frame from the file): the
  // transformed files are half the size to write, read and compile (imports/k8s.ts: 2.4 -> 0.8 MB);
  // and beside the code, not inline (@swc/jest's default), which jest would find in the code by a
  // regular expression, decode from base64, parse and write again. @swc/jest itself, loaded only
  // when a file is transformed (test/util/swc-transformer.js)
  transform: { '^.+\\.ts$': ['<rootDir>/test/util/swc-transformer.js', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, sourceMaps: true, inlineSourcesContent: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/test/util/summary-reporter.js'],
  // one temporary directory per run, removed at the end (test/util/global-setup.js); for the
  // suites, the same setup also fills jest's transform cache once, before the workers start
  globalSetup: '<rootDir>/test/util/global-setup.js',
  globalTeardown: '<rootDir>/test/util/global-teardown.js',
  // cdk8s's Include spawns a Node.js process per read of a file: a local file is read as that process prints it (test/util/memo-loadurl.js)
  // Testing.app()'s outdir: a fresh path per app, created only when written (test/util/testing-outdir.js)
  setupFiles: ['<rootDir>/test/util/memo-loadurl.js', '<rootDir>/test/util/testing-outdir.js'],
  // one worker per CPU: jest's default (CPUs - 1) runs the suite on a single worker on 2-core machines
  maxWorkers: '100%',
  // jest-circus without a message to jest's main process per test (test/util/circus-runner.js)
  testRunner: '<rootDir>/test/util/circus-runner.js',
};

/**
 * Test files named on the command line (`npx jest test/adapter.test.ts`): run as named, wherever
 * they are (test/faults and test/yaml-roundtrip have their own configs for the whole suite).
 */
const namedFiles = process.argv.slice(2).filter((a) => /\.test\.ts$/.test(a));

module.exports = namedFiles.length === 0 ? base : {
  ...base,
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/consumer/', '/test/consumer-init/'],
};
