/**
 * One test file per jest module registry, as jest does by default. For running one or a few test
 * files alone: `npx jest -c jest.files.config.js test/adapter.test.ts`. `npm test` uses
 * jest.config.js, which loads the same files through test/suites/ (faster; see test/suites/load.ts).
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/integration/', '/test/consumer/', '/test/consumer-init/', '/test/faults/', '/test/yaml-roundtrip/'],
};
