#!/usr/bin/env node
// `npm run docs` / `npm run docs:check`: the generated parts of docs/ (pod diagrams, example code,
// YAML excerpts, options tables, Pod Security tables) from the example app and the TSDoc.
// Transpiles what changed (lib/ as scripts/build.js does; scripts/docs/ and docs/examples/ the same
// way) into build/, then runs build/scripts/docs/generate.js. Offline; no type check here
// (`npm test` type-checks the generator and the examples through their tests).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const outRoot = path.join(root, 'build');

/** Transpiles the .ts files under `dirs` (relative to the repository) into build/, skipping fresh outputs. */
function transpile(dirs) {
  let swc;
  let built = 0;
  for (const dir of dirs) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) continue;
    for (const name of fs.readdirSync(abs).sort()) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const src = path.join(abs, name);
      const out = path.join(outRoot, dir, name.replace(/\.ts$/, '.js'));
      const so = fs.statSync(out, { throwIfNoEntry: false });
      if (so && so.mtimeMs >= fs.statSync(src).mtimeMs) continue;
      swc = swc ?? require('@swc/core');
      const { code } = swc.transformFileSync(src, {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
        swcrc: false,
      });
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, code);
      built++;
    }
  }
  return built;
}

module.exports = { transpile };

if (require.main === module) {
  require('../build').build();
  transpile(['scripts/docs', 'docs/examples']);
  const { main } = require(path.join(outRoot, 'scripts', 'docs', 'generate.js'));
  process.exitCode = main(process.argv.slice(2));
}
