// What the README's synth need not load: a module that cdk8s requires when it loads but that a
// synth like ours never calls. cdk8s's lib/yaml.js requires the `yaml` package (72 modules,
// 280 KB: ~15 ms of a synth's start, with their code caches) for `Yaml.stringify`, `Yaml.load`
// and `Include`; our synth writes its YAML with its own writer (lib/synth/yaml.ts), so unless the
// app includes a file or calls cdk8s's Yaml itself, nothing of `yaml` runs.
//
// So cdk8s's lib/yaml.js gets, for `require("yaml")`, a stand-in that loads the real package on
// the first read of any of its properties and answers every read from it. cdk8s reads it through
// TypeScript's `__importStar`, whose result reads `m[k]` for every key and `mod` for `default`:
// the stand-in says `__esModule` (so `__importStar` hands it over as it is instead of listing
// the keys, which would load the package at once) and answers `default` with the module itself,
// so that every key reads what `__importStar`'s result would. Any other module's `require("yaml")`
// gets the package itself, the same object the stand-in forwards to. A `yaml` that cannot be
// loaded (a broken install) fails where cdk8s first uses it, with Node.js's own error, instead
// of when cdk8s loads.
// Installed by scripts/synth.js; POD_PATTERNS_LAZY_MODULES=off turns it off.
'use strict';
const Module = require('module');
const path = require('path');

/** The modules whose `require()` of a package gets a stand-in: parent file (its tail) -> request. */
const LAZY = [{ parent: `${path.sep}node_modules${path.sep}cdk8s${path.sep}lib${path.sep}yaml.js`, request: 'yaml' }];

/** A stand-in for `request` as `parent` would require it: loads it on the first read. */
function standIn(load, request, parent) {
  let real;
  const target = () => (real ??= load.call(Module, request, parent, false));
  return new Proxy(Object.create(null), {
    get: (_, key) => (key === '__esModule' ? true : key === 'default' ? target() : target()[key]),
    has: (_, key) => key === '__esModule' || key === 'default' || key in target(),
    ownKeys: () => [...new Set([...Reflect.ownKeys(target()), '__esModule', 'default'])],
    getOwnPropertyDescriptor: (_, key) => {
      if (key === '__esModule') return { value: true, enumerable: false, configurable: true, writable: false };
      if (key === 'default') return { value: target(), enumerable: true, configurable: true, writable: false };
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && { ...d, configurable: true };
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

function install() {
  if (process.env.POD_PATTERNS_LAZY_MODULES === 'off' || typeof Module._load !== 'function') return;
  const original = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (!isMain && parent && typeof parent.filename === 'string') {
      for (const l of LAZY) if (request === l.request && parent.filename.endsWith(l.parent)) return standIn(original, request, parent);
    }
    return original.apply(this, arguments);
  };
}

module.exports = { install };
