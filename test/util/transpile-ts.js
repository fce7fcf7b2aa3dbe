// One TypeScript source as CommonJS JavaScript (SWC, no type check, no .swcrc): for code that
// loads the library's sources outside jest's transform, the validator warm-up
// (test/util/warm-validators.js) and the worker-thread writer test (test/synth-write.test.ts).
'use strict';

let swc;

/** `source` (the text of `filename`) transpiled to CommonJS for ES2022. */
function transpileTs(source, filename) {
  swc ??= require('@swc/core');
  return swc.transformSync(source, {
    filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' }, swcrc: false, configFile: false,
  }).code;
}

module.exports = { transpileTs };
