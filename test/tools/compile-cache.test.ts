import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// scripts/compile-cache.js: the synth's module pack (V8's code cache of each module and where each
// require() led), used only while it still describes the files. Each test runs a small repository
// in fresh Node.js processes: a first run makes the pack, the next use it or, when a file changed,
// must see exactly what Node.js alone would load.

const CACHE = path.resolve(__dirname, '..', '..', 'scripts', 'compile-cache.js');

let root: string;

/** Writes `files` (path relative to the repository -> text) into it. */
function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/**
 * Runs `main.js` with the pack installed: what it printed, and how many require() calls of a file
 * (not a built-in module) Node.js resolved itself (the pack answered the others).
 */
function run(env: Record<string, string> = {}): { out: string; resolvedByNode: number } {
  const entry = path.join(root, 'entry.js');
  fs.writeFileSync(entry, [
    "const Module = require('module');",
    'let n = 0;',
    'const resolve = Module._resolveFilename;',
    "const { isAbsolute } = require('path');",
    'Module._resolveFilename = function () { const f = resolve.apply(this, arguments); if (isAbsolute(f)) n++; return f; };',
    `require(${JSON.stringify(CACHE)}).install(${JSON.stringify(root)});`,
    'n = 0;',
    "require('./main.js');",
    "process.on('exit', () => process.stderr.write(`resolved-by-node ${n}\\n`));",
  ].join('\n'));
  const r = spawnSync(process.execPath, [entry], { encoding: 'utf-8', env: { ...process.env, POD_PATTERNS_COMPILE_CACHE: '', ...env } });
  if (r.status !== 0) throw new Error(`run failed: ${r.stderr}`);
  return { out: r.stdout, resolvedByNode: Number(/resolved-by-node (\d+)/.exec(r.stderr)![1]) };
}

