// What a synth's modules cost to load, paid once: V8's code cache of each module and where each of
// their require() calls led, kept in one file (node_modules/.cache/cdk8s-pod-patterns/compile/
// modules.pack) and used by the next synth. Node.js 22 has the code cache built in
// (module.enableCompileCache()); Node.js 20, which this project supports, does not, and neither
// keeps resolutions: a require() of a package looks for it directory by directory and reads its
// package.json, ~14 ms of a synth's start for the ~600 require() calls of cdk8s, cdk8s-plus-27 and
// the library. It covers the repository's modules and those of its node_modules, also where
// node_modules is a link to another directory (Node.js loads a module under its real path).
//
// Nothing from the pack is used unless it still describes the files:
// - a module's code cache only while the file has the size, modification and change times and
//   inode it had when the cache was made (a rewrite changes the change time, whatever it does to
//   the modification time); V8 also checks the cache against the source's length and its own
//   version and flags, and rejects one that does not match: the module is then compiled from its
//   source as usual, and the pack written anew;
// - the resolutions only while node_modules is the same directory, and every directory that holds
//   a packed module, every directory above one up to node_modules or the repository (the
//   repository's own top directory aside: what the synth writes there cannot change where a
//   require() leads, and a node_modules there is the one checked), and the package.json in each,
//   is as it was: a file added, removed or renamed in one of them (a new package, a new module
//   that a require() could now find first) or an edited package.json drops all of them, and
//   Node.js resolves as usual; so does another NODE_PATH or a flag that changes resolution
//   (--preserve-symlinks, --conditions). A resolution whose module is not in the pack any more, or
//   changed, is not used either.
// The pack is written when the process exits (so that each code cache holds every function the
// synth ran), under a temporary name, then renamed: a reader sees a whole pack or none; one that
// does not parse is ignored. Installed by scripts/synth.js; POD_PATTERNS_COMPILE_CACHE=off turns it off.
'use strict';
const { isAscii } = require('buffer');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

/** Bump when the form of the pack changes. */
const FORMAT = 1;
const MAGIC = 'pod-patterns-modules';

/** What identifies a file's state: size, modification and change times, inode (null: absent). */
function stateOf(file) {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? [st.size, st.mtimeMs, st.ctimeMs, st.ino] : null;
}
const sameState = (a, b) => (a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3]);

/** The pack in `file`, or undefined (absent, unreadable, another format, Node.js or V8). */
function readPack(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.toString('utf8', 4, 4 + headerLength));
    if (header.magic !== MAGIC || header.format !== FORMAT || header.node !== process.version || header.v8 !== process.versions.v8) return undefined;
    return { header, blobs: buf.subarray(4 + headerLength) };
  } catch {
    return undefined;
  }
}

