#!/usr/bin/env node
// The API reference in Python, Java and Go (docs/api/python/, docs/api/java/, docs/api/go/) and the
// table of every public name in the four languages (docs/api/names.md), generated from the jsii
// assembly (build/jsii-api/.jsii, compiled by scripts/jsii.js into a staging directory of its own,
// about 7 s) by jsii-docgen, the renderer cdk8s and the AWS CDK use for Construct Hub. The
// TypeScript reference stays TypeDoc's (scripts/docs/api.js: every export documented).
//
// Every name the table prints is checked against the code jsii-pacmak generates for that language
// (`jsii-pacmak --code-only`, about 3 s; TypeScript against the .d.ts jsii compiled): a name
// that is not an identifier of the generated Python, Java or Go package fails the run, so the table
// cannot print a name a user could not type; so does every name the per-language pages print (types,
// props, parameters, members; language keywords never count as generated names). jsii-docgen
// 10.12.6 gets some names wrong, corrected here before rendering (and caught by that check if the
// correction were dropped):
// static constants in Java (it prints a getter, `getHaproxyImage()`; pacmak writes the field
// `HAPROXY_IMAGE`) and in Go (it prints `HaproxyImage()`; pacmak writes `Patterns_HAPROXY_IMAGE()`),
// and Python names of members with an acronym (`to_jso_n` for `toJSON`; pacmak: `to_json`) or that
// are keywords (`from`; pacmak: `from_`); a class's property in Java is named as its getter
// (`getSidecar`). It also prints Go's float64 as `f64`, corrected too. The pages are then laid out
// for GitHub's column, as scripts/docs/browser.js checks every page of docs/api/: Go module paths
// shortened to package names, long signatures wrapped, break opportunities in table code.
//
// Usage: node scripts/docs/api-languages.js            write docs/api/{python,java,go}/ and names.md
//        node scripts/docs/api-languages.js --check    fail when they differ from a fresh run
//        --assembly DIR   use the jsii build in DIR (a directory with .jsii; skips the compile)
// Offline; deterministic: no dates, no absolute paths, types and members in the assembly's order.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const apiDir = path.join(root, 'docs', 'api');

/** The languages with a directory of their own under docs/api/ (TypeScript is docs/api/ itself). */
const LANGUAGES = [
  { id: 'python', title: 'Python', pacmak: 'python' },
  { id: 'java', title: 'Java', pacmak: 'java' },
  { id: 'go', title: 'Go', pacmak: 'go' },
];
/** What this script writes under docs/api/ (scripts/docs/api.js leaves these to it). */
const OUTPUTS = [...LANGUAGES.map((l) => `${l.id}/`), 'names.md'];

/** Files under a directory, relative, sorted. */
function files(dir, rel = '') {
  const abs = path.join(dir, rel);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

/** Compiles the library with jsii into build/jsii-api (a staging directory of its own: npm run build:jsii's build/jsii stays). */
function compile() {
  const stage = path.join(root, 'build', 'jsii-api');
  const env = { ...process.env, POD_PATTERNS_JSII_STAGE: stage };
  // jsii's own output (errors included) goes to stderr: the check's stdout stays one line
  execFileSync(process.execPath, [path.join(root, 'scripts', 'jsii.js')], { cwd: root, env, stdio: ['ignore', 2, 'inherit'] });
  return stage;
}

/** A directory of the assemblies jsii-docgen loads: ours and the jsii dependencies', as installed. */
function assembliesDir(stage, work) {
  const dir = path.join(work, 'assemblies');
  const put = (name, from) => {
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    fs.copyFileSync(from, path.join(dir, name, '.jsii'));
  };
  put('self', path.join(stage, '.jsii'));
  const assembly = JSON.parse(fs.readFileSync(path.join(stage, '.jsii'), 'utf8'));
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const dotJsii = path.join(root, 'node_modules', name, '.jsii');
    put(name.replace('/', '__'), dotJsii);
    for (const dep of Object.keys(JSON.parse(fs.readFileSync(dotJsii, 'utf8')).dependencies ?? {})) visit(dep);
  };
  for (const dep of Object.keys(assembly.dependencies ?? {})) visit(dep);
  return { dir, assembly };
}

/**
 * Source text without its comments and string literals (where the docs, README included, and
 * jsii's own TypeScript names live), so that only the identifiers of the code remain.
 */
