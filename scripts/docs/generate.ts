/**
 * Regenerates the generated sections of docs/*.md, or checks that they are fresh.
 *
 * A generated section sits between `<!-- generated:<kind>:<argument> -->` and `<!-- /generated -->`;
 * everything outside the markers is hand-written and left alone. Kinds:
 *
 * - `diagram:<pod>`: the Mermaid pod diagram of a pod-bearing object of the example app
 *   (`buildExampleApp`, what `npm run synth` writes to dist/) or of a docs example, by name.
 * - `example:<stem>`: the TypeScript of `docs/examples/<stem>.ts`, importing `cdk8s-pod-patterns`, then the
 *   Python of `docs/examples/<stem>.py` when there is one (`npm run test:languages` checks that it writes
 *   the same YAML as the TypeScript).
 * - `yaml:<stem>`: an excerpt of what that example synthesizes (each container's securityContext
 *   and resources and the workload's defaults left out); `yaml:<stem>:security` shows the
 *   securityContexts instead.
 * - `options:<Interface>:<prop>,<prop>,...`: a table of those props from their TSDoc (type,
 *   `@default`, description), so the docs cannot disagree with the code.
 * - `pod-security:<pod>,<pod>,...`: the profile each pod declares, and what keeps it from
 *   `restricted` (the failing Pod Security checks).
 * - `pod-field:<pod>:<field>`: one field of a pod's spec (e.g. `affinity`), as YAML.
 * - `lifecycle:<pod>`: how that pod starts and stops (scripts/docs/lifecycle.ts): start order and
 *   what gates each step (exit, startup probe, postStart), stop order and the grace period.
 *
 * Every pod of the example app must have a diagram on some page, and every docs example must be
 * shown. Output is deterministic: no timestamps, everything in source order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import * as ts from 'typescript';
import { buildExampleApp } from '../../lib/charts';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { synthToMemory } from '../../lib/synth';
import { DIAGRAM_CLASSES, DIAGRAM_HEADER, DiagramName, describePod, podOf, renderPodDiagram } from './diagram';
import { describeLifecycle, renderLifecycleDiagram } from './lifecycle';
import { OPENING_LINES, PATTERN_PAGES, PatternPage } from './pages';
import { PodSecurityLevel } from '../../lib/_pod/pod-security';

/** The repository: two levels up from scripts/docs, three from build/scripts/docs. */
const ROOT = ((up: string) => (path.basename(up) === 'build' && fs.existsSync(path.join(up, '..', 'package.json')) ? path.dirname(up) : up))(
  path.resolve(__dirname, '..', '..'),
);
const DOCS = path.join(ROOT, 'docs');
const EXAMPLES = path.join(DOCS, 'examples');
/** The package name users import from (the examples import the source tree instead). */
const PACKAGE = 'cdk8s-pod-patterns';
const POD_SECURITY_ANNOTATION = 'pod-patterns.dev/pod-security';

type Json = Record<string, any>;

/** A pod-bearing object and where it comes from. */
interface PodSource {
  readonly manifest: Json;
  /** Every object of the same app, for ConfigMaps and Services. */
  readonly objects: readonly Json[];
  /** `dist/<file>` for the example app, `docs/examples/<stem>.ts` for a docs example. */
  readonly origin: string;
  readonly fromExampleApp: boolean;
}

/** What the generated sections are made from. */
export interface DocsInputs {
  readonly pods: ReadonlyMap<string, PodSource>;
  readonly examples: ReadonlyMap<string, { source: string; python?: string; objects: readonly Json[] }>;
  readonly propsDoc: (iface: string, prop: string) => PropDoc;
}

/** One prop's documentation, from the TSDoc. */
export interface PropDoc {
  readonly name: string;
  readonly optional: boolean;
  readonly type: string;
  readonly description: string;
  readonly default?: string;
}

