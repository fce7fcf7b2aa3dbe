// The unit suites' validator warm-up: compiles into the validator cache (lib/synth/validator-cache.ts)
// the schema validators the suites use, listed in test/suites/validators.json, that it does not
// hold yet. test/util/global-setup.js runs it as a process of its own, beside jest's transform of
// the sources, before the workers start: with an empty cache (a first `npm test`), each of the
// workers would otherwise compile the validators it meets, some the same as the other's, and
// each read the schemas and load ajv's compiler to do so. A listed validator the suites no longer
// use costs its compile here; one they use and the list misses is compiled by the worker, as
// before: the list changes the time only (`node scripts/suite-validators.js` makes it again).
//
// It loads the library's TypeScript sources of the schema check (lib/synth/schema.ts and the two
// modules it imports), transpiled by SWC, not a build: a cached validator's key is made from the
// sources' paths and bytes, which must be those the workers load.
//
//   node test/util/warm-validators.js [LIST]   (the cache directory as the library finds it)
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const list = JSON.parse(fs.readFileSync(process.argv[2] ?? path.join(root, 'test', 'suites', 'validators.json'), 'utf-8'));

const { transpileTs } = require('./transpile-ts');

Module._extensions['.ts'] = (module, filename) => {
  module._compile(transpileTs(fs.readFileSync(filename, 'utf-8'), filename), filename);
};

const { cacheValidators } = require(path.join(root, 'lib', 'synth', 'schema.ts'));
for (const [version, ids] of Object.entries(list)) cacheValidators(version, ids);
