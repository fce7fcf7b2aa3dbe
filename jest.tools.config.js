/**
 * Tests of the repository's own tools (test/tools: the docs generator, which loads the TypeScript
 * compiler — seconds of module loading the unit suite does not pay). `npm run test:tools`; CI runs it.
 */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test/tools'], testMatch: ['**/*.test.ts'] };
