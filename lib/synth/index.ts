/**
 * The synth path: render the app once, check everything, then replace the output directory in
 * one step. A failure at any stage leaves the previous output byte-for-byte as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { AppChecker, checkRendered } from './check';
import { AppRendering, LazyChart, renderApp, RenderedChart, SynthError } from './collect';
import { kustomizationResources, kustomizationYaml } from './kustomize';
import { OutputError, OutputSession, OutputState, openOutputs, pendingSwitch, recoverOutputs } from './write';
import { stringifyDocument, YamlValueError } from './yaml';

export { SynthError } from './collect';
export { OutputError, OutputState } from './write';

/** Options of {@link synth}. */
export interface SynthOptions {
  /**
   * The output directory, replaced as a whole.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Also copy the output here (the cdk8s CLI passes its own directory as CDK8S_OUTDIR).
   * @default - no copy
   */
  readonly mirrorDir?: string;
  /**
   * Also write a `kustomization.yaml` listing the output files at this path, in a directory that
   * contains `outdir` (e.g. 'kustomization.yaml' beside 'dist'), for `kubectl kustomize` and
   * GitOps tools that build with Kustomize; the output directory itself keeps only Kubernetes objects.
   * @default - none
   */
  readonly kustomization?: string;
}

/** The result of a synth: the files written, by name. */
export interface SynthResult {
  /** The output directory written. */
  readonly outdir: string;
  /**
   * Each file written (name relative to `outdir`) and its YAML, in the order written. The YAML is
   * read from the file when asked for: the synth streams each chart to its file and keeps none of it.
   */
  readonly files: { [file: string]: string };
  /** What the write did beyond writing the files: a crashed synth completed or undone, files removed, a symlink followed. */
  readonly notes: string[];
}

/** One object's YAML; a value no reader could get back is a synth error naming the object and the field. */
function documentOf(constructPath: string, manifest: unknown): string {
  try {
    return stringifyDocument(manifest);
  } catch (e) {
    if (e instanceof YamlValueError) throw new SynthError([`[${constructPath}] ${e.path.replace(/^\./, '')}: ${e.problem}`]);
    throw e;
  }
}

/** Renders and checks an app into file contents (name -> YAML) without writing anything. */
export function synthToMemory(app: App): { charts: RenderedChart[]; files: Map<string, string> } {
  const charts = renderApp(app);
  const errors = checkRendered(charts);
  if (errors.length > 0) throw new SynthError(errors);
  const files = new Map<string, string>();
  for (const c of charts) {
    const file = `${c.name}${app.outputFileExtension}`;
    if (files.has(file)) throw new SynthError([`[${c.chart.node.path}] two charts would both write ${file}; give one of them another id`]);
    // cdk8s's Yaml.stringify bytes where those read back as written; quoted or escaped where they do not (lib/synth/yaml.ts)
    if (c.objects.length > 0) files.set(file, c.objects.map((o) => documentOf(o.apiObject.node.path, o.manifest)).join('---\n'));
  }
  return { charts, files };
}

/** What the outputs hold after a failed synth, and what recovery did first: set on the error {@link synth} throws. */
const FAILURE = new WeakMap<object, { state: OutputState; notes: string[] }>();

/** A map of file names to their YAML that reads each file when a value is asked for (a synth keeps no YAML in memory). */
function filesReadFrom(dir: string, names: readonly string[]): { [file: string]: string } {
  const files: { [file: string]: string } = {};
  for (const name of names) {
    let text: string | undefined;
    Object.defineProperty(files, name, {
      enumerable: true,
      get: () => (text ??= fs.readFileSync(path.join(dir, name), 'utf-8')),
    });
  }
  return files;
}

/**
 * How many renderings the validations may run ahead of the output (and so about how many
 * manifests a synth holds): enough that the validations of a workload, which render it, have run
 * when it is written (they are next to it in the construct tree: its own and its helpers'), few
 * enough that a rendering is written before V8's young generation is collected twice, so that it
 * dies young (at 10,000 pods, 256 ahead promoted 83 MB to the old generation, 32 ahead 52 MB).
 * An app with no more objects rendered by its validations is validated whole before any output is
 * opened. Twice as many can be held, so that the validations of one construct, which may read
 * several objects, find each rendering held.
 */
const VALIDATIONS_AHEAD = 32;

/** The validations' lead in this process: {@link VALIDATIONS_AHEAD}, or what a test set. */
let validationsAhead = VALIDATIONS_AHEAD;

