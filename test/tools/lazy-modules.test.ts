import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// scripts/lazy-modules.js: cdk8s's `require("yaml")` gets a stand-in that loads the package on its
// first use. Each test runs a fresh Node.js process with the repository's own cdk8s, and compares
// what it does with the stand-in to what it does without (POD_PATTERNS_LAZY_MODULES=off).

const ROOT = path.resolve(__dirname, '..', '..');
const LAZY = path.join(ROOT, 'scripts', 'lazy-modules.js');
const YAML_ENTRY = require.resolve('yaml', { paths: [path.join(ROOT, 'node_modules', 'cdk8s')] });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-modules-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Runs `body` (JavaScript) after installing the stand-in and loading cdk8s; `loaded()` in it says
 * whether the `yaml` package has been loaded so far. Returns what it printed.
 */
function run(body: string, env: Record<string, string> = {}): string {
  const file = path.join(dir, 'main.js');
  fs.writeFileSync(file, [
    `require(${JSON.stringify(LAZY)}).install();`,
    `const loaded = () => require.cache[${JSON.stringify(YAML_ENTRY)}] !== undefined;`,
    `const cdk8s = require(${JSON.stringify(require.resolve('cdk8s'))});`,
    body,
  ].join('\n'));
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf-8', env: { ...process.env, POD_PATTERNS_LAZY_MODULES: '', ...env } });
  if (r.status !== 0) throw new Error(`run failed: ${r.stderr}`);
  return r.stdout;
}

const USE = [
  "console.log('after load', loaded());",
  "console.log(JSON.stringify(cdk8s.Yaml.stringify({ a: 'yes', b: [1, '2', null], c: 'multi\\nline' }, { d: '0x1F' })));",
  "console.log('after stringify', loaded());",
  "require('fs').writeFileSync('in.yaml', 'kind: ConfigMap\\napiVersion: v1\\nmetadata: {name: x}\\ndata: {k: on}\\n---\\nkind: List\\n');",
  "console.log(JSON.stringify(cdk8s.Yaml.load('in.yaml')));",
].join('\n');

describe('the stand-in for cdk8s\'s yaml package (scripts/lazy-modules.js)', () => {
  test('GIVEN the stand-in WHEN cdk8s loads THEN the yaml package is not loaded; WHEN Yaml is used THEN it loads and gives what cdk8s gives without the stand-in', () => {
    const lazy = run(USE).split('\n');
    const eager = run(USE, { POD_PATTERNS_LAZY_MODULES: 'off' }).split('\n');
    expect(lazy[0]).toBe('after load false');
    expect(lazy[2]).toBe('after stringify true');
    // negative control: without the stand-in cdk8s loads yaml with itself (the probe sees it)
    expect(eager[0]).toBe('after load true');
    expect(lazy.slice(1).filter((l) => !l.startsWith('after'))).toEqual(eager.slice(1).filter((l) => !l.startsWith('after')));
    expect(JSON.parse(lazy[1])).toBe('a: "yes"\nb:\n  - 1\n  - "2"\n  - null\nc: |-\n  multi\n  line\n---\nd: "0x1F"\n');
    expect(JSON.parse(lazy[3])).toEqual([{ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' }, data: { k: true } }, { kind: 'List' }]); // YAML 1.1, as cdk8s reads it
  });

  test('GIVEN the stand-in WHEN another module requires yaml THEN it gets the package itself, the object the stand-in reads', () => {
    const out = run([
      `const own = require(require.resolve('yaml', { paths: [${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))}] }));`,
      `console.log(loaded(), typeof own.stringify, own.stringify === require(${JSON.stringify(YAML_ENTRY)}).stringify);`,
    ].join('\n'));
    expect(out).toBe('true function true\n');
  });

  test('GIVEN the stand-in THEN every key reads what TypeScript\'s __importStar of the package would', () => {
    // the stand-in as cdk8s's lib/yaml.js holds it, read key by key against the package itself
    const out = run([
      "const Module = require('module');",
      `const file = ${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s', 'lib', 'yaml.js'))};`,
      "const parent = Object.assign(new Module(file), { filename: file, paths: Module._nodeModulePaths(require('path').dirname(file)) });",
      "const stand = Module._load('yaml', parent, false);",
      "console.log('before', loaded());",
      `const real = require(${JSON.stringify(YAML_ENTRY)});`,
      'const keys = Object.keys(real);',
      "console.log(keys.length > 20, keys.every((k) => stand[k] === real[k]), stand.default === real, stand.__esModule, 'parseAllDocuments' in stand, Object.keys(stand).includes('stringify'));",
    ].join('\n'));
    expect(out).toBe('before false\ntrue true true true true true\n');
  });

  test('GIVEN the README synth (scripts/synth.js) WHEN it writes the example app THEN the yaml package is never loaded and the files are those of dist/', () => {
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, `process.on('exit', () => process.stderr.write('yaml loaded: ' + (require.cache[${JSON.stringify(YAML_ENTRY)}] !== undefined) + '\\n'));\n`);
    const outdir = path.join(dir, 'dist');
    const synth = (env: Record<string, string>) => spawnSync(process.execPath, ['-r', probe, path.join(ROOT, 'scripts', 'synth.js')], { cwd: ROOT, encoding: 'utf-8', env: { ...process.env, CDK8S_OUTDIR: outdir, ...env } });
    const r = synth({ POD_PATTERNS_LAZY_MODULES: '' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('yaml loaded: false');
    const files = fs.readdirSync(path.join(ROOT, 'dist')).sort();
    expect(fs.readdirSync(outdir).sort()).toEqual(files);
    for (const f of files) expect(fs.readFileSync(path.join(outdir, f), 'utf-8')).toBe(fs.readFileSync(path.join(ROOT, 'dist', f), 'utf-8'));
    // negative control: the same synth without the stand-in loads it
    expect(synth({ POD_PATTERNS_LAZY_MODULES: 'off' }).stderr).toContain('yaml loaded: true');
  });
});