function install(root) {
  if (process.env.POD_PATTERNS_COMPILE_CACHE === 'off' || typeof Module.prototype._compile !== 'function') return;
  const dir = path.join(root, 'node_modules', '.cache', 'cdk8s-pod-patterns', 'compile');
  const packFile = path.join(dir, 'modules.pack');
  const tops = [root];
  let modulesDir;
  try {
    modulesDir = fs.realpathSync(path.join(root, 'node_modules'));
    if (!modulesDir.startsWith(root + path.sep)) tops.push(modulesDir);
  } catch {
    // no node_modules: only the repository's own modules
  }
  const covered = (file) => tops.some((t) => file.startsWith(t + path.sep));

  const pack = readPack(packFile);
  /** file -> [state, offset, length] of the packed modules */
  const packed = new Map(pack ? Object.entries(pack.header.modules) : []);
  /** The modules checked against their file in this process: file -> whether the pack's entry holds. */
  const checked = new Map();
  const holds = (file) => {
    let ok = checked.get(file);
    if (ok === undefined) {
      const entry = packed.get(file);
      ok = entry !== undefined && sameState(entry[0], stateOf(file));
      checked.set(file, ok);
    }
    return ok;
  };
  /** "parent\0request" -> file, while every directory the pack recorded is as it was */
  let resolved = new Map();
  // what else decides where a require() leads: NODE_PATH, and the flags that change resolution
  const resolving = JSON.stringify([process.env.NODE_PATH ?? null, process.execArgv.filter((a) => /^(--preserve-symlinks|--conditions|-C|--experimental-)/.test(a))]);
  const dirsHold = pack !== undefined && pack.header.modulesDir === (modulesDir ?? null) && pack.header.resolving === resolving
    && Object.entries(pack.header.dirs).every(([d, [state, pkg]]) => sameState(state, stateOf(d)) && sameState(pkg, stateOf(path.join(d, 'package.json'))));
  if (dirsHold) resolved = new Map(Object.entries(pack.header.resolved));

  let dirty = !pack;
  /** this process's modules: file -> { state, script } (script: compiled here, its cache to be made) */
  const loaded = new Map();
  const seen = new Map(); // resolutions of this process
  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function resolveFilename(request, parent, isMain, options) {
    const from = !isMain && options === undefined && parent && typeof parent.filename === 'string' ? parent.filename : undefined;
    if (from === undefined) return originalResolve.apply(this, arguments);
    const key = `${from}\0${request}`;
    const hit = resolved.get(key);
    if (hit !== undefined && holds(hit)) {
      seen.set(key, hit);
      return hit;
    }
    const file = originalResolve.apply(this, arguments);
    if (path.isAbsolute(file) && covered(file) && file.endsWith('.js')) {
      seen.set(key, file);
      dirty = true;
    }
    return file;
  };

  // The node_modules directories a module's require() would look in (Node.js computes them for
  // each module it loads, from its directory: ~2 ms for a synth's ~220 modules, which are in ~35
  // directories): computed once per directory, each module getting a copy of its own.
  const originalPaths = Module._nodeModulePaths;
  if (typeof originalPaths === 'function') {
    const pathsOf = new Map();
    Module._nodeModulePaths = function nodeModulePaths(from) {
      let paths = pathsOf.get(from);
      if (paths === undefined) pathsOf.set(from, (paths = originalPaths.call(this, from)));
      return paths.slice();
    };
  }

  // A packed module, while it and the package.json files above it are as they were, was CommonJS
  // when packed and still is: it is read and compiled without asking its package.json again, and
  // read as Latin-1 when it is all ASCII (the same string; UTF-8 decoding of cdk8s-plus-27's
  // 2.5 MB k8s.js costs ~4 ms, Latin-1 ~0.3 ms).
  const originalJs = Module._extensions['.js'];
  if (dirsHold && typeof isAscii === 'function') {
    Module._extensions['.js'] = function loadJs(module, filename) {
      if (!holds(filename)) return originalJs.apply(this, arguments);
      const bytes = fs.readFileSync(filename);
      module._compile(isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.utf8Slice(0, bytes.length), filename);
    };
  }

  const original = Module.prototype._compile;
  Module.prototype._compile = function compile(content, filename, format) {
    if (format === 'module' || !filename.endsWith('.js') || !covered(filename)) return original.apply(this, arguments);
    const fromPack = holds(filename) ? packed.get(filename) : undefined;
    const cachedData = fromPack ? pack.blobs.subarray(fromPack[1], fromPack[1] + fromPack[2]) : undefined;
    let script;
    try {
      // a `#!` line is a comment to Node.js, but a syntax error inside the module's wrapper
      const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
      script = new vm.Script(Module.wrap(source), { filename, cachedData, importModuleDynamically: undefined });
    } catch {
      return original.apply(this, arguments); // what Node.js reports, as it reports it
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      loaded.set(filename, { state: stateOf(filename), script });
      dirty = true;
    } else {
      loaded.set(filename, { state: fromPack[0], blob: cachedData });
    }
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    if (!dirty) return;
    try {
      // first, as it may add node_modules/.cache, and so change node_modules, whose state the pack records
      fs.mkdirSync(dir, { recursive: true });
      // the modules of this process, and those of the pack this process did not load that still hold
      // (a pack is this repository's: a module of another tree that links the same node_modules is left out)
      const modules = {};
      const blobs = [];
      let offset = 0;
      const add = (file, state, blob) => {
        modules[file] = [state, offset, blob.length];
        blobs.push(blob);
        offset += blob.length;
      };
      for (const [file, m] of loaded) add(file, m.state, m.blob ?? m.script.createCachedData());
      for (const [file, [state, off, len]] of packed) {
        if (!loaded.has(file) && covered(file) && sameState(state, stateOf(file))) add(file, state, pack.blobs.subarray(off, off + len));
      }
      // the resolutions that lead to a packed module (of this process, then the pack's own)
      const res = {};
      for (const [key, file] of [...resolved, ...seen]) if (modules[file] !== undefined) res[key] = file;
      // every directory holding a packed module, and those above it up to the repository or node_modules
      const dirs = {};
      for (const file of Object.keys(modules)) {
        const top = tops.find((t) => file.startsWith(t + path.sep));
        for (let d = path.dirname(file); dirs[d] === undefined && d !== root; d = path.dirname(d)) {
          dirs[d] = [stateOf(d), stateOf(path.join(d, 'package.json'))];
          if (d === top || path.dirname(d) === d) break;
        }
      }
      const header = Buffer.from(JSON.stringify({ magic: MAGIC, format: FORMAT, node: process.version, v8: process.versions.v8, modulesDir: modulesDir ?? null, resolving, modules, resolved: res, dirs }));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(header.length, 0);
      const tmp = `${packFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, Buffer.concat([length, header, ...blobs]));
        fs.renameSync(tmp, packFile);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
      // the code caches of the form before the pack, one file a module, are not read any more
      if (!pack) for (const f of fs.readdirSync(dir)) if (f.endsWith('.v8')) fs.rmSync(path.join(dir, f), { force: true });
    } catch {
      // a cache that cannot be written (a read-only tree) is skipped: the next synth loads as usual
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