function code(text) {
  return text
    .replace(/"""[\s\S]*?"""/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, ' ')
    .replace(/(\/\/|#).*$/gm, ' ');
}

/** Every identifier of the code jsii-pacmak generates for each language (and the .d.ts for TypeScript). */
function generatedIdentifiers(stage, work) {
  const out = path.join(work, 'pacmak');
  execFileSync(path.join(root, 'node_modules', '.bin', 'jsii-pacmak'), [stage, '--code-only', '--outdir', out, ...LANGUAGES.flatMap((l) => ['--target', l.pacmak])], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, JSII_SUPPRESS_UPGRADE_PROMPT: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1' },
  });
  const words = (dir, ext) => {
    const set = new Set();
    for (const f of files(dir).filter((x) => x.endsWith(ext))) {
      for (const w of code(fs.readFileSync(path.join(dir, f), 'utf8')).match(/[A-Za-z_$][\w$]*/g) ?? []) set.add(w);
    }
    return set;
  };
  return {
    typescript: new Set([...words(path.join(stage, 'lib'), '.d.ts'), ...words(path.join(stage, 'imports'), '.d.ts')]),
    python: words(path.join(out, 'python'), '.py'),
    java: words(path.join(out, 'java'), '.java'),
    go: words(path.join(out, 'go'), '.go'),
  };
}

/** The JSON jsii-docgen makes of the root module (the submodule `k8s`, the imported L1 types, is not documented here) for each language, corrected. */
async function schemas(dir, name, assembly) {
  const { Documentation, Language } = require('jsii-docgen');
  const docs = await Documentation.forAssembly(name, dir);
  const out = {};
  for (const lang of ['typescript', ...LANGUAGES.map((l) => l.id)]) {
    const json = (await docs.toJson({ language: Language.fromString(lang), allSubmodules: false })).content;
    out[lang] = correct(json, lang, pythonNameFixes(assembly));
  }
  return out;
}

/**
 * jsii-docgen's Python name of a member -> jsii-pacmak's, where they differ (`toJSON`: `to_jso_n`
 * -> `to_json`; `sizeLimitMiB`: `size_limit_mi_b` -> `size_limit_mib`; the keyword `from` ->
 * `from_`): pacmak's is codemaker's toSnakeCase and a trailing `_` on Python keywords, docgen's the
 * `case` package's snake case.
 */
function pythonNameFixes(assembly) {
  const pacmak = require(require.resolve('codemaker', { paths: [require.resolve('jsii-pacmak')] }));
  const { toPythonIdentifier } = require('jsii-pacmak/lib/targets/python/util');
  const docgen = require(require.resolve('case', { paths: [require.resolve('jsii-docgen')] }));
  const names = new Set();
  for (const t of Object.values(assembly.types)) {
    for (const p of t.properties ?? []) names.add(p.name);
    for (const m of [...(t.methods ?? []), ...(t.initializer ? [t.initializer] : [])]) {
      if (m.name) names.add(m.name);
      for (const p of m.parameters ?? []) names.add(p.name);
    }
  }
  const fixes = new Map();
  for (const n of names) {
    if (/^[A-Z0-9_]+$/.test(n)) continue; // constants keep their name
    const wrong = docgen.snake(n);
    const right = toPythonIdentifier(pacmak.toSnakeCase(n));
    if (wrong !== right) fixes.set(wrong, right);
  }
  return fixes;
}

/** The corrections of jsii-docgen's names (see the header). */
function correct(json, lang, snakeFixes) {
  const ref = json.apiReference;
  if (lang === 'java') {
    // a class's property is its getter in Java (`getSidecar()`); jsii-docgen names it as in TypeScript
    for (const type of [...ref.constructs, ...ref.classes, ...ref.interfaces]) {
      for (const p of type.properties ?? []) {
        const getter = /^public .* (get\w+|is\w+)\(\);$/.exec(p.usage ?? '');
        if (getter) p.displayName = getter[1];
      }
    }
  }
  for (const type of [...ref.constructs, ...ref.classes]) {
    for (const c of type.constants ?? []) {
      const constant = c.id.split('.').pop();
      if (lang === 'java') {
        const t = /^public (.*) get\w+\(\);$/.exec(c.usage);
        c.displayName = constant;
        if (t) c.usage = `public static final ${t[1]} ${constant};`;
      } else if (lang === 'go') {
        const t = /^func \w+\(\) (.*)$/.exec(c.usage);
        c.displayName = `${type.displayName}_${constant}`;
        if (t) c.usage = `func ${type.displayName}_${constant}() ${t[1]}`;
      }
    }
  }
  if (lang === 'python' && snakeFixes) {
    const fix = (o) => {
      if (Array.isArray(o)) o.forEach(fix);
      else if (o && typeof o === 'object') {
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === 'string' && k === 'displayName') o[k] = snakeFixes.get(v) ?? v;
          else if (typeof v === 'string' && k === 'usage') {
            // a keyword (`from` -> `from_`) only where it is declared (`from: str`); the others everywhere
            o[k] = v.replace(/[a-z_][a-z0-9_]*(:?)/g, (w, colon) => {
              const name = colon ? w.slice(0, -1) : w;
              const right = snakeFixes.get(name);
              return right && (colon || right !== `${name}_`) ? `${right}${colon}` : w;
            });
          } else fix(v);
        }
      }
    };
    fix(json);
  }
  layout(json, lang);
  if (lang === 'go') {
    const fix = (o) => {
      if (Array.isArray(o)) o.forEach(fix);
      else if (o && typeof o === 'object') {
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === 'string' && (k === 'usage' || k === 'formattingPattern')) o[k] = v.replace(/\bf64\b/g, 'float64');
          else fix(v);
        }
      }
    };
    fix(json);
  }
  return json;
}

