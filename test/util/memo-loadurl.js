// Jest setup of the unit suite: cdk8s's `Include` (and `Yaml.load`) reads even a local file by
// spawning a Node.js process (cdk8s/lib/_loadurl.mjs, ~60-80 ms of CPU each), which for a local
// file pipes the file to its standard output, read back as UTF-8. Here a local file is read as
// that program would print it (its bytes decoded as UTF-8), without the process, while the
// program is the one this mirrors (the SHA-256 of its text below: a cdk8s whose program differs
// spawns it, as cdk8s does). URLs and anything else always spawn. The suites that run cdk8s as
// users do (integration, consumers, API server) do not load this file.
'use strict';
const childProcess = require('child_process');
const crypto = require('crypto');
const fs = require('fs');

/** The SHA-256 of cdk8s/lib/_loadurl.mjs (cdk8s 2.70.x) whose local-file branch this mirrors. */
const MIRRORED = '4f868fc90eb41cfb94e7087ad920c5a8cf4e638df48d2ce750b47b752b8fd04d';

const MARK = Symbol.for('pod-patterns.memo-loadurl');
if (!childProcess[MARK]) {
  const original = childProcess.execFileSync;
  const mirrored = new Map();
  const isMirrored = (script) => {
    if (!mirrored.has(script)) {
      let same = false;
      try {
        same = crypto.createHash('sha256').update(fs.readFileSync(script)).digest('hex') === MIRRORED;
      } catch {
        same = false;
      }
      mirrored.set(script, same);
    }
    return mirrored.get(script);
  };
  childProcess.execFileSync = function execFileSync(file, args, options) {
    const script = Array.isArray(args) ? args[0] : undefined;
    const target = Array.isArray(args) ? args[1] : undefined;
    if (typeof script !== 'string' || !/[\\/]cdk8s[\\/]lib[\\/]_loadurl\.mjs$/.test(script) || typeof target !== 'string' || args.length !== 2 || options?.encoding !== 'utf-8' || !isMirrored(script)) {
      return original.apply(this, arguments);
    }
    try {
      // a file bigger than the buffer cdk8s gives the process fails there: spawn it, as cdk8s does
      const stat = fs.lstatSync(target);
      if (!stat.isFile() || stat.size > (options.maxBuffer ?? 1024 * 1024)) return original.apply(this, arguments);
    } catch {
      return original.apply(this, arguments);
    }
    return fs.readFileSync(target, 'utf-8');
  };
  childProcess[MARK] = true;
}
