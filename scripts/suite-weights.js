#!/usr/bin/env node
// test/suites/weights.json from cold `npm test` runs (test/suites/load.ts explains the weights):
//
//   rm -rf /tmp/vc && POD_PATTERNS_CACHE_DIR=/tmp/vc POD_PATTERNS_SUITE_LOAD_TIMES=/tmp/load-1.txt \
//     node scripts/test.js --json --outputFile=/tmp/jest-1.json --cacheDirectory "$(mktemp -d)" --silent
//   (again for /tmp/load-2.txt and /tmp/jest-2.json, with a fresh /tmp/vc), then
//   node scripts/suite-weights.js /tmp/jest-1.json:/tmp/load-1.txt /tmp/jest-2.json:/tmp/load-2.txt > test/suites/weights.json
//
// Each file weighs the sum of its tests' durations plus the time its require took (its top-level
// code); the first file each suite loads counts the median require time instead of its own, which
// also holds the modules every file shares. Each run is scaled to the runs' mean total, so that a
// run on a busier machine counts no more than another; the weights are the runs' mean. Prints the
// suites' totals as measured to stderr.
'use strict';
const fs = require('fs');

const runs = process.argv.slice(2).map((arg) => {
  const [json, loads] = arg.split(':');
  return { results: JSON.parse(fs.readFileSync(json, 'utf-8')), loads: fs.readFileSync(loads, 'utf-8').trim().split('\n').map((l) => l.split(' ')) };
});
if (runs.length === 0) {
  process.stderr.write('usage: node scripts/suite-weights.js JEST_JSON:LOAD_TIMES...\n');
  process.exit(2);
}

const perRun = runs.map(({ results, loads }) => {
  const weights = {};
  const suiteOf = {};
  for (const r of results.testResults) {
    for (const a of r.assertionResults) {
      const file = a.ancestorTitles[0];
      weights[file] = (weights[file] ?? 0) + (a.duration ?? 0);
      suiteOf[file] = r.name;
    }
  }
  // the load times are appended by every suite as it loads its files: the first line of each suite is its first file
  const required = {};
  const firsts = new Set();
  const suitesSeen = new Set();
  for (const [file, ms] of loads) {
    required[file] = Number(ms);
    if (suiteOf[file] !== undefined && !suitesSeen.has(suiteOf[file])) {
      suitesSeen.add(suiteOf[file]);
      firsts.add(file);
    }
  }
  const sorted = Object.values(required).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  for (const file of Object.keys(required)) weights[file] = (weights[file] ?? 0) + (firsts.has(file) ? median : required[file]);
  for (const r of results.testResults) process.stderr.write(`${r.name.split(/[\\/]/).pop()}: ${((r.endTime - r.startTime) / 1000).toFixed(2)} s\n`);
  return weights;
});

const totals = perRun.map((w) => Object.values(w).reduce((a, b) => a + b, 0));
const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
const files = [...new Set(perRun.flatMap((w) => Object.keys(w)))].sort();
const out = {};
for (const file of files) {
  const values = perRun.map((w, i) => (w[file] === undefined ? undefined : (w[file] * mean) / totals[i])).filter((v) => v !== undefined);
  out[file] = Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
