/**
 * The API server tests (test/apiserver/*.apitest.ts): what the project writes, sent to a real
 * kube-apiserver with Pod Security Admission. Run them with `npm run test:apiserver`
 * (scripts/apiserver/test.sh builds and starts the server, exports KUBE_API_URL / KUBE_API_TOKEN /
 * KUBE_API_CA, and stops it after). `cdk8s-pod-patterns` resolves to this repository's lib/, so
 * the consumer apps run from their source.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/apiserver'],
  testMatch: ['**/*.apitest.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^cdk8s-pod-patterns$': '<rootDir>/lib/index.ts' },
  reporters: ['default', '<rootDir>/test/util/summary-reporter.js'],
  // one temporary directory per run, removed at the end (test/util/global-setup.js)
  globalSetup: '<rootDir>/test/util/global-setup.js',
  globalTeardown: '<rootDir>/test/util/global-teardown.js',
  testTimeout: 120000,
  maxWorkers: 1,
};
