// Jest transformer of the unit tests: @swc/jest, loaded only when a file is to be transformed.
// Jest creates the transformers of every worker when the worker starts, and @swc/jest requires
// @swc/core, whose native binding (~50 MB) takes 40-70 ms of CPU to load; the unit suite's
// workers find every file already in the transform cache (test/util/global-setup.js), so they
// need neither. The cache key is what the output depends on, without the binding: the source,
// its path, jest's options, the versions of @swc/core and @swc/jest and the SWC options as given
// (@swc/jest adds to them; jest keeps each configuration's cache in a directory of its own).
'use strict';
const crypto = require('crypto');
const path = require('path');

const VERSIONS = ['@swc/core', '@swc/jest'].map((p) => `${p}@${require(`${p}/package.json`).version}`).join(' ');

module.exports = {
  createTransformer(swcOptions) {
    const optionsKey = JSON.stringify(swcOptions ?? {});
    let swc;
    // a copy: @swc/jest adds to the options it is given, and jest hands this object (in its
    // configuration) on to the workers, whose keys would then differ from this process's
    const transformer = () => (swc ??= require('@swc/jest').createTransformer(JSON.parse(optionsKey)));
    return {
      canInstrument: false,
      process: (src, filename, options) => transformer().process(src, filename, options),
      getCacheKey(src, filename, options) {
        return crypto.createHash('sha1')
          .update(VERSIONS).update('\0')
          .update(optionsKey).update('\0')
          .update(process.env.NODE_ENV ?? '').update('\0')
          .update(path.relative(options.config.rootDir, filename)).update('\0')
          .update(options.instrument ? 'instrument' : '').update('\0')
          .update(JSON.stringify({ supportsStaticESM: options.supportsStaticESM === true, supportsDynamicImport: options.supportsDynamicImport === true }))
          .update('\0')
          .update(src)
          .digest('hex');
      },
    };
  },
};
