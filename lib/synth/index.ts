/**
 * The synth path: render the app once, check everything, then replace the output directory in
 * one step. A failure at any stage leaves the previous output byte-for-byte as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { checkRendered } from './check';
import { renderApp, RenderedChart, SynthError } from './collect';
import { kustomizationResources, writeKustomization } from './kustomize';
import { replaceDirectory } from './write';
import { stringifyDocuments } from './yaml';

export { SynthError } from './collect';

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
  /** Each file written (name relative to `outdir`) and its YAML, in the order written. */
  readonly files: { [file: string]: string };
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
    // the bytes of cdk8s's Yaml.stringify, written faster (lib/synth/yaml.ts)
    if (c.objects.length > 0) files.set(file, stringifyDocuments(c.objects.map((o) => o.manifest)));
  }
  return { charts, files };
}

/** Renders, checks and writes an app: `outdir` is replaced only when everything passed. */
export function synth(app: App, options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? 'dist';
  const { files } = synthToMemory(app);
  let resources: string[] | undefined;
  try {
    resources = options.kustomization !== undefined ? kustomizationResources(options.kustomization, outdir, files.keys()) : undefined;
  } catch (e) {
    throw new SynthError([(e as Error).message]);
  }
  replaceDirectory(outdir, files);
  if (resources) writeKustomization(options.kustomization!, resources);
  if (options.mirrorDir && path.resolve(options.mirrorDir) !== path.resolve(outdir)) {
    fs.rmSync(options.mirrorDir, { recursive: true, force: true });
    fs.cpSync(outdir, options.mirrorDir, { recursive: true });
  }
  return { outdir, files: Object.fromEntries(files) };
}

/**
 * The command-line entry point: builds the app, synthesizes it to `dist/` (also into the cdk8s
 * CLI's CDK8S_OUTDIR when set), prints one line per file, and on failure prints the errors
 * without a stack trace and exits 1, leaving `dist/` untouched.
 */
export function runSynth(build: () => App, options: SynthOptions = {}): void {
  let app: App;
  try {
    app = build();
  } catch (e) {
    reportFailure(e, options);
    return;
  }
  if (!runSynthOf(app, options)) process.exitCode = 1;
}

/**
 * {@link runSynth} for an app already built (the form every jsii language has: `Patterns.runSynth`):
 * prints one line per file written, or the errors; returns whether the synth succeeded (and, on
 * failure, sets the exit code of the Node.js process to 1).
 */
export function runSynthOf(app: App, options: SynthOptions = {}): boolean {
  try {
    const mirror = process.env.CDK8S_OUTDIR;
    const result = synth(app, { mirrorDir: mirror, ...options });
    for (const f of Object.keys(result.files)) process.stdout.write(`${path.join(result.outdir, f)}\n`);
    if (options.kustomization !== undefined) process.stdout.write(`${options.kustomization}\n`);
    return true;
  } catch (e) {
    reportFailure(e, options);
    process.exitCode = 1;
    return false;
  }
}

function reportFailure(e: unknown, options: SynthOptions): void {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`synth failed; ${options.outdir ?? 'dist'}/ was left unchanged.\n${message}\n`);
  process.exitCode = 1;
}
