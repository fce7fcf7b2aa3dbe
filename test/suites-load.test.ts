import { assignSuites, SUITES, testFiles, TOGETHER } from './suites/load';

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

  test('GIVEN a group of files THEN they land in one suite, placed as one file of their weights\' sum', () => {
    // GIVEN five files, the two heaviest a group (5 + 4 = 9 together), and a group of a file not there
    const weights = { a: 1, b: 5, c: 4, d: 3, e: 2 };
    const suites = assignSuites(['a', 'b', 'c', 'd', 'e'], weights, 2, [['b', 'c'], ['x']]);
    // THEN the group goes first, to one suite, and the other files fill the other one (3 + 2 + 1)
    expect(Object.fromEntries(suites)).toEqual({ b: 0, c: 0, d: 1, e: 1, a: 1 });
    // negative control: without the group, b and c are apart
    const apart = assignSuites(['a', 'b', 'c', 'd', 'e'], weights, 2, []);
    expect(apart.get('b')).not.toBe(apart.get('c'));
  });

  test('GIVEN the groups of the unit suite THEN each names test files that exist (a renamed file would fall out of its group)', () => {
    const files = new Set(testFiles());
    for (const g of TOGETHER) for (const f of g) expect({ f, exists: files.has(f) }).toEqual({ f, exists: true });
    const suites = assignSuites(testFiles(), require('./suites/weights.json'), SUITES);
    for (const g of TOGETHER) expect(new Set(g.map((f) => suites.get(f))).size).toBe(1);
  });

  test('GIVEN files without a weight THEN they count as the median and still land in one suite each', () => {
    // GIVEN two weighed files and three unknown ones
    const suites = assignSuites(['a', 'b', 'c', 'd', 'e'], { a: 100, b: 1 }, 2);
    // THEN the unknown ones weigh the median (100 here): a, c, d, e alternate, b (1) goes last, to the lighter suite
    expect(Object.fromEntries(suites)).toEqual({ a: 0, c: 1, d: 0, e: 1, b: 0 });
  });
});
