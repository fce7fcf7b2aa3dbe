#!/usr/bin/env node
// `npm run docs` / `npm run docs:check`: the generated parts of docs/ (pod diagrams, example code,
// YAML excerpts, options tables, Pod Security tables) from the example app and the TSDoc.
// Transpiles what changed (lib/ as scripts/build.js does; scripts/docs/ and docs/examples/ the same
// way) into build/, then runs build/scripts/docs/generate.js. Offline; no type check here
// (`npm test` type-checks the generator and the examples through their tests). `--check` then runs
// the browser docs test (scripts/docs/browser.js) where Chromium is installed.
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const outRoot = path.join(root, 'build');
const { build, transpile } = require('../build');

if (require.main === module) {
  build();
  transpile(['scripts/docs', 'docs/examples']);
  const { main } = require(path.join(outRoot, 'scripts', 'docs', 'generate.js'));
  const code = main(process.argv.slice(2));
  process.exitCode = code;
  // --check also renders every page in headless Chromium (npm run docs:browser), where it is
  // installed; in CI (CI=true) a missing Chromium is a failure
  if (code === 0 && process.argv.includes('--check')) {
    const { CHROMIUM } = require('./browser');
    const fs = require('fs');
    if (fs.existsSync(CHROMIUM)) {
      const r = require('child_process').spawnSync(process.execPath, [path.join(__dirname, 'browser.js')], { stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    } else if (process.env.CI) {
      process.stderr.write(`docs:check: no Chromium at ${CHROMIUM}, and CI must run the browser docs test (apt-get install chromium)\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`docs:check: browser docs test not run: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)\n`);
    }
  }
}
