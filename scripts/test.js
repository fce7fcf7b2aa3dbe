#!/usr/bin/env node
// `npm test`: type-checks and runs the unit tests (jest + SWC) at the same time, and fails if
// either fails; the type checker's output is printed after jest's. The type check is the native
// TypeScript compiler (tsgo, @typescript/native-preview: ~1 s instead of tsc's ~6 s, cold) on
// tsconfig.fast.json (tsconfig.json with moduleResolution bundler, as tsgo has dropped node10);
// CI also runs the reference compiler (`npm run typecheck`: tsc on tsconfig.json).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/**
 * tsgo's native executable. Its `bin` is a Node.js script that finds this file and runs it as a
 * child (Node 20 has no execve): a second process and ~50 ms of CPU for nothing. The wrapper
 * itself when the platform package is not found here.
 */
function tsgo() {
  try {
    const exe = path.join(path.dirname(require.resolve(`@typescript/native-preview-${process.platform}-${process.arch}/package.json`, { paths: [root] })), 'lib', process.platform === 'win32' ? 'tsgo.exe' : 'tsgo');
    if (fs.existsSync(exe)) return exe;
  } catch {
    // not installed beside it: the wrapper finds it or says why not
  }
  return bin('tsgo');
}

/**
 * V8 flags for jest and its workers (jest-worker forks them with this process's execArgv). The
 * suite runs a great deal of code a few times each: every test builds its own objects, in one
 * worker per core. With V8's default interrupt budget, TurboFan optimizes every function that
 * gets a little warm, on background threads that take the cores from the two workers (and from
 * tsgo beside them), for code that mostly never runs again. Four times the budget (V8's default is
 * 67584 bytes of bytecode executed) tiers up only code that stays hot (Sparkplug's baseline code is
 * unchanged). A cold `npm test` on this 2-core machine, CPU user + system: 12.4-13.5 s with it,
 * 15.4-16.4 s without (the same tests, interleaved runs); 2x the budget saved less, 8x and 15x no
 * more. The same tests and results: JavaScript's semantics do not depend on the tier. Only for
 * `npm test`: `npx jest` and the deep property runs (FUZZ_RUNS, YAML_FUZZ_RUNS), whose hot loops
 * want TurboFan, keep V8's defaults.
 */
const JEST_V8_FLAGS = ['--interrupt-budget=270336'];

/**
 * The type checker's scheduling priority (nice 19, the lowest). Jest's critical path is its
 * workers (one per core), which have the longer way to go; the type check (~2 s of CPU) then
 * takes the cores when they are idle (while jest's main process starts alone, and after the first
 * suite ends) instead of a share of the workers' time. It still finishes: Linux gives a niced
 * process a small share of a busy core. No effect where priorities cannot be set.
 */
const TYPE_CHECK_NICE = 19;

/**
 * The type checker's Go garbage collector: off until the heap reaches GOMEMLIMIT. tsgo allocates
 * ~370 MB checking this project and frees little before it exits, so a collection at each
 * doubling of the heap (Go's default, GOGC=100) finds little to free: cold, single-threaded,
 * 2.5-2.8 s of CPU with it, 1.9-2.1 s without, at 30 MB more peak RSS (340 -> 370 MB). The limit
 * turns collection back on if the project ever needs more. A GOGC or GOMEMLIMIT of the caller's
 * own is kept.
 */
const TYPE_CHECK_ENV = { GOGC: 'off', GOMEMLIMIT: '1GiB', ...process.env };

function run(cmd, args, capture, nice, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env });
    if (nice !== undefined && child.pid !== undefined) {
      try {
        require('os').setPriority(child.pid, nice);
      } catch {
        // not permitted here: it runs at the default priority
      }
    }
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
    // single-threaded: ~20% less CPU than its default threads (1.7 s instead of 2.1 s here), and
    // it shares the machine's cores with jest's workers, which have the longer way to go
    run(tsgo(), ['-p', 'tsconfig.fast.json', '--noEmit', '--singleThreaded'], true, TYPE_CHECK_NICE, TYPE_CHECK_ENV),
    run(process.execPath, [...JEST_V8_FLAGS, require.resolve('jest/bin/jest', { paths: [root] }), ...process.argv.slice(2)], false),
  ]);
  process.stdout.write(tsc.code === 0 ? 'tsc: no type errors (tsgo)\n' : `tsc: type errors (tsgo)\n${tsc.out}`);
  process.stdout.write(`npm test: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exitCode = tsc.code || jest.code;
})();
