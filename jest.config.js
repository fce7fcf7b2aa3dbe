/** Tests are transpiled by SWC (no type-check here: `npm test` runs `tsc --noEmit` once first). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/test/util/summary-reporter.js'],
  // one worker per CPU: jest's default (CPUs - 1) runs the suite on a single worker on 2-core machines
  maxWorkers: '100%',
};