function addPods(pods: Map<string, PodSource>, objects: readonly Json[], originOf: (m: Json) => string, fromExampleApp: boolean): void {
  for (const m of objects) {
    if (!podOf(m)) continue;
    const name = m.metadata?.name;
    if (pods.has(name)) throw new Error(`two pods are named ${name} (${pods.get(name)!.origin} and ${originOf(m)}): diagram markers name pods, so names must be unique`);
    pods.set(name, { manifest: m, objects, origin: originOf(m), fromExampleApp });
  }
}

/** Synthesizes the example app and every docs example (with the synth driver's checks). */
export function loadInputs(examplesDir: string = EXAMPLES, loadExample: (file: string) => any = (f) => require(f)): DocsInputs {
  const pods = new Map<string, PodSource>();
  const app = buildExampleApp(new App());
  const { charts } = synthToMemory(app);
  for (const c of charts) {
    const objects = c.objects.map((o) => o.manifest);
    addPods(pods, objects, () => `dist/${c.name}${app.outputFileExtension}`, true);
  }
  const examples = new Map<string, { source: string; python?: string; objects: readonly Json[] }>();
  for (const file of fs.readdirSync(examplesDir).filter((f) => f.endsWith('.ts')).sort()) {
    const stem = file.replace(/\.ts$/, '');
    const mod = loadExample(path.join(examplesDir, stem));
    const charts = Object.values(mod).filter((v: any) => typeof v === 'function' && Object.prototype.isPrototypeOf.call(Chart.prototype, v.prototype)) as Array<new (s: App, id: string) => Chart>;
    if (charts.length !== 1) throw new Error(`docs/examples/${file} must export exactly one Chart class (found ${charts.length})`);
    const exampleApp = new App();
    new charts[0](exampleApp, stem);
    const objects = synthToMemory(exampleApp).charts.flatMap((c) => c.objects.map((o) => o.manifest));
    const py = path.join(examplesDir, `${stem}.py`);
    const python = fs.existsSync(py) ? fs.readFileSync(py, 'utf8') : undefined;
    examples.set(stem, { source: fs.readFileSync(path.join(examplesDir, file), 'utf8'), python, objects });
    addPods(pods, objects, () => `docs/examples/${file}`, false);
  }
  return { pods, examples, propsDoc: propsDocReader() };
}

// ---------------------------------------------------------------------------------------------
// Props documentation from the TSDoc, through the TypeScript compiler

/** Reads props' documentation from lib/index.ts's exports (inherited props included). */
export function propsDocReader(entry: string = path.join(ROOT, 'lib', 'index.ts')): (iface: string, prop: string) => PropDoc {
  let checker: ts.TypeChecker | undefined;
  let exports: Map<string, ts.Symbol> | undefined;
  const init = () => {
    const program = ts.createProgram([entry], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    });
    checker = program.getTypeChecker();
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    exports = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, s]));
  };
  return (iface, prop) => {
    if (!checker) init();
    const exported = exports!.get(iface);
    if (!exported) throw new Error(`options:${iface}: lib/index.ts exports no ${iface}`);
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker!.getAliasedSymbol(exported) : exported;
    const type = checker!.getDeclaredTypeOfSymbol(symbol);
    const p = checker!.getPropertyOfType(type, prop);
    if (!p) throw new Error(`options:${iface}: ${iface} has no prop ${prop}`);
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    const propType = checker!.getTypeOfSymbolAtLocation(p, decl!);
    const optional = (p.flags & ts.SymbolFlags.Optional) !== 0;
    const typeText = checker!.typeToString(optional ? checker!.getNonNullableType(propType) : propType, undefined, ts.TypeFormatFlags.NoTruncation);
    const tags = p.getJsDocTags(checker);
    const def = tags.find((t) => t.name === 'default');
    return {
      name: prop,
      optional,
      type: typeText,
      description: docText(p.getDocumentationComment(checker)),
      ...(def ? { default: docText(def.text ?? []) } : {}),
    };
  };
}

