import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
const { postProcess, typedoc, wrapCodeLine } = require('../../scripts/docs/api');

const ROOT = path.join(__dirname, '..', '..');

describe('API reference post-processing', () => {
  test('breaks a code line wider than GitHub\'s column after the commas of a tuple, or before an assignment', () => {
    const tuple = `const HASHES: readonly [${Array.from({ length: 12 }, (_, i) => `"hash_number_${i}"`).join(', ')}];`;
    expect(wrapCodeLine(tuple)).toEqual(['const HASHES: readonly [', ...Array.from({ length: 12 }, (_, i) => `  "hash_number_${i}"${i < 11 ? ',' : ''}`), '];']);
    const literal = `const IMAGE: "${'x'.repeat(50)}" = '${'x'.repeat(50)}';`;
    expect(wrapCodeLine(literal)).toEqual([`const IMAGE: "${'x'.repeat(50)}"`, `  = '${'x'.repeat(50)}';`]);
    expect(wrapCodeLine('const SHORT: 1;')).toEqual(['const SHORT: 1;']);
  });

  test('groups the index by construct, gives a new construct a group of its own, and links type aliases to their values and users', () => {
    // GIVEN a TypeDoc output with a known construct, a new one without a guide page (lib/grpc-adapter.ts), a helper file's
    // function (lib/_grpc-rewrite.ts) and a `typeof X[number]` alias
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-api-test-'));
    const write = (f: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(out, f)), { recursive: true });
      fs.writeFileSync(path.join(out, f), text);
    };
    write('README.md', 'flat index');
    write('classes/Adapter.md', '# Class: Adapter\n');
    write('classes/HttpAdapter.md', '# Class: HttpAdapter\n\n```ts\nreadonly mode: RewriteMode;\n```\n');
    write('functions/rewriteRules.md', '# Function: rewriteRules\n');
    write('type-aliases/RewriteMode.md', '# Type Alias: RewriteMode\n\n```ts\ntype RewriteMode = typeof REWRITE_MODES[number];\n```\n\nHow.\n');
    write('variables/REWRITE_MODES.md', '# Variable\n\n```ts\nconst REWRITE_MODES: readonly ["redirect", "proxy"];\n```\n');
    try {
      // WHEN it is post-processed
      postProcess(out, new Map([
        ['Adapter', 'lib/adapter.ts'],
        ['HttpAdapter', 'lib/grpc-adapter.ts'],
        ['rewriteRules', 'lib/_grpc-rewrite.ts'],
        ['RewriteMode', 'lib/grpc-adapter.ts'],
        ['REWRITE_MODES', 'lib/grpc-adapter.ts'],
      ]));
      // THEN the index has a group per construct
      const index = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
      expect(index).toContain('## Adapter\n\nGuide: [adapter](../adapter.md)\n\n- Class: [Adapter](classes/Adapter.md)\n');
      expect(index).toContain('## HttpAdapter\n\n- Class: [HttpAdapter](classes/HttpAdapter.md)\n- Function: [rewriteRules](functions/rewriteRules.md)\n- Type: [RewriteMode](type-aliases/RewriteMode.md)\n- Constant: [REWRITE_MODES](variables/REWRITE_MODES.md)\n');
      // AND the alias page lists its values and who uses it
      expect(fs.readFileSync(path.join(out, 'type-aliases/RewriteMode.md'), 'utf8')).toContain([
        '## Values', '', '`"redirect"` \\| `"proxy"`', '', 'From [`REWRITE_MODES`](../variables/REWRITE_MODES.md).', '',
        '## Used by', '', '[HttpAdapter](../classes/HttpAdapter.md)',
      ].join('\n'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('API reference checker (TypeDoc with typedoc.json\'s validation): every export documented', () => {
  /** A one-file library in a temporary directory, and TypeDoc options that check it as typedoc.json checks lib/index.ts. */
  function fixture(source: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-api-checker-'));
    fs.writeFileSync(path.join(dir, 'index.ts'), source);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', skipLibCheck: true, types: [] }, include: ['index.ts'] }));
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8'));
    const options = {
      ...base, $schema: undefined, name: 'fixture', entryPoints: [path.join(dir, 'index.ts')], tsconfig: path.join(dir, 'tsconfig.json'),
      plugin: base.plugin.map((p: string) => (p.startsWith('.') ? path.join(ROOT, p) : p)), intentionallyNotExported: [], intentionallyNotDocumented: [],
    };
    fs.writeFileSync(path.join(dir, 'typedoc.json'), JSON.stringify(options));
    return { dir, options: path.join(dir, 'typedoc.json'), out: path.join(dir, 'out') };
  }
  const DOCUMENTED = [
    '/** Options. */',
    'export interface Options {',
    '  /**',
    '   * How many.',
    '   * @default 1',
    '   */',
    '  readonly count?: number;',
    '}',
    '/** Says hello. */',
    'export function hello(options: Options = {}): string { return `hello ${options.count ?? 1}`; }',
    '',
  ].join('\n');

  test.each([
    ['an export without a doc comment', `${DOCUMENTED}export function undocumented(): number { return 1; }\n`, /undocumented.*does not have any documentation/],
    ['an optional prop without @default', DOCUMENTED.replace('   * @default 1\n', ''), /Options\.count is optional but has no @default tag/],
  ])('GIVEN a library with %s WHEN the checker runs THEN it fails naming it (negative control)', (_what, source, message) => {
    const f = fixture(source);
    try {
      const r = typedoc(f.out, f.options, 'pipe');
      expect(r.output).toMatch(message);
      expect(r.ok).toBe(false);
    } finally {
      fs.rmSync(f.dir, { recursive: true, force: true });
    }
  });

  test('GIVEN the same library with every export and prop documented WHEN the checker runs THEN it passes', () => {
    const f = fixture(DOCUMENTED);
    try {
      const r = typedoc(f.out, f.options, 'pipe');
      expect(r.output).toBe('');
      expect(r.ok).toBe(true);
      expect(fs.existsSync(path.join(f.out, 'functions', 'hello.md'))).toBe(true);
    } finally {
      fs.rmSync(f.dir, { recursive: true, force: true });
    }
  });
});
