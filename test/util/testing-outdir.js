// Jest setup of the unit suite: cdk8s's Testing.app() creates a fresh temporary directory for each
// app's outdir (mkdtemp; 1,400 in a run of the unit suite, all removed again at its end), though
// the tests synthesize in memory and hardly ever write there. Each Testing.app() without an outdir
// still gets one of its own, a fresh path in the run's temporary directory (global-setup.js), which
// App.synth() creates when it writes (it makes its outdir). An outdir the test gives is kept.
'use strict';
const os = require('os');
const path = require('path');
const { App, Testing } = require('cdk8s');

let n = 0;
Testing.app = function app(props) {
  const outdir = props?.outdir ?? path.join(os.tmpdir(), `cdk8s.outdir.${process.pid}.${++n}`);
  return new App({ outdir, ...props });
};