/**
 * For tests (not exported by the library): the validations run `n` renderings ahead (and the
 * synth holds 2n) instead of {@link VALIDATIONS_AHEAD}, so that an app of a dozen objects goes past
 * them as one of a hundred does; `undefined` restores the default. Returns the lead it replaced.
 */
export function setValidationsAhead(n: number | undefined): number {
  const before = validationsAhead;
  validationsAhead = n ?? VALIDATIONS_AHEAD;
  return before;
}

/**
 * Renders, checks and writes an app: every output is switched to the new one only when everything passed.
 *
 * Object by object: the construct validations run a little ahead of the output (up to
 * 32 objects rendered and not yet written); each object's one rendering is
 * checked and, while no check has failed, written (streamed, a document at a time) into the
 * staging directory of the output (lib/synth/write.ts), and let go; so memory holds the app's
 * constructs and a bounded number of manifests, never its YAML, and no chart is too big for a
 * string. The first failure stops the writing (the checks go on, to report every problem); the
 * staged files are removed and the outputs are as they were. Problems are reported as before
 * streaming: the construct validations' alone when any failed, else the checks', then a duplicate
 * file name or a kustomization problem, then a YAML value no reader could get back, then what kept
 * the output from being written.
 */
export function synth(app: App, options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? 'dist';
  // a crashed synth's journal is finished (or undone) before anything else
  let notes: string[] = [];
  let session: OutputSession | undefined;
  let rendering: AppRendering | undefined;
  try {
    notes = recoverOutputs(outdir);
    const r = (rendering = new AppRendering(app, 2 * validationsAhead));
    let charts: LazyChart[];
    try {
      charts = r.charts();
    } catch (e) {
      // what cdk8s reports after the validations (a dependency cycle): their problems first
      r.validate();
      if (r.errors.length > 0) throw new SynthError(r.errors);
      throw e;
    }
    const fileOf = (c: LazyChart) => `${c.name}${app.outputFileExtension}`;
    // what would fail the write is found before anything is written, reported after the checks
    const names: string[] = [];
    let late: unknown; // a duplicate file name or a kustomization problem
    let yamlError: unknown;
    let outputError: unknown;
    const taken = new Set<string>();
    for (const c of charts) {
      if (c.objects.length === 0) continue;
      const file = fileOf(c);
      if (taken.has(file)) {
        late ??= new SynthError([`[${c.chart.node.path}] two charts would both write ${file}; give one of them another id`]);
      }
      taken.add(file);
      names.push(file);
    }
    let kustomization: string | undefined;
    if (options.kustomization !== undefined && late === undefined) {
      try {
        kustomization = kustomizationYaml(kustomizationResources(options.kustomization, outdir, names));
      } catch (e) {
        late = new SynthError([(e as Error).message]);
      }
    }
    // an app of up to VALIDATIONS_AHEAD objects rendered by validations is validated whole before any output is opened
    r.validate(validationsAhead);
    if (r.failed) {
      r.validate();
      throw new SynthError(r.errors);
    }
    if (late === undefined) {
      try {
        session = openOutputs({ outdir, kustomizationPath: options.kustomization, mirrorDir: options.mirrorDir, files: names.length });
      } catch (e) {
        outputError = e;
      }
    }

    const checker = new AppChecker();
    const errors: string[] = [];
    const writing = () => !r.failed && errors.length === 0 && late === undefined && yamlError === undefined;
    for (const c of charts) {
      const version = AppChecker.versionOf(c.chart);
      // object by object: validated (a little ahead), rendered once, checked, and, while nothing
      // has failed, written; then let go
      let next = 0; // the objects before it are done
      const documents = function* (): Generator<string> {
        let first = true;
        while (next < c.objects.length) {
          const o = c.objects[next++];
          r.validate(validationsAhead, o.position);
          r.validateReadersOf(o.apiObject);
          if (r.failed) {
            o.release(); // a construct validation failed: only the validations' problems are reported
            continue;
          }
          const manifest = o.render();
          for (const e of checker.checkObject(c.chart, version, o.apiObject, manifest)) errors.push(e);
          if (!writing()) continue;
          let doc: string;
          try {
            doc = documentOf(o.apiObject.node.path, manifest);
          } catch (e) {
            yamlError = e;
            continue;
          }
          yield first ? doc : `---\n${doc}`;
          first = false;
        }
      };
      if (session !== undefined && writing() && c.objects.length > 0) {
        try {
          session.writeFile(fileOf(c), documents());
        } catch (e) {
          outputError = e;
          session = undefined; // a failed write closes the session (nothing staged is left)
          for (const doc of documents()) void doc; // the rest of the chart is still checked
        }
      } else {
        for (const doc of documents()) void doc; // nothing is written: the checks (and the YAML) still run
      }
    }
    r.validate(); // the constructs after the last object
    if (r.errors.length > 0 || errors.length > 0) {
      session?.abort();
      session = undefined;
      throw new SynthError(r.errors.length > 0 ? r.errors : errors);
    }
    for (const e of [late, yamlError, outputError]) if (e !== undefined) throw e;
    const s = session!;
    session = undefined;
    const report = s.commit(kustomization);
    return { outdir, files: filesReadFrom(outdir, names), notes: [...notes, ...report.notes] };
  } catch (e) {
    session?.abort();
    if (e !== null && typeof e === 'object') FAILURE.set(e, { state: e instanceof OutputError ? e.state : 'unchanged', notes });
    throw e;
  } finally {
    rendering?.close();
  }
}

