#!/usr/bin/env node
// The `imports/k8s.ts` a consumer app generates with `cdk8s import` (test/consumer-init does it
// with its import-offline.js, k8s@1.33.0), for the API server tests, which run the app from its
// source: the cdk8s CLI's own import command, its one schema download answered from the vendored
// schemas/k8s/ (as scripts/import-k8s.js does). Usage: import-k8s.js k8s@1.33.0 OUTDIR
'use strict';
const fs = require('fs');
const path = require('path');

const [spec, outdir] = process.argv.slice(2);
if (!spec || !outdir) throw new Error('usage: import-k8s.js k8s@1.NN.0 OUTDIR');
const root = path.resolve(__dirname, '..', '..');
const cliRoot = path.dirname(require.resolve('cdk8s-cli/package.json'));
const util = require(path.join(cliRoot, 'lib', 'util.js'));
util.download = async (url) => {
  const m = /^https:\/\/raw\.githubusercontent\.com\/cdk8s-team\/cdk8s\/master\/kubernetes-schemas\/(v\d+\.\d+\.\d+)\/_definitions\.json$/.exec(url);
  if (!m) throw new Error(`import-k8s: refusing to download ${url}`);
  return fs.readFileSync(path.join(root, 'schemas', 'k8s', m[1], '_definitions.json'), 'utf-8');
};
process.env.CDK8S_CHECK_UPGRADE = 'false';
fs.mkdirSync(outdir, { recursive: true });
process.chdir(outdir);
process.argv = [process.argv[0], 'cdk8s', 'import', spec, '--language', 'typescript', '--no-save', '--output', 'imports'];
require(path.join(cliRoot, 'lib', 'cli', 'index.js'));
