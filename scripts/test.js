#!/usr/bin/env node
// `npm test`: type-checks (tsc --noEmit) and runs the unit tests (jest + SWC) at the same time,
// one per core, and fails if either fails. tsc's output is printed after jest's.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(cmd, args, capture) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
    }
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

(async () => {
  const started = Date.now();
  const [tsc, jest] = await Promise.all([
    run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], true),
    run(bin('jest'), process.argv.slice(2), false),
  ]);
  process.stdout.write(tsc.code === 0 ? 'tsc: no type errors\n' : `tsc: type errors\n${tsc.out}`);
  process.stdout.write(`npm test: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exitCode = tsc.code || jest.code;
})();
