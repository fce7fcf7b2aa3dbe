// Loads the library's TypeScript sources in a plain Node.js process or worker thread (outside
// jest, which transforms them itself): `require('./register-ts')` makes `require()` of a .ts file
// transpile it with SWC first (no type check). Used by the validator warm-up
// (test/util/warm-validators.js) and by tests that run library code in a worker thread.
'use strict';
const fs = require('fs');
const Module = require('module');

let swc;
Module._extensions['.ts'] = (module, filename) => {
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf-8'), {
    filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' }, swcrc: false, configFile: false,
  });
  module._compile(code, filename);
};
