#!/usr/bin/env node
// The README's synth: transpile what changed, then run the app, which validates everything and
// replaces dist/ in one step (lib/synth). Also the `app:` command of cdk8s.yaml.
'use strict';
require('./compile-cache').install(require('path').resolve(__dirname, '..'));
require('./build').build();
require('../build/main.js');
