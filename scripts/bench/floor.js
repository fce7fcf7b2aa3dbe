#!/usr/bin/env node
// The floor of the README synth (scripts/bench/index.js): a Node.js process that loads cdk8s and
// cdk8s-plus-27 and writes the example app's YAML (read from <files.json>) into <dir>: what any
// synth of the app must at least pay, with no construct built, no check run, no YAML made.
//   node scripts/bench/floor.js <files.json> <dir>
'use strict';
const fs = require('fs');
const path = require('path');

require('cdk8s');
require('cdk8s-plus-27');
const [filesJson, dir] = process.argv.slice(2);
const files = JSON.parse(fs.readFileSync(filesJson, 'utf-8'));
fs.mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
