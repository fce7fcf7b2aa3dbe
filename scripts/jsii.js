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
// POD_PATTERNS_JSII_STAGE: another staging directory under build/ (npm run docs:api compiles into
// build/jsii-api, leaving build/jsii and the packages in it as they are).
const stage = process.env.POD_PATTERNS_JSII_STAGE ? path.resolve(process.env.POD_PATTERNS_JSII_STAGE) : path.join(root, 'build', 'jsii');

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
    jsii: { ...pkg.jsii, outdir: 'dist', tsconfig: 'tsconfig.json', validateTsconfig: 'minimal' },
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
  // The Kubernetes L1 types the public API uses (ContainerSpec extends k8s.Container; volumes,
  // probes) must be exported for jsii: the jsii packages export imports/k8s as the submodule `k8s`
  // (Python cdk8s_pod_patterns.k8s, Java dev.podpatterns.cdk8s.k8s, Go podpatterns/k8s). The
  // TypeScript package does not (its .d.ts carry the types; TypeScript users have their own imports).
  fs.appendFileSync(path.join(stage, 'lib', 'index.ts'), "\n// jsii build only (scripts/jsii.js): the L1 types of the public API\nexport * as k8s from '../imports/k8s';\n");
  // That submodule is loaded by the jsii packages anyway, and what the library hands to another
  // language must be of its classes (a Quantity or IntOrString of cdk8s-plus-27's copy of the module
  // would reach Java as cdk8s-plus-27's class, not the dev.podpatterns.cdk8s.k8s one the API
  // declares): the jsii build runs imports/k8s itself, where the TypeScript build runs
  // cdk8s-plus-27's copy (lib/_k8s.ts). The same types either way.
  fs.writeFileSync(path.join(stage, 'lib', '_k8s.ts'), "// jsii build only (scripts/jsii.js): the L1 module the library runs is the one it exports\nexport * from '../imports/k8s';\n");
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

/** The jsii dependencies built locally for Java and Go (see main). */
const DEPENDENCY_PACKAGES = ['cdk8s', 'cdk8s-plus-27'];

/** A copy of an installed jsii dependency without its scripts (pacmak runs npm pack in it). */
function stageDependency(name) {
  const dir = path.join(root, 'build', 'jsii-deps', name);
  fs.rmSync(dir, { recursive: true, force: true });
  copyTree(path.join(root, 'node_modules', name), dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  delete pkg.scripts;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  return dir;
}

function run(cmd, args, cwd = stage) {
  const bin = path.join(root, 'node_modules', '.bin', cmd);
  const t = Date.now();
  const env = { ...process.env, JSII_SUPPRESS_UPGRADE_PROMPT: '1', JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
  try {
    execFileSync(bin, args, { cwd, stdio: 'inherit', env });
  } catch (e) {
    console.error(`${cmd} failed (exit ${e.status}): see its output above`);
    process.exit(1);
  }
  console.log(`${cmd} ${args.join(' ')}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/**
 * Every runtime export of the TypeScript package must exist for the other languages: as a type of
 * the assembly (class, enum), a submodule (k8s), a static member of `Patterns` (functions and
 * constants; jsii drops those silently, so this check is what makes a dropped export fail), or,
 * for the constants lib/_class-constants.ts lists, a static member of their construct's class
 * (`DEFAULT_DEBUG_IMAGE` is `DebugSidecar.DEFAULT_IMAGE`).
 */
const PATTERNS_MEMBER_OF = { PropsError: 'isPropsError', SynthError: 'isSynthError', runSynth: 'runSynth' };
function checkNoDroppedExport() {
  const assembly = JSON.parse(fs.readFileSync(path.join(stage, '.jsii'), 'utf8'));
  const name = assembly.name;
  const patterns = assembly.types[`${name}.Patterns`];
  const members = new Set([...(patterns?.properties ?? []), ...(patterns?.methods ?? [])].filter((m) => m.static).map((m) => m.name));
  const exported = require(path.join(stage, 'lib', 'index.js'));
  const { CLASS_CONSTANTS } = require(path.join(stage, 'lib', '_class-constants.js'));
  const staticMember = (cls, member) => (assembly.types[`${name}.${cls}`]?.properties ?? []).some((p) => p.static && p.name === member);
  const dropped = [];
  for (const key of Object.keys(exported)) {
    if (assembly.types[`${name}.${key}`] || assembly.submodules?.[`${name}.${key}`]) continue;
    if (members.has(PATTERNS_MEMBER_OF[key] ?? key)) continue;
    if (CLASS_CONSTANTS[key] && staticMember(...CLASS_CONSTANTS[key])) continue;
    dropped.push(CLASS_CONSTANTS[key] ? `${key} (${CLASS_CONSTANTS[key].join('.')})` : key);
  }
  if (dropped.length > 0) {
    console.error(`jsii drops these exports for Python, Java and Go (add them to lib/patterns.ts, or to their construct's class as lib/_class-constants.ts says): ${dropped.join(', ')}`);
    process.exit(1);
  }
  console.log(`every export of lib/index.ts is in the jsii assembly (${Object.keys(exported).length} exports, ${Object.keys(assembly.types).length} types)`);
}

function main() {
  const argv = process.argv.slice(2);
  prepare();
  // Warnings fail the build (a member jsii cannot express is a warning), but two kinds that do not
  // concern the targets: C#'s naming conflicts (C# is not a target; Go, Java and Python rename
  // reserved words, and the k8s L1 types have a member named as its type, e.g. ContainerPort) and
  // peers whose dev dependency is newer than the peer's minimum (the repository tests the newest).
  run('jsii', ['--fail-on-warnings', '--silence-warnings=reserved-word', '--silence-warnings=language-compatibility/member-name-conflicts-with-type-name', '--silence-warnings=metadata/missing-dev-dependency']);
  checkNoDroppedExport();
  if (argv.includes('--package')) {
    const i = argv.indexOf('--targets');
    const targets = i >= 0 ? argv[i + 1].split(',') : ['python', 'java', 'go'];
    if (targets.includes('python')) run('jsii-pacmak', ['--outdir', 'dist', '--target', 'python']);
    const others = targets.filter((t) => t !== 'python');
    if (others.length > 0) {
      // Maven Central and the Go module proxy this project can reach do not serve cdk8s 2.70.106 and
      // cdk8s-plus-27 2.9.5 for Java and Go (org.cdk8s:cdk8s stops at 2.70.0 there, cdk8s-plus-27 and
      // the cdk8s-team Go modules are refused): their Java and Go packages are built here from the
      // very npm packages this repository pins, with the same jsii-pacmak their publisher uses,
      // into the same local Maven repository and Go module tree (constructs comes from the registries).
      const deps = DEPENDENCY_PACKAGES.map(stageDependency);
      run('jsii-pacmak', [...deps, stage, '--outdir', path.join(stage, 'dist'), ...others.flatMap((t) => ['--target', t])], root);
    }
  }
}

main();
