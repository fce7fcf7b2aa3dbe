/**
 * What the API server tests send: the objects of each input, read or synthesized here.
 *
 * INPUTS is the list the tests go through; more can be given without editing it, as a
 * comma-separated list in APISERVER_INPUTS (each a YAML file, a directory of YAML files, or a
 * cdk8s app's main.ts that imports `cdk8s-pod-patterns`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { kubernetesVersionOf } from '../../lib/_pod/version';
import { synthToMemory } from '../../lib/synth';
import { fuzzObjects } from './fuzz-objects';

export const ROOT = path.join(__dirname, '..', '..');

/** One object to send, with where it came from and, when known, its chart's target Kubernetes version. */
export interface InputObject {
  readonly source: string;
  readonly manifest: any;
  readonly version?: string;
}

export type Input =
  /** YAML files: one file, or every *.yaml / *.yml / *.json file of a directory (not recursive). */
  | { readonly name: string; readonly yaml: string }
  /**
   * A cdk8s app as a user writes it (test/consumer/main.ts): loaded from its source, with a
   * temporary copy of its folder as the working directory, with `cdk8s-pod-patterns` resolved to this repository's
   * lib/ (jest.apiserver.config.js). When the module exports `buildApp()`, that app is
   * synthesized in memory through the library's synth path; otherwise the YAML files that loading
   * it wrote under dist/ are read back.
   */
  | { readonly name: string; readonly app: string }
  /** docs/examples: each file exports one Chart class, synthesized alone in an App. */
  | { readonly name: string; readonly examples: string }
  /** Objects from the property-based generators (test/apiserver/fuzz-objects.ts). */
  | { readonly name: string; readonly fuzz: number; readonly seed: number };

/** The fuzz seed: FUZZ_SEED when set (arbitraries.ts reads it too, for the target version), else fixed. */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20261201;

export const INPUTS: readonly Input[] = [
  { name: 'dist/', yaml: 'dist' },
  { name: 'test/consumer (the consumer app)', app: 'test/consumer/main.ts' },
  // LEAD: the second consumer app (test/consumer-init on main) exports buildApp(), which this
  // input type synthesizes; it imports ./imports/k8s, which its test generates (import-offline.js),
  // so either generate test/consumer-init/imports before this runs and add
  //   { name: 'test/consumer-init (the second consumer app)', app: 'test/consumer-init/main.ts' },
  // or keep scripts/consumer-test.sh's dist/ of it and pass that directory in APISERVER_INPUTS.
  { name: 'docs/examples/', examples: 'docs/examples' },
  { name: 'property-based generators', fuzz: Number(process.env.APISERVER_FUZZ_OBJECTS ?? 300), seed: FUZZ_SEED },
  ...(process.env.APISERVER_INPUTS ?? '').split(',').filter((p) => p.trim() !== '').map((p): Input =>
    p.endsWith('.ts') ? { name: p, app: p } : { name: p, yaml: p }),
];

/** The documents of a YAML text (read as YAML 1.1, as kubectl and cdk8s do), empty ones left out. */
export function parseYamlDocuments(text: string, source: string): InputObject[] {
  return parseAllDocuments(text, { version: '1.1' }).map((d, i) => {
    if (d.errors.length > 0) throw new Error(`${source}: document ${i + 1}: ${d.errors[0].message}`);
    return { source: `${source}#${i + 1}`, manifest: d.toJS() };
  }).filter((o) => o.manifest !== null && o.manifest !== undefined);
}

function readYaml(p: string, label: string): InputObject[] {
  const abs = path.resolve(ROOT, p);
  const files = fs.statSync(abs).isDirectory()
    ? fs.readdirSync(abs).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => path.join(abs, f))
    : [abs];
  return files.flatMap((f) => parseYamlDocuments(fs.readFileSync(f, 'utf8'), path.join(label, path.basename(f))));
}

function runApp(main: string): InputObject[] {
  const abs = path.resolve(ROOT, main);
  if (!fs.existsSync(abs)) throw new Error(`${main}: no such app`);
  // the working directory: a copy of the app's folder (files it reads by relative path, such as an
  // Include's manifest, are there; what it writes lands in the copy)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-app-'));
  fs.cpSync(path.dirname(abs), dir, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|dist-checked)$/.test(src) });
  const cwd = process.cwd();
  const exitCode = process.exitCode;
  const mirror = process.env.CDK8S_OUTDIR;
  delete process.env.CDK8S_OUTDIR;
  try {
    process.chdir(dir);
    let mod: any;
    jest.isolateModules(() => { mod = require(abs); });
    if (process.exitCode !== exitCode && process.exitCode !== undefined && process.exitCode !== 0) {
      throw new Error(`${main}: synth failed (see its output above)`);
    }
    if (typeof mod?.buildApp === 'function') {
      return synthToMemory(mod.buildApp()).charts.flatMap((c) => c.objects.map((o) => ({
        source: `${main} (buildApp, chart ${c.chart.node.path})`, manifest: o.manifest, version: kubernetesVersionOf(c.chart),
      })));
    }
    return readYaml(path.join(dir, 'dist'), `${path.dirname(main)} -> dist`);
  } finally {
    process.exitCode = exitCode;
    if (mirror !== undefined) process.env.CDK8S_OUTDIR = mirror;
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function synthExamples(dir: string): InputObject[] {
  const abs = path.resolve(ROOT, dir);
  return fs.readdirSync(abs).filter((f) => f.endsWith('.ts')).sort().flatMap((file) => {
    const mod = require(path.join(abs, file));
    const charts = Object.values(mod).filter((v: any) => typeof v === 'function' && Object.prototype.isPrototypeOf.call(Chart.prototype, v.prototype)) as Array<new (s: App, id: string) => Chart>;
    if (charts.length !== 1) throw new Error(`${dir}/${file} must export exactly one Chart class (found ${charts.length})`);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-example-')) });
    new charts[0](app, file.replace(/\.ts$/, ''));
    return synthToMemory(app).charts.flatMap((c) => c.objects.map((o) => ({ source: `${dir}/${file}`, manifest: o.manifest, version: kubernetesVersionOf(c.chart) })));
  });
}

/** The objects of an input, and a note on how they were made. */
export function objectsOf(input: Input): { objects: InputObject[]; note: string } {
  if ('yaml' in input) return { objects: readYaml(input.yaml, input.yaml), note: `read from ${input.yaml}` };
  if ('app' in input) return { objects: runApp(input.app), note: `synthesized by ${input.app}` };
  if ('examples' in input) return { objects: synthExamples(input.examples), note: `synthesized from ${input.examples}` };
  const { objects, apps, refused } = fuzzObjects(input.fuzz, input.seed);
  return { objects, note: `${apps} generated apps (seed ${input.seed}; ${refused} generated apps the library refused were dropped)` };
}
