import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
const { postProcess, wrapCodeLine } = require('../../scripts/docs/api');

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
