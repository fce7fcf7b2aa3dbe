import { assignSuites, SUITES, testFiles } from './suites/load';

// npm test loads the unit test files a share per suite file (test/suites/load.ts), balanced by weights.json.

describe('the unit suite\'s shares', () => {
  test('GIVEN every unit test file THEN each is in exactly one suite, and the suites are balanced by weight', () => {
    // GIVEN the files and their weights
    const files = testFiles();
    const weights = require('./suites/weights.json');
    // WHEN they are shared among the suite files
    const suites = assignSuites(files, weights, SUITES);
    // THEN every file has one suite, a real one
    expect([...suites.keys()].sort()).toEqual([...files].sort());
    expect([...suites.values()].every((s) => Number.isInteger(s) && s >= 0 && s < SUITES)).toBe(true);
    expect(files).toContain('suites-load.test.ts');
  });

  test('GIVEN files without a weight THEN they count as the median and still land in one suite each', () => {
    // GIVEN two weighed files and three unknown ones
    const suites = assignSuites(['a', 'b', 'c', 'd', 'e'], { a: 100, b: 1 }, 2);
    // THEN the unknown ones weigh the median (100 here): a, c, d, e alternate, b (1) goes last, to the lighter suite
    expect(Object.fromEntries(suites)).toEqual({ a: 0, c: 1, d: 0, e: 1, b: 0 });
  });
});