/**
 * The command-line entry point: builds the app, synthesizes it to `dist/` (also into the cdk8s
 * CLI's CDK8S_OUTDIR when set), prints one line per file and one per note (a recovery, a removed
 * file, a followed symlink), and on failure prints the errors without a stack trace, what the
 * outputs hold now, and exits 1.
 */
export function runSynth(build: () => App, options: SynthOptions = {}): void {
  runSynthWith(build, options);
}

/**
 * {@link runSynth} for an app already built (the form every jsii language has: `Patterns.runSynth`):
 * prints the same lines; returns whether the synth succeeded (on failure it also sets the exit
 * code of the Node.js process to 1).
 */
export function runSynthOf(app: App, options: SynthOptions = {}): boolean {
  return runSynthWith(() => app, options);
}

function runSynthWith(build: () => App, options: SynthOptions): boolean {
  const outdir = options.outdir ?? 'dist';
  const label = `${outdir.replace(/\/+$/, '')}/`;
  const mirror = process.env.CDK8S_OUTDIR;
  // `cdk8s synth` deletes its output directory before it runs the app: with `output: dist` in
  // cdk8s.yaml, dist/ is gone before this line, and a failure below cannot keep it
  const cliDeleted = mirror !== undefined && path.resolve(mirror) === path.resolve(outdir) && !fs.existsSync(outdir);
  const cliNote = `the cdk8s CLI deleted ${label} before it ran this app, because cdk8s.yaml's \`output:\` is ${JSON.stringify(mirror)} (CDK8S_OUTDIR); give the CLI a directory of its own (\`output: .cdk8s.out\`, see README "Atomic synth and the cdk8s CLI") so that a failed synth keeps ${label}`;
  try {
    const app = build();
    const result = synth(app, { mirrorDir: mirror, ...options });
    for (const f of Object.keys(result.files)) process.stdout.write(`${path.join(result.outdir, f)}\n`);
    if (options.kustomization !== undefined) process.stdout.write(`${options.kustomization}\n`);
    for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
    if (cliDeleted) process.stdout.write(`note: ${cliNote}; this time the synth passed and wrote it anew\n`);
    return true;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const failure = (e !== null && typeof e === 'object' ? FAILURE.get(e) : undefined) ?? { state: 'unchanged' as OutputState, notes: [] };
    let what: string;
    if (cliDeleted && !fs.existsSync(outdir)) what = `synth failed; ${label} does not exist: ${cliNote}. Restore it with \`git checkout -- ${label}\`.`;
    else if (pendingSwitch(outdir)) what = `synth failed; ${label} holds a switch that an interrupted synth committed and did not finish (journal ${pendingSwitch(outdir)}): each file in it is whole, old or new; the next synth that can write ${label} completes the switch first.`;
    else if (failure.notes.some((n) => n.startsWith('completed a synth'))) what = `synth failed; ${label} holds the output of the interrupted synth that was completed first (note above); this synth changed nothing else.`;
    else if (failure.state === 'incomplete') what = `synth failed while switching ${label} to the new output, after committing it; the next synth completes the switch.`;
    else what = `synth failed; ${label} was left unchanged.`;
    const notes = failure.notes.map((n) => `note: ${n}\n`).join('');
    process.stderr.write(`${notes}${what}\n${message}\n`);
    process.exitCode = 1;
    return false;
  }
}