/** TSDoc display parts as one line of Markdown (`{@link X}` as code). */
function docText(parts: readonly ts.SymbolDisplayPart[]): string {
  let out = '';
  let inLink = false;
  for (const p of parts) {
    if (p.kind === 'link') {
      inLink = !inLink && p.text.startsWith('{@link');
      continue;
    }
    if (inLink && (p.kind === 'linkName' || p.kind === 'linkText')) {
      out += `\`${p.text.trim()}\``;
      continue;
    }
    out += p.text;
  }
  return out.replace(/\s*\n\s*/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Sections

/** Markdown for a table cell: `|` escaped, `<` outside code spans escaped. */
function cell(s: string): string {
  return s.split('`').map((seg, i) => (i % 2 === 0 ? seg.replace(/</g, '&lt;') : seg)).join('`').replace(/\|/g, '\\|');
}

/** A `@default` for a table: "- behaviour" as prose; literals, identifiers and quoted values as code. */
export function defaultText(d: string): string {
  let rest = d.trim();
  let head = '';
  if (rest.startsWith('- ')) rest = rest.slice(2);
  else {
    const m = /^('[^']*'|"[^"]*"|-?\d[\d.]*|true|false|\[[^\]]*\]|\{[^}]*\}|[A-Za-z_][\w.]*(?:\([^()]*\))?)(.*)$/.exec(rest);
    if (m) {
      head = `\`${m[1]}\``;
      rest = m[2];
    }
  }
  const body = rest.split('`').map((seg, i) => (i % 2 === 0 ? seg.replace(/(^|[\s(,])('[^'\s][^']*')(?=$|[\s),.;:])/g, (_m, pre, q) => `${pre}\`${q}\``) : seg)).join('`');
  return head + body;
}

/** Where a generated section is: the page (relative to the repository), for relative links. */
export interface SectionContext {
  /** e.g. `docs/adapter.md` or `README.md`. */
  readonly file: string;
}

/** A link from the page in `ctx` to a file given relative to the repository. */
function linkTo(ctx: SectionContext, target: string): string {
  return path.posix.relative(path.posix.dirname(ctx.file), target) || path.posix.basename(target);
}

/** Where the shared legend of every diagram is. */
export const LEGEND = 'docs/shared-defaults.md#reading-the-diagrams';

/**
 * A diagram as every page shows it: the Mermaid block, the table of full names under it, and a
 * caption that links the shared legend. Every diagram kind renders through this, so they all
 * follow the same rules (short labels in the picture, full names in the table, one legend).
 */
export function diagramBlock(ctx: SectionContext, mermaid: string, names: readonly DiagramName[], caption: string): string {
  return [
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
    ...(names.length > 0 ? ['| In the diagram | What it is |', '| --- | --- |', ...names.map((n) => `| ${cell(n.box)} | ${cell(n.is)} |`), ''] : []),
    `<sub>${caption}; shapes: [legend](${linkTo(ctx, LEGEND)}); generated by \`npm run docs\`.</sub>`,
  ].join('\n');
}

function podDiagramSection(inputs: DocsInputs, pod: string, ctx: SectionContext): string {
  const src = inputs.pods.get(pod);
  if (!src) throw new Error(`diagram:${pod}: no pod of the example app or of docs/examples is named ${pod}`);
  const { mermaid, names } = renderPodDiagram(describePod(src.manifest, src.objects));
  return diagramBlock(ctx, mermaid, names.map((n) => ({ box: `\`${n.box}\``, is: n.is })), `${src.manifest.kind} \`${pod}\` from \`${src.origin}\``);
}

/** A pod's lifecycle diagram: start order and gates, stop order and the grace period (scripts/docs/lifecycle.ts). */
function lifecycleSection(inputs: DocsInputs, pod: string, ctx: SectionContext): string {
  const src = inputs.pods.get(pod);
  if (!src) throw new Error(`lifecycle:${pod}: no pod of the example app or of docs/examples is named ${pod}`);
  const { mermaid, names } = renderLifecycleDiagram(describeLifecycle(src.manifest));
  return diagramBlock(ctx, mermaid, names, `How ${src.manifest.kind} \`${pod}\` from \`${src.origin}\` starts and stops`);
}

/** The legend every diagram links to: each shape and line style, drawn and explained. */
function legendSection(_inputs: DocsInputs, arg: string, ctx: SectionContext): string {
  if (arg !== 'pod') throw new Error(`legend:${arg}: only legend:pod`);
  const mermaid = [
    DIAGRAM_HEADER,
    '  subgraph pod[" "]',
    '    direction TB',
    '    title["Deployment web, 2 replicas<br/>Pod Security: restricted"]:::title',
    '    subgraph init["init, in order"]',
    '      i1["1: fetch"]:::init',
    '      i2["2: logs<br/>sidecar"]:::init',
    '    end',
    '    app["app"]',
    '    vol[("volume")]',
    '    subgraph net["network"]',
    '      port([":8080 http"])',
    '    end',
    '  end',
    '  svc{{"Service web"}}:::outside',
    '  up[/"upstream 1"/]:::outside',
    '  other("other pods"):::outside',
    '  title ~~~ i1',
    '  i1 -. then .-> i2',
    '  i1 -->|writes| vol',
    '  vol -->|reads| app',
    '  port --- app',
    '  svc -->|":80"| port',
    '  app --> up',
    '  app -.->|"podAffinity"| other',
    ...DIAGRAM_CLASSES.map((c) => `  ${c}`),
  ].join('\n');
  const names: DiagramName[] = [
    { box: 'the outer box', is: 'one pod; its first line (bold, no border) names the workload, its replicas and the Pod Security level it declares' },
    { box: 'dashed box in `init, in order`', is: 'an init container, numbered in start order: runs to completion before the next; `sidecar`: a native sidecar (`restartPolicy: Always`) that keeps running beside the containers' },
    { box: 'plain box', is: 'a container' },
    { box: 'cylinder', is: 'a volume that joins containers; `writes` / `reads`: mounted read-write / read-only (the paths are in the table)' },
    { box: 'rounded box in `network`', is: 'a port on the pod\'s one network namespace (`127.0.0.1:` bound to loopback: only the pod\'s containers reach it); a line joins it to the container that listens' },
    { box: 'hexagon', is: 'a Service, the node (`hostPort`) or Prometheus: outside the pod, reaching into it' },
    { box: 'slanted box', is: 'an upstream outside the pod that a container calls' },
    { box: 'dotted arrow', is: 'init order (`then`), or scheduling (`podAffinity`): where the pod may run' },
    { box: 'scratch', is: 'an emptyDir only one container mounts (a writable `/tmp` under a read-only root filesystem): listed in the table, not drawn' },
    { box: 'lifecycle diagrams (`Start, in order` above `Stop: grace N s`)', is: 'the same boxes (dashed: init container or native sidecar); an arrow there is start order, labelled with what the next container waits for (`exits 0`, `startup probe`, `postStart returns`, `started`); in `Stop`, the containers side by side get SIGTERM together (after their preStop wait) and `then` leads to the native sidecars, stopped last' },
  ];
  return diagramBlock(ctx, mermaid, names, 'The shapes every diagram uses');
}

/** The README's picture: one pod, its app container and the helper each pattern adds. */
export function overviewSection(_inputs: DocsInputs, arg: string, ctx: SectionContext, pages: readonly PatternPage[] = PATTERN_PAGES): string {
  if (arg !== 'patterns') throw new Error(`overview:${arg}: only overview:patterns`);
  const via = { volume: 'volume', localhost: 'localhost', processes: 'processes' } as const;
  const out = [DIAGRAM_HEADER, '  subgraph pod[" "]', '    direction TB', '    title["One pod: the app and the helper<br/>each pattern adds"]:::title', '    app["app"]'];
  const edges: string[] = [];
  const outside: string[] = [];
  const names: DiagramName[] = [{ box: '`app`', is: 'the app\'s container: yours (in your Deployment, StatefulSet, DaemonSet, Job or CronJob) for the helpers; the pattern\'s own for SharedVolumePod and WarSidecarPod, which build the pod' }];
  pages.forEach((p, i) => {
    const h = `h${i + 1}`;
    const o = p.overview;
    out.push(`    ${h}["${o.helper}<br/>${via[o.via]}"]${o.init ? ':::init' : ''}`);
    edges.push(o.direction === 'helper-to-app' ? `  ${h} -->|"${o.does}"| app` : `  app -->|"${o.does}"| ${h}`);
    if (o.outside) {
      outside.push(`  x${i + 1}{{"${o.outside}"}}:::outside`);
      if (o.outsideCalls !== undefined) edges.push(`  x${i + 1} -->|"${o.outsideCalls}"| ${h}`);
      else edges.push(o.outsideLabel !== undefined ? `  ${h} -->|"${o.outsideLabel}"| x${i + 1}` : `  ${h} --> x${i + 1}`);
    }
    names.push({ box: `\`${o.helper}\``, is: `[\`${p.construct}\`](${linkTo(ctx, `docs/${p.page}`)}): ${p.summary}` });
  });
  // the title on a row of its own, above the helpers that point at the app
  const above = pages.map((p, i) => (p.overview.direction === 'helper-to-app' ? `h${i + 1}` : '')).filter(Boolean);
  edges.unshift(...(above.length > 0 ? above : ['app']).map((h) => `  title ~~~ ${h}`));
  const mermaid = [...out, '  end', ...outside, ...edges, ...DIAGRAM_CLASSES.map((c) => `  ${c}`)].join('\n');
  return diagramBlock(ctx, mermaid, names, 'The patterns, each as the helper container it adds to the app\'s pod');
}

function exampleSection(inputs: DocsInputs, stem: string): string {
  const ex = inputs.examples.get(stem);
  if (!ex) throw new Error(`example:${stem}: no docs/examples/${stem}.ts`);
  const source = ex.source.replace(/from '\.\.\/\.\.\/lib'/g, `from '${PACKAGE}'`);
  const typescript = ['```ts', source.trimEnd(), '```'];
  if (ex.python === undefined) return typescript.join('\n');
  const python = ['In Python (the same objects, byte for byte; see the README for Java and Go):', '', '```python', ex.python.trimEnd(), '```'];
  return [...typescript, '', ...python].join('\n');
}

const CONTAINER_DROP = ['securityContext', 'resources', 'imagePullPolicy'];
/** The pod spec fields an excerpt keeps, in the (alphabetical) order the manifests have them. */
const POD_KEEP = ['containers', 'initContainers', 'restartPolicy', 'shareProcessNamespace', 'volumes'];

function pick(obj: Json | undefined, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (obj?.[k] !== undefined) out[k] = obj[k];
  return out;
}

/** The parts of an object a reader of the pattern needs. */
function excerpt(m: Json): Json {
  const metadata = pick(m.metadata, ['annotations', 'name', 'namespace']);
  const pod = podOf(m);
  if (!pod) {
    if (m.kind === 'Service') return { apiVersion: m.apiVersion, kind: m.kind, metadata, spec: pick(m.spec, ['type', 'ports']) };
    return { ...m, metadata };
  }
  const spec = pick(pod.spec, POD_KEEP);
  if (spec.restartPolicy === 'Always') delete spec.restartPolicy;
  for (const list of ['initContainers', 'containers']) {
    if (spec[list]) spec[list] = spec[list].map((c: Json) => Object.fromEntries(Object.entries(c).filter(([k]) => !CONTAINER_DROP.includes(k))));
  }
  return wrapPod(m, metadata, spec, pod.metadata.annotations ? { annotations: pod.metadata.annotations } : undefined);
}

/** The object around a pod spec, in the real shape of its kind (Deployment: spec.template.spec). */
function wrapPod(m: Json, metadata: Json, spec: Json, templateMetadata?: Json): Json {
  const template = { ...(templateMetadata ? { metadata: templateMetadata } : {}), spec };
  switch (m.kind) {
    case 'Pod':
      return { apiVersion: m.apiVersion, kind: m.kind, metadata, spec };
    case 'CronJob':
      return { apiVersion: m.apiVersion, kind: m.kind, metadata, spec: { schedule: m.spec.schedule, jobTemplate: { spec: { template } } } };
    default:
      return { apiVersion: m.apiVersion, kind: m.kind, metadata, spec: { ...pick(m.spec, ['replicas']), template } };
  }
}

/** Each pod's securityContext and its containers', in the object's real shape. */
function securityExcerpt(m: Json): Json | undefined {
  const pod = podOf(m);
  if (!pod) return undefined;
  const spec: Json = {};
  for (const list of ['containers', 'initContainers']) {
    if (pod.spec[list]) spec[list] = pod.spec[list].map((c: Json) => pick(c, ['name', 'securityContext']));
  }
  if (pod.spec.securityContext) spec.securityContext = pod.spec.securityContext;
  return wrapPod(m, pick(m.metadata, ['annotations', 'name']), spec);
}

/** Each container's resources, in the object's real shape. */
function resourcesExcerpt(m: Json): Json | undefined {
  const pod = podOf(m);
  if (!pod) return undefined;
  const spec: Json = {};
  for (const list of ['containers', 'initContainers']) {
    if (pod.spec[list]) spec[list] = pod.spec[list].map((c: Json) => pick(c, ['name', 'resources']));
  }
  return wrapPod(m, pick(m.metadata, ['name']), spec);
}

/** The labels of every object, in the object's real shape. */
function labelsExcerpt(m: Json): Json {
  const pod = podOf(m);
  const metadata = pick(m.metadata, ['labels', 'name']);
  if (!pod) return { apiVersion: m.apiVersion, kind: m.kind, metadata };
  return wrapPod(m, metadata, {}, pick(pod.metadata, ['labels']));
}

const YAML_VARIANTS: Record<string, { excerpt: (m: Json) => Json | undefined; note: (stem: string) => string }> = {
  security: { excerpt: securityExcerpt, note: (stem) => `# securityContexts of what docs/examples/${stem}.ts synthesizes` },
  resources: { excerpt: resourcesExcerpt, note: (stem) => `# resources of what docs/examples/${stem}.ts synthesizes` },
  labels: { excerpt: labelsExcerpt, note: (stem) => `# labels of what docs/examples/${stem}.ts synthesizes` },
};

function yamlSection(inputs: DocsInputs, arg: string): string {
  const [stem, variant] = arg.split(':');
  const ex = inputs.examples.get(stem);
  if (!ex) throw new Error(`yaml:${arg}: no docs/examples/${stem}.ts`);
  if (variant !== undefined && !YAML_VARIANTS[variant]) throw new Error(`yaml:${arg}: unknown variant ${variant} (one of ${Object.keys(YAML_VARIANTS).join(', ')})`);
  const docs = variant !== undefined
    ? ex.objects.map(YAML_VARIANTS[variant].excerpt).filter((d): d is Json => d !== undefined)
    : ex.objects.map(excerpt);
  const note = variant !== undefined
    ? YAML_VARIANTS[variant].note(stem)
    : `# docs/examples/${stem}.ts synthesized; securityContexts, resources: shared-defaults.md`;
  // a 64-digit hash would make its line wider than the page: its first 12 digits stand for it
  const full = Yaml.stringify(...docs).trimEnd();
  const yaml = full.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, '$1…');
  return ['```yaml', yaml === full ? note : `${note}\n# (hashes cut to their first 12 digits)`, yaml, '```'].join('\n');
}

function optionsSection(inputs: DocsInputs, arg: string): string {
  const [iface, list] = arg.split(':');
  if (!list) throw new Error(`options:${arg}: expected options:<Interface>:<prop>,<prop>,...`);
  const rows = list.split(',').map((prop) => {
    const d = inputs.propsDoc(iface, prop);
    const def = d.optional ? (d.default !== undefined ? defaultText(d.default) : '(none documented)') : 'required';
    // name and type in one cell: the table fits GitHub's column with a wide type or default
    return `| \`${d.name}\`<br>${cell(`\`${d.type}\``)} | ${cell(def)} | ${cell(d.description)} |`;
  });
  return [
    `| Prop of \`${iface}\`, type | Default | What it does |`,
    '| --- | --- | --- |',
    ...rows,
    '',
    `<sub>From the TSDoc of \`${iface}\` ([API reference](api/interfaces/${iface}.md)); generated by \`npm run docs\`.</sub>`,
  ].join('\n');
}