/** The longest code line GitHub shows without scrolling (scripts/docs/browser.js measures it). */
const MAX_CODE_LINE = 96;

/** A Go type or Java package reference without its module path: `github.com/aws/constructs-go/constructs/v10.IConstruct` -> `constructs.IConstruct`. */
const shortGo = (text) => text.replace(/\bgithub\.com(?:\/[\w-]+)*?\/(\w+)(?:\/v\d+)?\.(?=[A-Za-z])/g, '$1.').replace(/\bpodpatterns\.k8s\./g, 'k8s.');

/** Breaks a code line wider than MAX_CODE_LINE after the `(` and the top-level commas of its parameter list. */
function wrapLine(line) {
  if (line.length <= MAX_CODE_LINE) return [line];
  const open = line.indexOf('(');
  if (open < 0) return [line];
  const indent = /^\s*/.exec(line)[0];
  const params = [];
  let depth = 0;
  let start = open + 1;
  let close = -1;
  for (let i = open + 1; i < line.length && close < 0; i++) {
    const c = line[i];
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) {
      if (depth === 0 && c === ')') close = i;
      else depth--;
    } else if (c === ',' && depth === 0) {
      params.push(line.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (close < 0) return [line];
  params.push(line.slice(start, close).trim());
  return [line.slice(0, open + 1), ...params.filter(Boolean).map((p) => `${indent}  ${p},`), `${indent}${line.slice(close)}`];
}

/** jsii-docgen's usage code laid out for GitHub's column: Go's module paths shortened, Java's overloads one per line, long signatures wrapped. */
function layout(json, lang) {
  const visit = (o) => {
    if (Array.isArray(o)) o.forEach(visit);
    else if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v !== 'string' || k !== 'usage') visit(v);
        else {
          let text = lang === 'go' ? shortGo(v) : v;
          if (lang === 'java') text = text.replace(/\),(?=[A-Z]\w*\.)/g, ')\n');
          o[k] = text.split('\n').flatMap(wrapLine).join('\n');
        }
      }
    }
  };
  visit(json);
}

/** Break opportunities (`<wbr>`) after the dots and brackets of the code in table rows, so that long type names wrap in their column. */
function breakTableCode(md) {
  return md.split('\n').map((line) => (!line.startsWith('|') ? line : line.replace(/<code>([\s\S]*?)<\/code>/g, (_m, inner) => `<code>${inner.split(/(<\/?(?:a|code|wbr|sup)\b[^>]*>)/).map((part, i) => (i % 2 === 1 ? part : part.replace(/([.[/_])(?=[A-Za-z0-9])/g, '$1<wbr>'))).join('')}</code>`))).join('\n');
}

/** The types of the root module, in the order the index shows them. */
function typesOf(ref) {
  return [
    ...ref.constructs.map((t) => ({ kind: 'Construct', t })),
    ...ref.classes.map((t) => ({ kind: 'Class', t })),
    ...ref.structs.map((t) => ({ kind: 'Struct', t })),
    ...ref.interfaces.map((t) => ({ kind: 'Interface', t })),
    ...ref.enums.map((t) => ({ kind: 'Enum', t })),
  ];
}

/** The short (assembly-relative) name of a type id: `cdk8s-pod-patterns.LogSidecar` -> `LogSidecar`. */
const shortName = (id, asm) => id.slice(asm.length + 1);

