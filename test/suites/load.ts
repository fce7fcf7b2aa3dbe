/**
 * Loads a share of the test files into the suite file that calls it.
 *
 * Jest gives every test file a fresh module registry, and loading cdk8s, cdk8s-plus-27, ajv and
 * the library into it costs about a second per file on this 2-core machine: with 40 files that
 * was most of the suite's time. So `npm test` runs a few suite files (one per worker), each of
 * which requires its share of the `*.test.ts` files: the tests are the same, their modules load
 * once per suite. Every test file is found by listing the folder, so none can be left out; each
 * lands in exactly one suite: the files, heaviest first by the time their tests took
 * (weights.json; a file not listed there counts as the median), each go to the suite with the
 * least weight so far, so that the suites, one per worker, end at about the same time (the files of
 * a group of TOGETHER, which share costly modules, go as one). The weights and groups only
 * balance: a stale or missing one changes which suite runs a file, never whether it runs.
 * Regenerate: `POD_PATTERNS_SUITE_LOAD_TIMES=/tmp/load.txt node scripts/test.js --json --outputFile=/tmp/jest.json`
 * (caches empty, as a first `npm test` runs, with npm test's V8 flags), then give each file the sum
 * of its test durations plus the time its require took (its top-level code: fixtures parsed, an app
 * synthesized; in the first file of a suite that time also holds the modules every file shares, so
 * count the median): scripts/suite-weights.js does it from two or more runs.
 * Last regenerated from three runs with empty caches (2026-12-02, with the groups of TOGETHER).
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

/**
 * Files that go to one suite together: those that load cdk8s-plus 28 to 33 (every major's module
 * is ~30 ms of module loading in each suite that requires it; test/util/workloads.ts loads them on
 * first use). Like the weights, a group only decides where files run, never whether they do.
 */
export const TOGETHER: ReadonlyArray<readonly string[]> = [
  ['any-workload.test.ts', 'cdk8s-render.test.ts', 'container.test.ts', 'errors.test.ts', 'http-adapter.test.ts', 'owned-workload.test.ts', 'prop-types.test.ts', 'version.test.ts', 'workload.test.ts'],
];

/**
 * The suite (0-based) of each test file: heaviest first, to the suite with the least weight so far;
 * the files of a group of `together` (those of them that are in `files`) as one, of their weights' sum.
 */
export function assignSuites(files: readonly string[], weights: Readonly<Record<string, number>>, suites: number, together: ReadonlyArray<readonly string[]> = TOGETHER): Map<string, number> {
  const known = files.map((f) => weights[f]).filter((w): w is number => typeof w === 'number').sort((a, b) => a - b);
  const median = known.length > 0 ? known[Math.floor(known.length / 2)] : 1;
  const weightOf = (f: string) => (typeof weights[f] === 'number' ? weights[f] : median);
  // the units placed: a group's files present, or a file alone
  const grouped = new Set<string>();
  const units: string[][] = [];
  for (const g of together) {
    const present = files.filter((f) => g.includes(f) && !grouped.has(f));
    for (const f of present) grouped.add(f);
    if (present.length > 0) units.push(present);
  }
  for (const f of files) if (!grouped.has(f)) units.push([f]);
  const weightOfUnit = (u: readonly string[]) => u.reduce((sum, f) => sum + weightOf(f), 0);
  const order = units.sort((a, b) => weightOfUnit(b) - weightOfUnit(a) || a[0].localeCompare(b[0]));
  const load = new Array<number>(suites).fill(0);
  const out = new Map<string, number>();
  for (const u of order) {
    const s = load.indexOf(Math.min(...load));
    for (const f of u) out.set(f, s);
    load[s] += weightOfUnit(u);
  }
  return out;
}

/** Requires the test files of suite `index` (0-based), each inside a describe named after its file. */
export function loadSuite(index: number): void {
  const files = testFiles();
  const suites = assignSuites(files, JSON.parse(fs.readFileSync(path.join(__dirname, 'weights.json'), 'utf-8')), SUITES);
  for (const file of files) {
    if (suites.get(file) !== index) continue;
    describe(file, () => {
      const started = performance.now();
      require(path.join(TEST_ROOT, file));
      const times = process.env.POD_PATTERNS_SUITE_LOAD_TIMES;
      if (times) fs.appendFileSync(times, `${file} ${Math.round(performance.now() - started)}\n`);
    });
  }
}
