import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The README's code blocks marked `<!-- quick start: FILE -->`, with the file each comes from. */
function quickStarts(): Array<{ file: string; code: string }> {
  const out: Array<{ file: string; code: string }> = [];
  const re = /<!-- quick start: (\S+) -->\n```\w+\n([\s\S]*?)\n```/g;
  for (let m = re.exec(README); m; m = re.exec(README)) out.push({ file: m[1], code: m[2] });
  return out;
}

/** The first line of `code` (trimmed, blank lines skipped) that is not found in `file` after the previous one; undefined when all are, in order. */
function firstLineNotInOrder(code: string, file: string): string | undefined {
  const lines = file.split('\n').map((l) => l.trim());
  let at = 0;
  for (const line of code.split('\n').map((l) => l.trim()).filter((l) => l.length > 0)) {
    const i = lines.indexOf(line, at);
    if (i < 0) return line;
    at = i + 1;
  }
  return undefined;
}

describe('README: the Python, Java and Go quick starts are the consumer apps CI runs (npm run test:languages)', () => {
  test('GIVEN the README THEN it has a quick start for Python, Java and Go, each from its consumer app', () => {
    expect(quickStarts().map((q) => q.file)).toEqual(['test/consumer-python/main.py', 'test/consumer-java/src/main/java/shop/Main.java', 'test/consumer-go/main.go']);
  });

  test.each(quickStarts().map((q) => [q.file, q]))('GIVEN the quick start from %s THEN every line of it is in that file, in the same order', (_file, q) => {
    const source = fs.readFileSync(path.join(ROOT, (q as { file: string }).file), 'utf8');
    expect(firstLineNotInOrder((q as { code: string }).code, source)).toBeUndefined();
  });

  test('GIVEN the quick starts (README) and the Python docs examples (guide pages) THEN no code line is wider than its page\'s column (87 and 100 characters, a tab as 4)', () => {
    const files = fs.readdirSync(path.join(ROOT, 'docs', 'examples')).filter((f) => f.endsWith('.py')).map((f) => `docs/examples/${f}`);
    const blocks = [
      ...quickStarts().map((q) => ({ file: `README.md (${q.file})`, code: q.code, width: 87 })),
      ...files.map((f) => ({ file: f, code: fs.readFileSync(path.join(ROOT, f), 'utf8'), width: 100 })),
    ];
    const wide = blocks.flatMap(({ file, code, width }) => code.split('\n').filter((l) => l.replace(/\t/g, '    ').length > width).map((l) => `${file}: ${l}`));
    expect(wide).toEqual([]);
  });

  test('GIVEN a block with a line its file lacks, or lines out of order THEN the check finds it (negative control)', () => {
    expect(firstLineNotInOrder('a\nb', 'a\nb\nc')).toBeUndefined();
    expect(firstLineNotInOrder('a\nx', 'a\nb\nc')).toBe('x');
    expect(firstLineNotInOrder('b\na', 'a\nb\nc')).toBe('a');
  });
});

describe('README: the Go module path is the one jsii builds, and the Go steps replace what the consumer test replaces', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const goModule = `${pkg.jsii.targets.go.moduleName}/${pkg.jsii.targets.go.packageName}`;
  const goSection = README.slice(README.indexOf('\n### Go\n'), README.indexOf('\n## ', README.indexOf('\n### Go\n')));
  /** The module paths a text replaces (`-replace PATH=` or `PATH =>`). */
  const replaced = (text: string) => [...text.matchAll(/-replace "?([\w./-]+)=|^\s*([\w./-]+) =>/gm)].map((m) => m[1] ?? m[2]).sort();

  test('GIVEN package.json\'s jsii Go target THEN the README\'s Go section, the consumer app and its go.mod name that module path', () => {
    expect(goModule).toBe('github.com/cdk8s-pod-patterns/cdk8s-pod-patterns-go/podpatterns');
    expect(goSection).toContain(`\`${goModule}\``);
    expect(goSection).toContain(`-require ${goModule}@v${pkg.version}`);
    expect(fs.readFileSync(path.join(ROOT, 'test/consumer-go/main.go'), 'utf8')).toContain(`"${goModule}"`);
    expect(fs.readFileSync(path.join(ROOT, 'test/consumer-go/go.mod'), 'utf8')).toContain(`${goModule} v${pkg.version}`);
  });

  test('GIVEN the README\'s Go steps THEN they replace the same modules as the consumer test and its go.mod', () => {
    const steps = replaced(goSection);
    expect(steps).toEqual([goModule, 'github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2', 'github.com/cdk8s-team/cdk8s-plus-go/cdk8splus27/v2'].sort());
    expect(replaced(fs.readFileSync(path.join(ROOT, 'scripts/languages-test.sh'), 'utf8'))).toEqual(steps);
    expect(replaced(fs.readFileSync(path.join(ROOT, 'test/consumer-go/go.mod'), 'utf8'))).toEqual(steps);
  });

  test('GIVEN a text replacing one module less THEN the comparison sees it (negative control)', () => {
    expect(replaced('-replace a/b="$D/b" \\\n  -replace c/d="$D/d"')).toEqual(['a/b', 'c/d']);
    expect(replaced('-replace a/b="$D/b"')).not.toEqual(replaced('-replace a/b="$D/b" -replace c/d=x'));
  });
});
