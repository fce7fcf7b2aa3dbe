#!/usr/bin/env node
// The README's synth: transpile what changed, then run the app, which validates everything and
// replaces dist/ in one step (lib/synth). Also the `app:` command of cdk8s.yaml.
'use strict';
require('./compile-cache').install(require('path').resolve(__dirname, '..'));
// the `yaml` package, which cdk8s loads and our synth does not call, loaded on first use (scripts/lazy-modules.js)
require('./lazy-modules').install();
require('./build').build();
// cdk8s-plus-27's Kubernetes types (2.5 MB; a 2.2 MB code cache in the pack), which the app loads
// in any case, loaded first, while V8's heap is small. Loaded where the app first needs them (after
// cdk8s-plus-27's other modules and much of the library), the deserialization of their code cache
// took the old generation past V8's first limit at once, and V8 stopped for a full collection on
// the spot (~6 ms); loaded first, the limit is reached later, a little at a time, and the heap is
// marked incrementally, mostly on another thread (~1.5 ms of pause; ~2 ms less of the synth's thread).
try {
  require('cdk8s-plus-27/lib/imports/k8s');
} catch {
  // a cdk8s-plus-27 laid out otherwise: the app loads what it needs, as it would anyway
}
require('../build/main.js');