/** One page per type in a language, and its index. */
function renderLanguage(lang, json, asm, target, groupsOf) {
  const { MarkdownRenderer, Language } = require('jsii-docgen');
  const ref = json.apiReference;
  const types = typesOf(ref);
  const pages = new Set(types.map(({ t }) => shortName(t.id, asm)));
  const pageOf = (id) => {
    if (!id.startsWith(`${asm}.`)) return undefined;
    const first = id.slice(asm.length + 1).split('.')[0];
    return pages.has(first) ? first : undefined;
  };
  const out = new Map();
  for (const { kind, t } of types) {
    const page = shortName(t.id, asm);
    const renderer = new MarkdownRenderer({
      language: Language.fromString(lang.id),
      packageName: json.metadata.packageName,
      packageVersion: json.metadata.packageVersion,
      linkFormatter: (e) => {
        const p = pageOf(e.id);
        if (p) return `<a href="${p === page ? '' : `${p}.md`}#${e.id}">${e.displayName}</a>`;
        return lang.id === 'go' ? shortGo(e.fqn) : e.fqn;
      },
    });
    const visit = { Construct: 'visitConstruct', Class: 'visitClass', Struct: 'visitStruct', Interface: 'visitInterface', Enum: 'visitEnum' }[kind];
    const body = renderer[visit](t).render(1);
    out.set(`${page}.md`, [
      `<!-- Generated by npm run docs:api (scripts/docs/api-languages.js) from the jsii assembly: do not edit. -->`,
      '',
      `[${lang.title} API reference](README.md) · [names in every language](../names.md#${anchor(page)}) · [TypeScript](../${tsPage(page, kind)})`,
      '',
      proseFixes(breakTableCode(topHeading(body))).trimEnd(),
      '',
    ].join('\n'));
  }
  const index = [
    `# cdk8s-pod-patterns API reference: ${lang.title}`,
    '',
    `<!-- Generated by npm run docs:api (scripts/docs/api-languages.js) from the jsii assembly: do not edit. -->`,
    '',
    target,
    '',
    `Every type of the library, by construct, with its ${lang.title} names and signatures (jsii-docgen). The `
      + 'descriptions are the TSDoc of the [TypeScript reference](../README.md); [names.md](../names.md) '
      + 'puts the four languages side by side. The Kubernetes L1 types the API uses are the submodule `k8s` '
      + '(cdk8s\'s own `import` of the Kubernetes API, named as in cdk8s-plus).',
    '',
  ];
  for (const g of groupsOf(types.map(({ kind, t }) => ({ name: shortName(t.id, asm), kind })))) {
    index.push(`## ${g.title}`, '');
    for (const kind of ['Construct', 'Class', 'Struct', 'Interface', 'Enum']) {
      const items = g.entries.filter((e) => e.kind === kind);
      if (items.length > 0) index.push(`- ${kind}${items.length > 1 ? (kind === 'Class' ? 'es' : 's') : ''}: ${items.map((e) => `[${e.name}](${e.name}.md)`).join(', ')}`);
    }
    index.push('');
  }
  out.set('README.md', index.join('\n'));
  return out;
}