function podSecuritySection(inputs: DocsInputs, arg: string): string {
  const rows = arg.split(',').map((name) => {
    const src = inputs.pods.get(name);
    if (!src) throw new Error(`pod-security:${arg}: no pod named ${name}`);
    const declared = src.manifest.metadata?.annotations?.[POD_SECURITY_ANNOTATION] ?? '(none)';
    const violations = checkPodSecurity(PodSecurityLevel.RESTRICTED, podOf(src.manifest)!);
    const why = violations.length === 0
      ? 'passes `restricted`'
      : violations.map((v) => cell(`\`${v.check}\`: ${v.message}`)).join('<br>');
    return `| \`${name}\` | \`${declared}\` | ${why} |`;
  });
  return [
    '| Pod | Declares | Against `restricted` |',
    '| --- | --- | --- |',
    ...rows,
    '',
    `<sub>Declares: the \`${POD_SECURITY_ANNOTATION}\` annotation; each pod's source is under its diagram.</sub>`,
  ].join('\n');
}

/** One field of a pod's spec (e.g. `affinity`), as YAML from the rendered manifest. */
function podFieldSection(inputs: DocsInputs, arg: string): string {
  const [name, field] = arg.split(':');
  const src = inputs.pods.get(name);
  if (!src || !field) throw new Error(`pod-field:${arg}: expected pod-field:<pod>:<pod spec field> naming a pod`);
  const value = podOf(src.manifest)!.spec[field];
  if (value === undefined) throw new Error(`pod-field:${arg}: pod ${name} has no spec.${field}`);
  return ['```yaml', `# ${src.manifest.kind} ${name} (${src.origin}), pod spec`, Yaml.stringify({ [field]: value }).trimEnd(), '```'].join('\n');
}

