import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
const { cellText, codeCell, correct, isKeyword, unknownPageNames, pythonNameFixes, code, unknownNames, identifiersOf, compare, OUTPUTS } = require('../../scripts/docs/api-languages');

const ROOT = path.join(__dirname, '..', '..');

/** A jsii-docgen JSON of one class `Patterns` with one constant, as jsii-docgen 10.12.6 writes it for `lang`. */
function docgenConstant(lang: string, displayName: string, usage: string) {
  return {
    metadata: { packageName: 'cdk8s-pod-patterns', packageVersion: '0.1.0' },
    apiReference: {
      constructs: [], structs: [], interfaces: [], enums: [],
      classes: [{ id: 'cdk8s-pod-patterns.Patterns', displayName: 'Patterns', constants: [{ id: 'cdk8s-pod-patterns.Patterns.property.HAPROXY_IMAGE', displayName, usage }], properties: [] }],
    },
    language: lang,
  };
}

describe('Python, Java and Go reference (scripts/docs/api-languages.js)', () => {
  test('GIVEN jsii-docgen\'s Java and Go names of a static constant WHEN corrected THEN they are the names jsii-pacmak generates (Java field, Go Type_NAME function, float64)', () => {
    const java = correct(docgenConstant('java', 'HaproxyImage', 'public java.lang.String getHaproxyImage();'), 'java');
    expect(java.apiReference.classes[0].constants[0]).toMatchObject({ displayName: 'HAPROXY_IMAGE', usage: 'public static final java.lang.String HAPROXY_IMAGE;' });
    const go = correct(docgenConstant('go', 'HaproxyImage', 'func HaproxyImage() *f64'), 'go');
    expect(go.apiReference.classes[0].constants[0]).toMatchObject({ displayName: 'Patterns_HAPROXY_IMAGE', usage: 'func Patterns_HAPROXY_IMAGE() *float64' });
  });

  test('GIVEN members whose snake_case jsii-docgen and jsii-pacmak spell differently THEN the Python fixes map docgen\'s to pacmak\'s, and leave constants and plain names alone', () => {
    const assembly = { types: { 'a.T': { properties: [{ name: 'sizeLimitMiB' }, { name: 'HAPROXY_IMAGE' }, { name: 'appContainerName' }], methods: [{ name: 'toJSON', parameters: [{ name: 'maxSizeMiB' }, { name: 'from' }] }] } } };
    expect([...pythonNameFixes(assembly)]).toEqual([['size_limit_mi_b', 'size_limit_mib'], ['to_jso_n', 'to_json'], ['max_size_mi_b', 'max_size_mib'], ['from', 'from_']]);
  });

  test('GIVEN jsii-docgen\'s Python usage of a parameter named after a keyword WHEN corrected THEN the declaration is pacmak\'s `from_`, and the keyword elsewhere stays', () => {
    const json = {
      apiReference: {
        constructs: [], structs: [], interfaces: [], enums: [],
        classes: [{
          id: 'a.UrlRule', displayName: 'UrlRule', properties: [], constants: [],
          staticMethods: [{ id: 'a.UrlRule.exact', displayName: 'exact', usage: 'import cdk8s_pod_patterns\n\ncdk8s_pod_patterns.UrlRule.exact(\n  from: str,\n  to: str\n)', parameters: [{ id: 'a.UrlRule.exact.parameter.from', displayName: 'from' }] }],
        }],
      },
    };
    const m = correct(json, 'python', new Map([['from', 'from_']])).apiReference.classes[0].staticMethods[0];
    expect(m.usage).toBe('import cdk8s_pod_patterns\n\ncdk8s_pod_patterns.UrlRule.exact(\n  from_: str,\n  to: str\n)');
    expect(m.parameters[0].displayName).toBe('from_');
  });

  test('GIVEN the per-language pages\' names WHEN one is not what pacmak generates (a Java property not named as its getter, a Python keyword) THEN the check names it (negative control)', () => {
    expect([isKeyword('python', 'from'), isKeyword('python', 'from_'), isKeyword('java', 'default'), isKeyword('go', 'type'), isKeyword('go', 'Type')]).toEqual([true, false, true, true, false]);
    const page = (javaName: string, pythonParam: string) => {
      const type = (displayName: string, param: string) => ({
        apiReference: {
          constructs: [], structs: [], interfaces: [], enums: [],
          classes: [{
            id: 'a.UrlRule', displayName: 'UrlRule', constants: [],
            properties: [{ id: 'a.UrlRule.property.match', displayName }],
            staticMethods: [{ id: 'a.UrlRule.exact', displayName: 'exact', parameters: [{ id: 'a.UrlRule.exact.parameter.from', displayName: param }] }],
          }],
        },
      });
      return { python: type('match', pythonParam), java: type(javaName, 'from'), go: { apiReference: { constructs: [], structs: [], interfaces: [], enums: [], classes: [{ id: 'a.UrlRule', displayName: 'UrlRule', properties: [], constants: [] }] } } };
    };
    const assembly = { types: { 'a.UrlRule': { properties: [{ name: 'match' }], methods: [{ name: 'exact' }] } } };
    // the generated code has `from` (Python's keyword, in `from x import y`) and `match` as identifiers
    const identifiers = { python: new Set(['UrlRule', 'match', 'exact', 'from', 'from_']), java: new Set(['UrlRule', 'getMatch', 'exact', 'from']), go: new Set(['UrlRule']) };
    expect(unknownPageNames(page('getMatch', 'from_'), identifiers, assembly, 'a')).toEqual([]);
    expect(unknownPageNames(page('match', 'from'), identifiers, assembly, 'a')).toEqual([
      'python page UrlRule.exact: `from`: `from` is not in the python code jsii generates',
      'java page UrlRule: `match`: `match` is not in the java code jsii generates',
    ]);
  });

  test('GIVEN generated code WHEN its identifiers are read THEN names in comments, docstrings and strings do not count (the README jsii embeds names every language)', () => {
    const words = code([
      '// podpatterns.Patterns_RunSynth in a comment',
      '/* Patterns.run_synth */',
      '"""Patterns.HAPROXY_IMAGE in a docstring"""',
      '@jsii.member(jsii_name="toJSON")',
      'def to_json(self) -> typing.Any:  # toJSON',
    ].join('\n')).match(/[A-Za-z_$][\w$]*/g);
    expect(words).toEqual(['jsii', 'member', 'jsii_name', 'def', 'to_json', 'self', 'typing', 'Any']);
  });

  test('GIVEN a names table with a name jsii does not generate (jsii-docgen\'s own Go constant name) THEN the check fails naming the cell; with pacmak\'s name it passes (negative control)', () => {
    const identifiers = { typescript: new Set(['Patterns', 'HAPROXY_IMAGE']), python: new Set(['Patterns', 'HAPROXY_IMAGE']), java: new Set(['Patterns', 'HAPROXY_IMAGE']), go: new Set(['Patterns_HAPROXY_IMAGE']) };
    const table = (goName: string) => new Map([['Patterns', { kind: 'Class', rows: [['constant', 'Patterns.HAPROXY_IMAGE', 'Patterns.HAPROXY_IMAGE', 'Patterns.HAPROXY_IMAGE', `podpatterns.${goName}()`]] }]]);
    expect(unknownNames(table('HaproxyImage'), identifiers)).toEqual(['Patterns constant: go `podpatterns.HaproxyImage()`: `HaproxyImage` is not in the go code jsii generates']);
    expect(unknownNames(table('Patterns_HAPROXY_IMAGE'), identifiers)).toEqual([]);
    expect(identifiersOf('LogSidecar.Builder.create(scope, id)…build()')).toEqual(['LogSidecar']);
  });

  test('GIVEN a fresh run and docs/api WHEN they differ THEN the staleness check reports each stale, missing and extra file, and ignores TypeDoc\'s pages (negative control)', () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-api-languages-fresh-'));
    const committed = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-api-languages-committed-'));
    const write = (dir: string, f: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    };
    try {
      for (const dir of [fresh, committed]) {
        write(dir, 'names.md', 'names');
        write(dir, 'go/README.md', 'index');
        write(dir, 'classes/Adapter.md', `TypeDoc's, ${dir}`);
      }
      expect(compare(fresh, committed)).toEqual([]);
      write(fresh, 'go/Adapter.md', 'new');
      write(committed, 'java/Gone.md', 'old');
      write(committed, 'names.md', 'hand-edited');
      expect(compare(fresh, committed)).toEqual(['missing docs/api/go/Adapter.md', 'extra docs/api/java/Gone.md', 'stale docs/api/names.md']);
      expect(OUTPUTS).toEqual(['python/', 'java/', 'go/', 'names.md']);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
      fs.rmSync(committed, { recursive: true, force: true });
    }
  });

  test('GIVEN a name WHEN written as a names.md cell THEN it may break after its dots and underscores and between camelCase words, no Markdown emphasis can start in it, and it reads back as written', () => {
    const name = 'Patterns.http_adapter_config_hash_annotation(**kwargs) <T> hashAnnotation';
    expect(codeCell(name)).toBe('<code>Patterns.<wbr>http&#95;<wbr>adapter&#95;<wbr>config&#95;<wbr>hash&#95;<wbr>annotation(&#42;&#42;kwargs) &lt;T&gt; hash<wbr>Annotation</code>');
    expect(cellText(codeCell(name))).toBe(name);
  });

  describe('GIVEN the committed docs/api/names.md', () => {
    const names = fs.readFileSync(path.join(ROOT, 'docs', 'api', 'names.md'), 'utf8');
    /** The cells of one language's column (0 TypeScript, 1 Python, 2 Java, 3 Go), without backticks. */
    const column = (i: number) => new Set(names.split('\n').filter((l) => /^\| \w/.test(l)).map((l) => cellText(l.split(' | ')[i + 1]?.replace(/ \|$/, '') ?? '')));
    const uses = (file: string, re: RegExp) => [...new Set([...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(re)].map((m) => m[1]))];

    test('THEN every podpatterns name the Go consumer app (run by CI) calls is in the Go column', () => {
      const go = [...column(3)].join('\n');
      const called = uses('test/consumer-go/main.go', /podpatterns\.(\w+)/g);
      expect(called).toEqual(expect.arrayContaining(['NewLogSidecar', 'Patterns_RunSynth', 'ProxyBackend_Haproxy', 'LogSidecarProps']));
      expect(called.filter((n) => !new RegExp(`podpatterns\\.${n}\\b`).test(go))).toEqual([]);
    });

    test('THEN every Patterns member the Python and Java consumer apps call is in their column', () => {
      const python = column(1);
      const java = column(2);
      const py = uses('test/consumer-python/main.py', /Patterns\.(\w+)/g);
      const jv = uses('test/consumer-java/src/main/java/shop/Main.java', /Patterns\.(\w+)/g);
      expect(py).toContain('run_synth');
      expect(jv).toContain('runSynth');
      expect(py.filter((n) => !python.has(`Patterns.${n}()`))).toEqual([]);
      expect(jv.filter((n) => !java.has(`Patterns.${n}()`))).toEqual([]);
      expect(java.has('LogSidecar.Builder.create(scope, id)…build()')).toBe(true);
    });
  });
});
