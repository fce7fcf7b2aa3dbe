#!/usr/bin/env node
// `npm run docs` / `npm run docs:check`: the generated parts of docs/ (pod diagrams, example code,
// YAML excerpts, options tables, Pod Security tables) from the example app and the TSDoc.
// Transpiles what changed (lib/ as scripts/build.js does; scripts/docs/ and docs/examples/ the same
// way) into build/, then runs build/scripts/docs/generate.js. Offline; no type check here
// (`npm test` type-checks the generator and the examples through their tests).
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const outRoot = path.join(root, 'build');
const { build, transpile } = require('../build');

if (require.main === module) {
  build();
  transpile(['scripts/docs', 'docs/examples']);
  const { main } = require(path.join(outRoot, 'scripts', 'docs', 'generate.js'));
  process.exitCode = main(process.argv.slice(2));
}
