// V8's code cache for the modules a synth loads (Node.js 22 has it built in as
// module.enableCompileCache(); Node.js 20, which this project supports, does not): each module's
// compiled code is kept in node_modules/.cache/cdk8s-pod-patterns/compile/ and used the next time,
// so that loading cdk8s, cdk8s-plus-27 and the library skips most of V8's parsing and compiling.
// It covers the repository's own modules and those of its node_modules, also where node_modules is
// a link to another directory (Node.js loads a module under its real path).
// V8 checks each cache against the module's source and its own version and flags, and rejects one
// that does not match: the module is then compiled from its source as usual and the cache made anew.
// The caches are written when the process exits (then they hold every function the synth ran).
// Installed by scripts/synth.js; POD_PATTERNS_COMPILE_CACHE=off turns it off.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

function install(root) {
  if (process.env.POD_PATTERNS_COMPILE_CACHE === 'off' || typeof Module.prototype._compile !== 'function') return;
  const dir = path.join(root, 'node_modules', '.cache', 'cdk8s-pod-patterns', 'compile');
  const pending = new Map();
  const covered = [root + path.sep];
  try {
    const modules = fs.realpathSync(path.join(root, 'node_modules')) + path.sep;
    if (!modules.startsWith(covered[0])) covered.push(modules);
  } catch {
    // no node_modules: only the repository's own modules
  }
  const original = Module.prototype._compile;
  Module.prototype._compile = function compile(content, filename) {
    if (!filename.endsWith('.js') || !covered.some((c) => filename.startsWith(c))) return original.call(this, content, filename);
    const key = crypto.createHash('sha1').update(filename).update('\0').update(content).digest('hex');
    const file = path.join(dir, `${key}.v8`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: undefined });
    } catch {
      return original.call(this, content, filename); // what Node.js reports, as it reports it
    }
    if (cachedData === undefined || script.cachedDataRejected) pending.set(file, script);
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (pending.size === 0) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch {
      return;
    }
    for (const [file, script] of pending) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    }
  });
}

/** The `require` a module gets from Node.js (resolve, cache, main), bound to `mod`. */
function makeRequire(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

module.exports = { install };