const packFile = () => path.join(root, 'node_modules', '.cache', 'cdk8s-pod-patterns', 'compile', 'modules.pack');

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-'));
  write({
    'main.js': "console.log(require('./lib/a').a, require('dep').dep);\n",
    'lib/a.js': "exports.a = 'a1 ' + require('./b').b;\n",
    'lib/b.js': "exports.b = 'b1';\n",
    'node_modules/dep/package.json': JSON.stringify({ name: 'dep', main: 'main.js' }),
    'node_modules/dep/main.js': "exports.dep = 'dep-main';\n",
    'node_modules/dep/other.js': "exports.dep = 'dep-other';\n",
  });
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the module pack (scripts/compile-cache.js)', () => {
  test('GIVEN a first run THEN it writes the pack WHEN the next run THEN it loads the same modules with no require() resolved by Node.js', () => {
    const first = run();
    expect(first.out).toBe('a1 b1 dep-main\n');
    expect(first.resolvedByNode).toBe(4); // main.js, ./lib/a, ./b, dep
    expect(fs.existsSync(packFile())).toBe(true);
    const second = run();
    expect(second.out).toBe('a1 b1 dep-main\n');
    expect(second.resolvedByNode).toBe(0);
  });

  test('GIVEN a pack WHEN a module is rewritten with the same size and modification time THEN the new code runs', () => {
    const file = path.join(root, 'lib', 'b.js');
    fs.utimesSync(file, 1700000000, 1700000000);
    run();
    fs.writeFileSync(file, "exports.b = 'b2';\n");
    fs.utimesSync(file, 1700000000, 1700000000);
    const before = JSON.parse(fs.readFileSync(packFile()).subarray(4, 4 + fs.readFileSync(packFile()).readUInt32LE(0)).toString()).modules[file][0];
    const now = fs.statSync(file);
    expect([now.size, now.mtimeMs]).toEqual(before.slice(0, 2)); // what a size and time check alone would take for the packed file
    expect(run().out).toBe('a1 b2 dep-main\n');
  });

  test('GIVEN a pack WHEN a package nearer to the requiring module appears THEN require() finds it, as Node.js does', () => {
    write({ 'lib/a.js': "exports.a = 'a1 ' + require('./b').b + ' ' + require('dep').dep;\n" });
    expect(run().out).toBe('a1 b1 dep-main dep-main\n');
    write({ 'lib/node_modules/dep/index.js': "exports.dep = 'dep-nearer';\n" });
    expect(run().out).toBe('a1 b1 dep-nearer dep-main\n');
  });

  test('GIVEN a pack WHEN a package.json is edited in place THEN its new main is loaded', () => {
    run();
    const pkg = path.join(root, 'node_modules', 'dep', 'package.json');
    fs.writeFileSync(pkg, JSON.stringify({ name: 'dep', main: 'other.js' }));
    const r = run();
    expect(r.out).toBe('a1 b1 dep-other\n');
    expect(r.resolvedByNode).toBeGreaterThan(0);
  });

  test('GIVEN a pack WHEN a file that a relative require() would now find first appears THEN it is loaded', () => {
    write({ 'lib/a.js': "exports.a = 'a1 ' + require('./c').c;\n", 'lib/c/index.js': "exports.c = 'c-dir';\n" });
    expect(run().out).toBe('a1 c-dir dep-main\n');
    expect(run()).toEqual({ out: 'a1 c-dir dep-main\n', resolvedByNode: 0 });
    write({ 'lib/c.js': "exports.c = 'c-file';\n" });
    expect(run().out).toBe('a1 c-file dep-main\n');
  });

  test('GIVEN node_modules is a link to another directory THEN its modules are packed too and used', () => {
    const modules = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-modules-'));
    try {
      fs.cpSync(path.join(root, 'node_modules'), modules, { recursive: true });
      fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
      fs.symlinkSync(modules, path.join(root, 'node_modules'), 'dir');
      run();
      const header = JSON.parse(fs.readFileSync(packFile()).subarray(4, 4 + fs.readFileSync(packFile()).readUInt32LE(0)).toString());
      expect(Object.keys(header.modules)).toContain(path.join(fs.realpathSync(modules), 'dep', 'main.js'));
      const second = run();
      expect(second).toEqual({ out: 'a1 b1 dep-main\n', resolvedByNode: 0 });
    } finally {
      fs.rmSync(modules, { recursive: true, force: true });
    }
  });

  test('GIVEN a pack WHEN NODE_PATH changes THEN Node.js resolves again', () => {
    run();
    expect(run().resolvedByNode).toBe(0);
    expect(run({ NODE_PATH: path.join(root, 'elsewhere') }).resolvedByNode).toBe(4);
  });

  test('GIVEN a module that is not ASCII THEN it reads as UTF-8, from the pack as without it', () => {
    write({ 'lib/b.js': "exports.b = 'b1 é ✓';\n" });
    expect(run().out).toBe('a1 b1 é ✓ dep-main\n');
    expect(run().out).toBe('a1 b1 é ✓ dep-main\n');
  });

  test('GIVEN a damaged pack THEN it is ignored and written anew', () => {
    run();
    fs.writeFileSync(packFile(), 'not a pack');
    const r = run();
    expect(r).toEqual({ out: 'a1 b1 dep-main\n', resolvedByNode: 4 });
    expect(run().resolvedByNode).toBe(0);
  });

  test('GIVEN POD_PATTERNS_COMPILE_CACHE=off THEN no pack is written nor used', () => {
    expect(run({ POD_PATTERNS_COMPILE_CACHE: 'off' }).resolvedByNode).toBe(4);
    expect(fs.existsSync(packFile())).toBe(false);
  });

  test('GIVEN modules of one directory THEN each gets the lookup paths Node.js computes, in an array of its own', () => {
    // GIVEN a module that prints its own module.paths, then changes them, and a second module of the same directory that prints its own
    write({
      'lib/a.js': "console.log(JSON.stringify(module.paths)); module.paths.push('/changed'); exports.a = require('./b').b;\n",
      'lib/b.js': "console.log(JSON.stringify(module.paths)); exports.b = 'b1';\n",
    });
    const expected = JSON.stringify(require('module')._nodeModulePaths(path.join(root, 'lib')));
    // THEN both print what Node.js computes for that directory (the first's change is its own), with the pack made and used
    for (let i = 0; i < 2; i++) expect(run().out).toBe(`${expected}\n${expected}\nb1 dep-main\n`);
  });

  test('GIVEN a module with a #! line THEN it is packed and runs', () => {
    write({ 'lib/b.js': "#!/usr/bin/env node\nexports.b = 'b-script';\n" });
    expect(run().out).toBe('a1 b-script dep-main\n');
    expect(run()).toEqual({ out: 'a1 b-script dep-main\n', resolvedByNode: 0 });
  });
});
