/**
 * Tests of the browser docs test's harness (scripts/docs/browser.js) in headless Chromium: that it
 * passes a page that is fine and fails on a too-wide diagram, a broken diagram, a node outside its
 * subgraph, a too-long code line and `<br>` in code. `npm run test:docs-browser`; CI runs it after
 * installing Debian's chromium.
 */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test/browser'], testMatch: ['**/*.test.ts'], maxWorkers: 1 };