/** Renders one kind of generated section from its argument. */
export type SectionRenderer = (inputs: DocsInputs, arg: string, ctx: SectionContext) => string;

/**
 * Every kind of generated section, by the name its marker uses. A new kind (a new diagram kind
 * such as a lifecycle diagram) is one entry here; diagram kinds render through `diagramBlock`.
 */
export const SECTION_KINDS: Record<string, SectionRenderer> = {
  'diagram': podDiagramSection,
  'lifecycle': lifecycleSection,
  'legend': legendSection,
  'overview': (inputs, arg, ctx) => overviewSection(inputs, arg, ctx),
  'example': exampleSection,
  'yaml': yamlSection,
  'options': optionsSection,
  'pod-security': podSecuritySection,
  'pod-field': podFieldSection,
};

/** The body of one generated section. */
export function renderSection(inputs: DocsInputs, kind: string, arg: string, ctx: SectionContext = { file: 'docs/page.md' }): string {
  const render = Object.prototype.hasOwnProperty.call(SECTION_KINDS, kind) ? SECTION_KINDS[kind] : undefined;
  if (!render) throw new Error(`unknown generated section kind "${kind}" (one of ${Object.keys(SECTION_KINDS).join(', ')})`);
  return render(inputs, arg, ctx);
}

/**
 * Problems with how a pattern page opens: it must say what the pattern is for and then show the
 * pod diagram of its opening pod, as its first code block, within the first OPENING_LINES lines.
 */