/** Markdown with its headings raised so that the first is `#` (outside code blocks). */
function topHeading(md) {
  const parts = md.split(/^(```[\s\S]*?^```)$/m);
  const levels = parts.filter((_p, i) => i % 2 === 0).flatMap((p) => (p.match(/^#+(?= )/gm) ?? []).map((h) => h.length));
  const shift = Math.min(...levels) - 1;
  return parts.map((p, i) => (i % 2 === 0 ? p.replace(/^(#+) /gm, (_m, h) => `${'#'.repeat(h.length - shift)} `) : p)).join('');
}

/**
 * Outside code: TSDoc's `{@link X}` (jsii-docgen leaves it) as `X` in code, and a `<` that starts no
 * HTML tag jsii-docgen writes escaped (`List<ContainerPort>` would be an unknown tag GitHub drops).
 */
function proseFixes(md) {
  return md.split(/^(```[\s\S]*?^```)$/m).map((part, i) => (i % 2 === 1 ? part : part.split(/(`[^`\n]*`)/).map((t, j) => (j % 2 === 1 ? t : t
    .replace(/\{@link\s+([^}\s|]+)(?:\s*\|\s*([^}]*))?\s*\}/g, (_m, target, label) => (label ? label.trim() : `\`${target}\``))
    .replace(/<(?!\/?(?:a|code|sup|wbr|br|b|i|em|strong|p|details|summary)\b|!--)/g, '&lt;'))).join(''))).join('');
}

/** GitHub's anchor of a heading. */
const anchor = (title) => title.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
/** The TypeDoc page of a type (scripts/docs/api.js). */
const tsPage = (name, kind) => `${kind === 'Enum' ? 'enumerations' : kind === 'Struct' || kind === 'Interface' ? 'interfaces' : 'classes'}/${name}.md`;

/** The first code line of a jsii-docgen usage (after the import), up to its parameters. */
function callOf(usage) {
  const lines = usage.split('\n').filter((l) => l.trim() && !/^(import|from) /.test(l));
  return lines[0].replace(/\(.*$/, '').replace(/ \{$/, '').trim();
}

/**
 * The member names a type of the assembly declares itself or inherits from a type of the assembly
 * (the submodule k8s included): what Construct gives every construct (`node`, `with`, `toString`,
 * `isConstruct`) is constructs's, named as there.
 */
function ownMembers(assembly, fqn, out = new Set()) {
  const t = assembly.types[fqn];
  if (!t) return out;
  for (const p of t.properties ?? []) out.add(p.name);
  for (const m of t.methods ?? []) out.add(m.name);
  for (const base of [t.base, ...(t.interfaces ?? [])].filter(Boolean)) ownMembers(assembly, base, out);
  return out;
}

/**
 * The names of every member of a type, in the four languages: rows of [what, ts, python, java, go].
 * Joined on jsii-docgen's language-independent ids.
 */
function nameRows(type, all, asm, structs, assembly) {
  const by = (lang) => all[lang];
  const rows = [];
  const py = (u) => callOf(u).replace(/^cdk8s_pod_patterns\./, '');
  const cell = {
    typescript: {
      type: (e) => e.displayName, init: (e) => `${callOf(e.usage)}(scope, id, props)`, param: (e) => e.displayName, field: (e) => e.displayName,
      prop: (e) => `.${e.displayName}`, method: (e) => `.${e.displayName}()`, static: (e) => `${callOf(e.usage)}()`, constant: (e) => `${type}.${e.displayName}`, member: (e) => `${type}.${e.displayName}`,
    },
    python: {
      type: (e) => e.displayName, init: (e) => `${py(e.usage)}(scope, id, **kwargs)`, param: (e) => `${e.displayName}=`, field: (e) => `${e.displayName}=`,
      prop: (e) => `.${e.displayName}`, method: (e) => `.${e.displayName}()`, static: (e) => `${py(e.usage)}()`, constant: (e) => `${type}.${e.displayName}`, member: (e) => `${type}.${e.displayName}`,
    },
    java: {
      type: (e) => e.displayName, init: (e) => (/Builder\.create$/.test(callOf(e.usage)) ? `${callOf(e.usage)}(scope, id)…build()` : `${callOf(e.usage)}(…)`),
      param: (e) => `.${e.displayName}(…)`, field: (e) => `.${e.displayName}(…)`, prop: (e) => `.${/ (\w+)\(\);$/.exec(e.usage)?.[1] ?? e.displayName}()`,
      method: (e) => `.${e.displayName}()`, static: (e) => `${callOf(e.usage)}()`, constant: (e) => `${type}.${e.displayName}`, member: (e) => `${type}.${e.displayName}`,
    },
    go: {
      type: (e) => `podpatterns.${e.displayName}`, init: (e) => `${callOf(e.usage)}(scope, id, props)`, param: (e) => `${e.displayName}:`, field: (e) => `${e.displayName}:`,
      prop: (e) => `.${/^func (\w+)\(/.exec(e.usage)?.[1] ?? e.displayName}()`, method: (e) => `.${e.displayName}()`, static: (e) => `${callOf(e.usage)}()`,
      constant: (e) => `podpatterns.${e.displayName}()`, member: (e) => `podpatterns.${e.displayName}`,
    },
  };
  const own = ownMembers(assembly, `${asm}.${type}`);
  const langs = ['typescript', ...LANGUAGES.map((l) => l.id)];
  const find = (lang) => typesOf(by(lang).apiReference).find(({ t }) => shortName(t.id, asm) === type);
  const entries = Object.fromEntries(langs.map((l) => [l, find(l)]));
  const { kind, t: ts } = entries.typescript;
  const isOwn = (e) => own.has(e.id.split('.').pop());
  const row = (what, role, pick) => rows.push([what, ...langs.map((l) => {
    const e = pick(entries[l].t, l);
    return e ? cell[l][role](e) : '';
  })]);
  row('type', 'type', (t) => t);
  if (kind === 'Enum') {
    for (const m of ts.members) row('member', 'member', (t) => t.members.find((x) => x.id === m.id));
    return { kind, rows };
  }
  if (kind === 'Struct') {
    for (const p of ts.properties.filter(isOwn)) row('field', 'field', (t) => t.properties.find((x) => x.id === p.id));
    return { kind, rows };
  }
  if (ts.initializer) {
    row('initializer', 'init', (t) => t.initializer);
    // props: Python and Java take them flat (kwargs, builder), TypeScript and Go as the props struct
    const propsParam = ts.initializer.parameters.find((p) => p.id.endsWith('.parameter.props'));
    const propsType = propsParam?.type?.types?.[0]?.id;
    const struct = propsType && structs.get(propsType);
    const ownProps = propsType ? ownMembers(assembly, propsType) : new Set();
    for (const f of (struct?.properties ?? []).filter((e) => ownProps.has(e.id.split('.').pop()))) {
      const key = f.id.split('.').pop();
      row('prop', 'param', (t, l) => {
        if (l === 'typescript' || l === 'go') {
          const s = typesOf(by(l).apiReference).find(({ t: x }) => x.id === propsType);
          return s?.t.properties.find((x) => x.id === f.id);
        }
        return t.initializer.parameters.find((x) => x.id.split('.').pop() === key);
      });
    }
  }
  for (const m of (ts.staticMethods ?? []).filter(isOwn)) row('static', 'static', (t) => t.staticMethods.find((x) => x.id === m.id));
  for (const c of ts.constants ?? []) row('constant', 'constant', (t) => t.constants.find((x) => x.id === c.id));
  for (const p of (ts.properties ?? []).filter(isOwn)) row('property', 'prop', (t) => t.properties.find((x) => x.id === p.id));
  for (const m of (ts.instanceMethods ?? []).filter(isOwn)) row('method', 'method', (t) => t.instanceMethods.find((x) => x.id === m.id));
  return { kind, rows };
}

/** The identifiers of a table cell a user types (qualifiers and placeholders aside). */
function identifiersOf(text) {
  const skip = new Set(['new', 'scope', 'id', 'props', 'kwargs', 'build', 'Builder', 'create', 'podpatterns']);
  return (text.match(/[A-Za-z_$][\w$]*/g) ?? []).filter((w) => !skip.has(w));
}

/** Cells of the names table that name no identifier of the generated code of their language. */
function unknownNames(tables, identifiers) {
  const langs = ['typescript', ...LANGUAGES.map((l) => l.id)];
  const problems = [];
  for (const [type, { rows }] of tables) {
    for (const r of rows) {
      langs.forEach((l, i) => {
        for (const w of identifiersOf(r[i + 1])) {
          if (!identifiers[l].has(w) || isKeyword(l, w)) problems.push(`${type} ${r[0]}: ${l} \`${r[i + 1]}\`: \`${w}\` is not in the ${l} code jsii generates`);
        }
      });
    }
  }
  return problems;
}

/** A name as a table cell: HTML code with break opportunities after its dots, underscores, brackets and camelCase words (GitHub's column is narrow for four languages). */
function codeCell(text) {
  if (!text) return '';
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([._(/])(?=[A-Za-z0-9])/g, '$1<wbr>')
    .replace(/([a-z0-9])(?=[A-Z][a-z])/g, '$1<wbr>')
    .replace(/_/g, '&#95;').replace(/\*/g, '&#42;');
  return `<code>${html}</code>`;
}

/** The text of a names.md cell (codeCell's inverse). */
function cellText(cell) {
  return cell.replace(/<\/?code>|<wbr>/g, '').replace(/&#95;/g, '_').replace(/&#42;/g, '*').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}

/** Keywords of each language: never a member name jsii generates (it renames them: `from_`, `defaultValue`). */
function isKeyword(lang, word) {
  if (lang === 'python') return require('jsii-pacmak/lib/targets/python/util').toPythonIdentifier(word) !== word;
  if (lang === 'go') return require('jsii-pacmak/lib/targets/go/util').substituteReservedWords(word) !== word;
  if (lang === 'java') return JAVA_KEYWORDS.has(word);
  return false;
}
const JAVA_KEYWORDS = new Set(('abstract assert boolean break byte case catch char class const continue default do double else enum extends '
  + 'final finally float for goto if implements import instanceof int interface long native new package private protected public return short '
  + 'static strictfp super switch synchronized this throw throws transient try void volatile while true false null').split(' '));

/**
 * Names the per-language pages print that are not identifiers of that language's generated code:
 * every type, prop, parameter, property, constant, method and enum member of the corrected
 * jsii-docgen JSON (members inherited from other assemblies aside, see ownMembers).
 */
function unknownPageNames(all, identifiers, assembly, asm) {
  const problems = [];
  for (const lang of LANGUAGES.map((l) => l.id)) {
    const known = (w) => identifiers[lang].has(w) && !isKeyword(lang, w);
    const check = (where, name) => {
      for (const w of identifiersOf(name)) if (!known(w)) problems.push(`${lang} page ${where}: \`${name}\`: \`${w}\` is not in the ${lang} code jsii generates`);
    };
    for (const { t } of typesOf(all[lang].apiReference)) {
      const type = shortName(t.id, asm);
      const own = ownMembers(assembly, t.id);
      check(type, t.displayName);
      for (const p of t.initializer?.parameters ?? []) check(`${type} initializer`, p.displayName);
      for (const m of t.members ?? []) check(type, m.displayName);
      for (const p of [...(t.properties ?? []), ...(t.constants ?? [])].filter((x) => own.has(x.id.split('.').pop()))) check(type, p.displayName);
      for (const m of [...(t.staticMethods ?? []), ...(t.instanceMethods ?? [])].filter((x) => own.has(x.id.split('.').pop()))) {
        const isStatic = (t.staticMethods ?? []).includes(m);
        check(type, lang === 'go' && isStatic ? `${type}_${m.displayName}` : m.displayName);
        for (const p of m.parameters ?? []) check(`${type}.${m.displayName}`, p.displayName);
      }
    }
  }
  return problems;
}

function renderNames(tables, asm, groupsOf) {
  const out = [
    '# cdk8s-pod-patterns: every public name in TypeScript, Python, Java and Go',
    '',
    '<!-- Generated by npm run docs:api (scripts/docs/api-languages.js) from the jsii assembly: do not edit. -->',
    '',
    'The names jsii gives each type and member of the library in each language, side by side: every '
      + 'name here is checked against the code jsii-pacmak generates for that language when this page is '
      + 'generated. Python takes props as keyword arguments in snake_case, Java through a builder '
      + '(`X.Builder.create(scope, id).prop(…).build()` for a construct, `XProps.builder()…build()` for a '
      + 'struct), Go as a pointer to a struct of exported fields (`&podpatterns.XProps{Prop: …}`, with '
      + '`jsii.String(…)` and `jsii.Number(…)`); static functions and constants are '
      + '`podpatterns.Type_Member` in Go. Full signatures: [Python](python/README.md), '
      + '[Java](java/README.md), [Go](go/README.md), [TypeScript](README.md).',
    '',
  ];
  const types = [...tables.keys()];
  for (const g of groupsOf(types.map((name) => ({ name, kind: tables.get(name).kind })))) {
    out.push(`## ${g.title}`, '');
    for (const { name } of g.entries) {
      const { kind, rows } = tables.get(name);
      out.push(`### ${name}`, '', `${kind}: [TypeScript](${tsPage(name, kind)}) · [Python](python/${name}.md) · [Java](java/${name}.md) · [Go](go/${name}.md)`, '');
      out.push('| | TypeScript | Python | Java | Go |', '| --- | --- | --- | --- | --- |');
      for (const r of rows) out.push(`| ${r[0]} | ${r.slice(1).map(codeCell).join(' | ')} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

/** The index's groups (scripts/docs/api.js's, by the source file of each type). */
function grouper(assembly) {
  const { groupEntries } = require('./api');
  const fileOf = new Map(Object.values(assembly.types).filter((t) => !t.namespace).map((t) => [t.name, t.locationInModule?.filename ?? '']));
  return (entries) => groupEntries(entries.map((e) => ({ ...e, file: fileOf.get(e.name) ?? '', isClass: e.kind === 'Construct' || e.kind === 'Class' })));
}

/** Writes the per-language reference and names.md into `out` (docs/api/ or a temporary copy). */
async function generate(out, options = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-api-languages-'));
  try {
    const stage = options.assembly ?? compile();
    if (!fs.existsSync(path.join(stage, '.jsii'))) throw new Error(`no jsii assembly at ${path.join(stage, '.jsii')}: run \`npm run build:jsii\` (or leave out --assembly)`);
    const { dir, assembly } = assembliesDir(stage, work);
    const asm = assembly.name;
    const all = await schemas(dir, asm, assembly);
    const identifiers = generatedIdentifiers(stage, work);
    const groupsOf = grouper(assembly);
    const structs = new Map(all.typescript.apiReference.structs.map((s) => [s.id, s]));
    const tables = new Map(typesOf(all.typescript.apiReference).map(({ t }) => [shortName(t.id, asm), nameRows(shortName(t.id, asm), all, asm, structs, assembly)]));
    const problems = [...unknownNames(tables, identifiers), ...unknownPageNames(all, identifiers, assembly, asm)];
    if (problems.length > 0) {
      throw new Error(`the reference would print names jsii does not generate (jsii-docgen and jsii-pacmak disagree: add a correction to correct() in scripts/docs/api-languages.js):\n  ${problems.join('\n  ')}`);
    }
    for (const o of OUTPUTS) fs.rmSync(path.join(out, o), { recursive: true, force: true });
    const targets = {
      python: '`pip install cdk8s_pod_patterns-<version>-py3-none-any.whl` (built by `npm run package:jsii`), then `from cdk8s_pod_patterns import LogSidecar, Patterns`.',
      java: 'Maven `dev.podpatterns:cdk8s-pod-patterns` (the local repository `npm run package:jsii` writes), then `import dev.podpatterns.cdk8s.LogSidecar;`.',
      go: `\`import "${assembly.targets.go.moduleName}/${assembly.targets.go.packageName}"\`: the module \`npm run package:jsii\` writes; a placeholder path that no server serves, so a Go module uses it with a \`replace\` directive (README, "Go"). The names are checked against the generated code; the types are jsii-docgen's, which writes a struct without the pointer Go passes and returns it as (\`props LogSidecarProps\` is \`props *LogSidecarProps\` in the code, as in [test/consumer-go/main.go](../../../test/consumer-go/main.go)).`,
    };
    for (const lang of LANGUAGES) {
      for (const [f, text] of renderLanguage(lang, all[lang.id], asm, targets[lang.id], groupsOf)) {
        fs.mkdirSync(path.join(out, lang.id), { recursive: true });
        fs.writeFileSync(path.join(out, lang.id, f), text);
      }
    }
    fs.writeFileSync(path.join(out, 'names.md'), renderNames(tables, asm, groupsOf));
    return files(out).filter((f) => OUTPUTS.some((o) => f.split(path.sep).join('/').startsWith(o))).length;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The files of OUTPUTS under a directory, relative. */
function outputFiles(dir) {
  return files(dir).filter((f) => OUTPUTS.some((o) => f.split(path.sep).join('/').startsWith(o)));
}

/** Differences between a fresh run (`fresh`) and docs/api/ (`committed`), as messages. */
function compare(fresh, committed) {
  const a = outputFiles(fresh);
  const b = outputFiles(committed);
  return [
    ...a.filter((f) => !b.includes(f)).map((f) => `missing docs/api/${f}`),
    ...b.filter((f) => !a.includes(f)).map((f) => `extra docs/api/${f}`),
    ...a.filter((f) => b.includes(f) && fs.readFileSync(path.join(fresh, f), 'utf8') !== fs.readFileSync(path.join(committed, f), 'utf8')).map((f) => `stale docs/api/${f}`),
  ];
}

async function main(argv) {
  const check = argv.includes('--check');
  const i = argv.indexOf('--assembly');
  const assembly = i >= 0 ? path.resolve(argv[i + 1]) : undefined;
  const t = Date.now();
  const out = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'docs-api-languages-out-')) : apiDir;
  try {
    const n = await generate(out, { assembly });
    const s = ((Date.now() - t) / 1000).toFixed(1);
    if (!check) {
      process.stdout.write(`docs:api: ${n} files in docs/api/{python,java,go}/ and docs/api/names.md (${s} s)\n`);
      return 0;
    }
    const problems = compare(out, apiDir);
    for (const p of problems) process.stderr.write(`docs:api: ${p}\n`);
    if (problems.length > 0) {
      process.stderr.write('docs:api: the Python, Java and Go reference is not what the jsii assembly generates: run `npm run docs:api` and commit the result\n');
      return 1;
    }
    process.stdout.write(`docs:api: docs/api/{python,java,go}/ and names.md are fresh (${n} files, ${s} s)\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`docs:api: ${e.message}\n`);
    return 1;
  } finally {
    if (check) fs.rmSync(out, { recursive: true, force: true });
  }
}

module.exports = { OUTPUTS, LANGUAGES, codeCell, cellText, isKeyword, unknownPageNames, correct, pythonNameFixes, code, callOf, identifiersOf, unknownNames, compare, generate, main };

if (require.main === module) main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
