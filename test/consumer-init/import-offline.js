// Stands in for `npm run import` (`cdk8s import`), which `cdk8s init` runs and which downloads
// the Kubernetes schema from GitHub: the same CLI command with the same generator, its one
// download answered from the schemas the installed cdk8s-pod-patterns package ships
// (schemas/k8s/, the cdk8s project's own files). The template's cdk8s.yaml imports `k8s`, which
// the CLI reads as k8s@1.25.0; that schema is not shipped, so this imports the 1.33 API
// cdk8s-plus-33 targets. Any other download is refused.
'use strict';
const fs = require('fs');
const path = require('path');

const cliRoot = path.dirname(require.resolve('cdk8s-cli/package.json'));
const schemas = path.join(path.dirname(require.resolve('cdk8s-pod-patterns/package.json')), 'schemas', 'k8s');
const util = require(path.join(cliRoot, 'lib', 'util.js'));
util.download = async (url) => {
  const m = /^https:\/\/raw\.githubusercontent\.com\/cdk8s-team\/cdk8s\/master\/kubernetes-schemas\/(v\d+\.\d+\.\d+)\/_definitions\.json$/.exec(url);
  if (!m) throw new Error(`import-offline: refusing to download ${url}`);
  return fs.readFileSync(path.join(schemas, m[1], '_definitions.json'), 'utf-8');
};
process.env.CDK8S_CHECK_UPGRADE = 'false';
process.argv = [process.argv[0], 'cdk8s', 'import', 'k8s@1.33.0', '--no-save', '--output', 'imports'];
require(path.join(cliRoot, 'lib', 'cli', 'index.js'));
