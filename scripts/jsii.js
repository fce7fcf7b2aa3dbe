#!/usr/bin/env node
// The jsii build (npm run build:jsii) and the language packages (npm run package:jsii).
//
// jsii compiles the library into its own directory, build/jsii/, so that the TypeScript flows
// (npm run build, tsc, jest, npm pack for TypeScript users) are untouched: build/jsii/ is a staging
// copy of the package (lib/ without the example charts, imports/, schemas/k8s/, README, and a
// package.json derived from the repository's: same name, version, peers, bundled ajv and yaml, the
// `jsii` section). jsii runs there with --fail-on-warnings (a dropped export is a warning) and
// writes build/jsii/.jsii next to the compiled lib/; jsii-pacmak then builds, from that directory,
// the Python wheel, the Maven artifact (a local repository) and the Go module into
// build/jsii/dist/{python,java,go}. Each embeds the npm tarball the jsii runtime unpacks at run
// time, which carries schemas/k8s/ (validation reads it, walking up from lib/synth/).
//
// Usage: node scripts/jsii.js            compile (build:jsii)
//        node scripts/jsii.js --package  compile, then jsii-pacmak for python, java and go
//        node scripts/jsii.js --package --targets python,go
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const stage = path.join(root, 'build', 'jsii');

/** The package.json of the staging copy: the repository's, re-pointed at the staging layout. */
function stagedPackageJson() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const jsiiPeers = ['cdk8s', 'cdk8s-plus-27', 'constructs'];
  const peers = Object.fromEntries(jsiiPeers.map((p) => [p, pkg.peerDependencies[p]]));
  return {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    author: pkg.author,
    repository: pkg.repository,
    homepage: pkg.homepage,
    keywords: pkg.keywords,
    engines: pkg.engines,
    main: 'lib/index.js',
    types: 'lib/index.d.ts',
    files: ['lib/**/*.js', 'lib/**/*.d.ts', 'imports/**/*.js', 'imports/**/*.d.ts', 'schemas/k8s/**', '.jsii', 'README.md'],
    peerDependencies: peers,
    // jsii wants each peer as a dev dependency too, at the version the repository tests with.
    devDependencies: Object.fromEntries(jsiiPeers.map((p) => [p, pkg.devDependencies[p]])),
    dependencies: pkg.dependencies,
    bundledDependencies: pkg.bundledDependencies,
    stability: pkg.stability,
    jsii: { ...pkg.jsii, tsconfig: 'tsconfig.json', validateTsconfig: 'minimal' },
  };
}

function copyTree(from, to, skip = () => false) {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !skip(src) });
}

/** A package and, recursively, its dependencies, as installed in the repository's node_modules. */
function closure(names, seen = new Set()) {
  for (const n of names) {
    if (seen.has(n)) continue;
    seen.add(n);
    const p = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', n, 'package.json'), 'utf8'));
    closure(Object.keys(p.dependencies ?? {}), seen);
  }
  return seen;
}

function prepare() {
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  const pkg = stagedPackageJson();
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  copyTree(path.join(root, 'lib'), path.join(stage, 'lib'), (src) => src.startsWith(path.join(root, 'lib', 'charts')) || src.endsWith('.js') || src.endsWith('.d.ts'));
  copyTree(path.join(root, 'imports'), path.join(stage, 'imports'), (src) => !fs.statSync(src).isDirectory() && !src.endsWith('.ts'));
  copyTree(path.join(root, 'schemas', 'k8s'), path.join(stage, 'schemas', 'k8s'));
  fs.copyFileSync(path.join(root, 'README.md'), path.join(stage, 'README.md'));
  // Bundled dependencies (ajv, yaml and what they need) travel inside the npm tarball.
  for (const n of closure(pkg.bundledDependencies ?? [])) {
    copyTree(path.join(root, 'node_modules', n), path.join(stage, 'node_modules', n));
  }
  const base = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8')).compilerOptions;
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node', lib: ['es2022'],
      declaration: true, strict: true, noImplicitReturns: true, noFallthroughCasesInSwitch: true,
      noUnusedLocals: base.noUnusedLocals, noUnusedParameters: base.noUnusedParameters,
      esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true,
      outDir: '.', rootDir: '.', types: ['node'],
      experimentalDecorators: true, inlineSourceMap: true, inlineSources: true,
      alwaysStrict: true, noImplicitAny: true, strictNullChecks: true, strictPropertyInitialization: true, noImplicitThis: true,
      stripInternal: false, composite: false, incremental: false,
    },
    include: ['lib/**/*.ts', 'imports/**/*.ts'],
    exclude: ['node_modules'],
  };
  fs.writeFileSync(path.join(stage, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');
}

function run(cmd, args, cwd = stage) {
  const bin = path.join(root, 'node_modules', '.bin', cmd);
  const t = Date.now();
  execFileSync(bin, args, { cwd, stdio: 'inherit', env: { ...process.env, JSII_SUPPRESS_UPGRADE_PROMPT: '1', JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' } });
  console.log(`${cmd} ${args.join(' ')}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

function main() {
  const argv = process.argv.slice(2);
  prepare();
  run('jsii', ['--fail-on-warnings']);
  if (argv.includes('--package')) {
    const i = argv.indexOf('--targets');
    const targets = i >= 0 ? argv[i + 1].split(',') : ['python', 'java', 'go'];
    run('jsii-pacmak', ['--outdir', 'dist', ...targets.flatMap((t) => ['--target', t])]);
  }
}

main();
