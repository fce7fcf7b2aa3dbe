// Jest setup of the unit suite: cdk8s's `Include` (and `Yaml.load`) reads even a local file by
// spawning a Node.js process (cdk8s/lib/_loadurl.mjs, ~60 ms each); the unit tests include the
// same few YAML files hundreds of times. The first read of a file spawns that process as cdk8s
// does; a later read of the same file with the same bytes returns what that process printed (it
// prints the file as it is). URLs, and files whose bytes changed, always spawn.
'use strict';
const childProcess = require('child_process');
const crypto = require('crypto');
const fs = require('fs');

const MARK = Symbol.for('pod-patterns.memo-loadurl');
if (!childProcess[MARK]) {
  const original = childProcess.execFileSync;
  const memo = new Map();
  childProcess.execFileSync = function execFileSync(file, args, options) {
    const script = Array.isArray(args) ? args[0] : undefined;
    const target = Array.isArray(args) ? args[1] : undefined;
    if (typeof script !== 'string' || !/[\\/]cdk8s[\\/]lib[\\/]_loadurl\.mjs$/.test(script) || typeof target !== 'string' || args.length !== 2) {
      return original.apply(this, arguments);
    }
    let key;
    try {
      if (!fs.lstatSync(target).isFile()) return original.apply(this, arguments);
      key = `${target}\0${crypto.createHash('sha256').update(fs.readFileSync(target)).digest('hex')}\0${JSON.stringify(options ?? {})}`;
    } catch {
      return original.apply(this, arguments);
    }
    if (!memo.has(key)) memo.set(key, original.apply(this, arguments));
    return memo.get(key);
  };
  childProcess[MARK] = true;
}
