/**
 * Loads a share of the test files into the suite file that calls it.
 *
 * Jest gives every test file a fresh module registry, and loading cdk8s, cdk8s-plus-27, ajv and
 * the library into it costs about a second per file on this 2-core machine: with 40 files that
 * was most of the suite's time. So `npm test` runs a few suite files (one per worker), each of
 * which requires its share of the `*.test.ts` files: the tests are the same, their modules load
 * once per suite. Every test file is found by listing the folder, so none can be left out; each
 * lands in exactly one suite (by its index in the sorted list, modulo the number of suites).
 *
 * One file alone, with its own registry: `npx jest -c jest.files.config.js test/adapter.test.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';

const TEST_ROOT = path.join(__dirname, '..');

/**
 * Every `*.test.ts` file under test/, sorted; outside test/integration (real programs),
 * test/consumer (a packed install), test/faults and test/yaml-roundtrip (own npm scripts) and test/tools (the docs generator, which loads the TypeScript
 * compiler: `npm run test:tools`) and test/browser (headless Chromium: `npm run test:docs-browser`).
 */
export function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['integration', 'consumer', 'consumer-init', 'tools', 'browser', 'faults', 'yaml-roundtrip', 'suites', 'fixtures', '__snapshots__', 'node_modules'].includes(e.name)) walk(p);
      } else if (e.name.endsWith('.test.ts')) out.push(path.relative(TEST_ROOT, p));
    }
  };
  walk(TEST_ROOT);
  return out;
}

/** The number of suite files (test/suites/*.suite.ts). */
export const SUITES = fs.readdirSync(__dirname).filter((f) => f.endsWith('.suite.ts')).length;

/** Requires the test files of suite `index` (0-based), each inside a describe named after its file. */
export function loadSuite(index: number): void {
  testFiles().forEach((file, i) => {
    if (i % SUITES !== index) return;
    describe(file, () => {
      require(path.join(TEST_ROOT, file));
    });
  });
}
