#!/usr/bin/env node
// Transpiles the app's TypeScript (main.ts, lib/, imports/) to build/ with SWC, skipping files
// whose output is newer than their source. Type checking is `npm run typecheck` (tsc), run by
// `npm test`; synth does not pay for it.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outRoot = path.join(root, 'build');
const SOURCES = ['main.ts', 'lib', 'imports'];

const isSource = (rel) => rel.endsWith('.ts') && !rel.endsWith('.d.ts');

/**
 * The .ts files (not .d.ts) at `rel` (a file or a folder, relative to the repository), sorted;
 * none if it does not exist. One recursive listing per folder (the synth's build check: ~1 ms less
 * than a listing per subfolder); what is not a file is left out by the stat that follows.
 */
function sourceFiles(rel) {
  let names;
  try {
    names = fs.readdirSync(path.join(root, rel), { recursive: true });
  } catch (e) {
    if (e.code === 'ENOTDIR') return isSource(rel) ? [rel] : [];
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  return names.filter(isSource).map((n) => path.join(rel, n)).sort();
}

/**
 * Transpiles the .ts files under `sources` (files or folders relative to the repository) into
 * build/, skipping those whose output is newer than the source. Returns how many were written.
 */
function transpile(sources) {
  let swc;
  let built = 0;
  for (const rel of sources.flatMap((s) => sourceFiles(s))) {
    const src = path.join(root, rel);
    const out = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
    const so = fs.statSync(out, { throwIfNoEntry: false });
    const ss = fs.statSync(src);
    if ((so && so.mtimeMs >= ss.mtimeMs) || !ss.isFile()) continue; // up to date, or a folder named *.ts
    swc = swc ?? require('@swc/core');
    const { code, map } = swc.transformFileSync(src, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: true,
      swcrc: false,
    });
    // the source map beside the module (`node --enable-source-maps` reads it there), not inline:
    // inline maps were 70% of build/'s bytes, which every synth read and held in memory
    const sourceMap = JSON.parse(map);
    sourceMap.sources = [path.relative(path.dirname(out), src).split(path.sep).join('/')];
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(`${out}.map`, JSON.stringify(sourceMap));
    fs.writeFileSync(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
    built++;
  }
  return built;
}

/** Transpiles the app (main.ts, lib/, imports/). */
function build() {
  return transpile(SOURCES);
}

module.exports = { build, transpile };
if (require.main === module) {
  const n = build();
  process.stdout.write(`build: ${n} file(s) transpiled\n`);
}
