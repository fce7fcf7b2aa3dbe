#!/usr/bin/env node
// Regenerates imports/k8s.ts offline with the cdk8s CLI's own generator.
//
// `cdk8s import k8s@1.27.0` downloads
//   https://raw.githubusercontent.com/cdk8s-team/cdk8s/master/kubernetes-schemas/v1.27.0/_definitions.json
// This script runs that same CLI command, but answers the CLI's download of that one URL from the
// vendored copy in schemas/k8s/ (see schemas/k8s/README.md); any other download is refused, so the
// output is exactly what the online import writes.
'use strict';
const path = require('path');
const fs = require('fs');

const root = path.resolve(__dirname, '..');
const cliRoot = path.dirname(require.resolve('cdk8s-cli/package.json'));
const util = require(path.join(cliRoot, 'lib', 'util.js'));
const SCHEMA_URL = /^https:\/\/raw\.githubusercontent\.com\/cdk8s-team\/cdk8s\/master\/kubernetes-schemas\/(v\d+\.\d+\.\d+)\/_definitions\.json$/;

util.download = async (url) => {
  const m = SCHEMA_URL.exec(url);
  if (!m) throw new Error(`import-k8s: refusing to download ${url} (offline import only serves vendored Kubernetes schemas)`);
  const file = path.join(root, 'schemas', 'k8s', m[1], '_definitions.json');
  if (!fs.existsSync(file)) throw new Error(`import-k8s: no vendored schema at ${path.relative(root, file)}`);
  return fs.readFileSync(file, 'utf-8');
};

const outdir = process.argv[2] ?? 'imports';
process.chdir(root);
process.env.CDK8S_CHECK_UPGRADE = 'false';
process.argv = [process.argv[0], 'cdk8s', 'import', '--no-save', '--output', outdir];
require(path.join(cliRoot, 'lib', 'cli', 'index.js'));