export function openingProblems(text: string, page: PatternPage): string[] {
  const lines = text.split('\n');
  const firstFence = lines.findIndex((l) => l.startsWith('```'));
  const marker = lines.findIndex((l) => l === `<!-- generated:diagram:${page.openingPod} -->`);
  const where = `docs/${page.page}`;
  if (marker < 0) return [`${where}: has no <!-- generated:diagram:${page.openingPod} --> (its opening diagram, pages.ts)`];
  const problems: string[] = [];
  if (firstFence !== marker + 1) problems.push(`${where}: its first code block (line ${firstFence + 1}) is not the diagram of ${page.openingPod}: what the pattern is for, then the diagram, then code and YAML`);
  if (marker + 1 > OPENING_LINES) problems.push(`${where}: its diagram starts on line ${marker + 2}, past line ${OPENING_LINES}: say in a paragraph what the pattern is for, then show it`);
  if (!lines.slice(0, marker).some((l) => l.trim() !== '' && !l.startsWith('#'))) problems.push(`${where}: no paragraph before its diagram saying what the pattern is for`);
  return problems;
}

const SECTION = /<!-- generated:([a-z-]+):(\S+) -->\n([\s\S]*?)<!-- \/generated -->/g;

/** A page with every generated section rendered afresh; also reports the sections it holds. */
export function regeneratePage(text: string, inputs: DocsInputs, file = 'docs/page.md'): { text: string; sections: Array<{ kind: string; arg: string }> } {
  const opens = (text.match(/<!-- generated:/g) ?? []).length;
  const closes = (text.match(/<!-- \/generated -->/g) ?? []).length;
  const sections: Array<{ kind: string; arg: string }> = [];
  const out = text.replace(SECTION, (_all, kind: string, arg: string) => {
    sections.push({ kind, arg });
    let body: string;
    try {
      body = renderSection(inputs, kind, arg, { file });
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    return `<!-- generated:${kind}:${arg} -->\n${body}\n<!-- /generated -->`;
  });
  if (opens !== closes || sections.length !== opens) {
    throw new Error(`${file}: ${opens} "<!-- generated:...-->" markers, ${closes} "<!-- /generated -->" markers and ${sections.length} well-formed sections: each section is "<!-- generated:<kind>:<argument> -->", a newline, the body, "<!-- /generated -->"`);
  }
  return { text: out, sections };
}

/** Regenerates (or checks) README.md and every page of docs/ (not docs/api/). Returns the process exit code. */
export function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  let inputs: DocsInputs;
  try {
    inputs = loadInputs(EXAMPLES, (f) => require(f.replace(path.join(ROOT, 'docs'), path.join(ROOT, 'build', 'docs'))));
  } catch (e) {
    process.stderr.write(`docs: ${(e as Error).message}\n`);
    return 1;
  }
  const stale: string[] = [];
  const problems: string[] = [];
  const diagrams = new Set<string>();
  const shownExamples = new Set<string>();
  const pages = ['README.md', ...fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  for (const file of pages) {
    const abs = path.join(ROOT, file);
    const before = fs.readFileSync(abs, 'utf8');
    let result;
    try {
      result = regeneratePage(before, inputs, file);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    for (const s of result.sections) {
      if (s.kind === 'diagram') diagrams.add(s.arg);
      if (s.kind === 'example') shownExamples.add(s.arg);
    }
    const patternPage = PATTERN_PAGES.find((p) => `docs/${p.page}` === file);
    if (patternPage) problems.push(...openingProblems(result.text, patternPage));
    if (result.text === before) continue;
    if (check) stale.push(file);
    else {
      fs.writeFileSync(abs, result.text);
      process.stdout.write(`${file}\n`);
    }
  }
  for (const p of PATTERN_PAGES) {
    if (!pages.includes(`docs/${p.page}`)) problems.push(`scripts/docs/pages.ts lists docs/${p.page}, which does not exist`);
  }
  for (const [name, src] of inputs.pods) {
    if (src.fromExampleApp && !diagrams.has(name)) problems.push(`pod ${name} (${src.origin}) has no diagram: add <!-- generated:diagram:${name} --> <!-- /generated --> to its pattern's page`);
  }
  for (const stem of inputs.examples.keys()) {
    if (!shownExamples.has(stem)) problems.push(`docs/examples/${stem}.ts is shown on no page: add <!-- generated:example:${stem} --> <!-- /generated -->`);
  }
  for (const p of problems) process.stderr.write(`docs: ${p}\n`);
  if (stale.length > 0) {
    process.stderr.write(`docs: generated sections are stale in ${stale.join(', ')}: run \`npm run docs\` and commit the result\n`);
  }
  return problems.length > 0 || stale.length > 0 ? 1 : 0;
}
