#!/usr/bin/env node
// test/suites/validators.json (the schema validators the unit suites' warm-up compiles,
// test/util/warm-validators.js) from the validator cache of a cold `npm test` run without it:
//
//   rm -rf /tmp/vc && POD_PATTERNS_CACHE_DIR=/tmp/vc POD_PATTERNS_NO_VALIDATOR_WARMUP=1 node scripts/test.js --silent
//   node scripts/suite-validators.js /tmp/vc > test/suites/validators.json
//
// The cache holds one directory per schema version's key (schema-keys.json names the schema
// file each key was made from, whose folder names the version: schemas/k8s/v1.27.0), with one
// file per validator, named from its "apiVersion kind" ("apps/v1 Deployment" ->
// apps_v1-Deployment.js: a kind has no "-", an API group no "_").
'use strict';
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node scripts/suite-validators.js CACHE_DIR\n');
  process.exit(2);
}
const { keys } = JSON.parse(fs.readFileSync(path.join(dir, 'schema-keys.json'), 'utf-8'));
const out = {};
for (const [file, { key }] of Object.entries(keys)) {
  const version = /[\\/]v(\d+\.\d+)\.\d+[\\/]/.exec(file)?.[1];
  if (version === undefined || !fs.existsSync(path.join(dir, key))) continue;
  const ids = fs.readdirSync(path.join(dir, key)).filter((f) => f.endsWith('.js')).map((f) => {
    const name = f.slice(0, -'.js'.length);
    const dash = name.lastIndexOf('-');
    return `${name.slice(0, dash).replace(/_/g, '/')} ${name.slice(dash + 1)}`;
  });
  if (ids.length > 0) out[version] = ids.sort();
}
const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })));
process.stdout.write(`${JSON.stringify(sorted, null, 2)}\n`);
