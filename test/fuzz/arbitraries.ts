/**
 * Shared arbitraries and checks of the property-based tests (fast-check) in test/fuzz/.
 *
 * Every construct's fuzz file generates random VALID props from the documented prop types, builds
 * them in a fresh app and synthesizes through our synth path in memory (`synthToMemory`), then
 * checks what every valid build must give (`expectValidSynth`); and it corrupts exactly one field
 * of valid props with a known-bad value from the catalogue below (`BAD`) and checks that the error
 * names the construct path, the prop, the value received and what was expected, with no YAML
 * produced (`expectRejected`).
 *
 * Specs are plain data (no constructs): a `build(spec)` function turns one into an app, so a
 * counterexample prints readably and a spec can be built twice (determinism).
 *
 * Seeds are random, one per test file and run (FILE_SEED; it also picks the run's target version).
 * When a property fails, fast-check prints `{ seed: S, path: "P", ... }` and the shrunk
 * counterexample; replay exactly that case with
 *   FUZZ_SEED=S FUZZ_PATH="P" npx jest test/fuzz/<file> -t '<test name>'
 * or rerun the whole file's run with FUZZ_SEED=S alone. FUZZ_RUNS=n sets the number of cases of
 * every property (e.g. FUZZ_RUNS=2000 for a long local run).
 */
import { App, Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { LogOutput, LogParser } from '../../lib/log-sidecar';
import { hardenContainer } from '../../lib/harden';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { PropsError, RULES } from '../../lib/_pod/rules';
import { BASELINE_CAPABILITIES, Hardening, POD_SECURITY_ANNOTATION, PodSecurityLevel, ResourceOptions, weakestLevel } from '../../lib/_pod/security';
import { kubernetesVersionOf, NATIVE_SIDECAR_MINOR, parseMinor, schemaVersionFor, setKubernetesVersion } from '../../lib/_pod/version';
import { SynthError, synthToMemory } from '../../lib/synth';
import { KubernetesVersion, validateManifest } from '../../lib/synth/schema';
import { RestartPolicy } from '../../lib';

// The `yaml` package cdk8s writes with (the synth output is read back with it).
const YAML = require(require.resolve('yaml', { paths: [require('path').dirname(require.resolve('cdk8s'))] }));

// ---------------------------------------------------------------------------------------------
// Running properties

/**
 * The seed of this test file's properties: FUZZ_SEED, or a random one. fast-check prints it when
 * a property fails, and it also picks the file's target version (FILE_VERSION), so
 * FUZZ_SEED=<printed seed> replays the failing case exactly.
 */
export const FILE_SEED: number = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Math.random() * 2 ** 32) | 0;

/**
 * fast-check parameters: `numRuns` cases from the file's seed, or the path and run count given
 * in FUZZ_PATH and FUZZ_RUNS (to replay a printed failure, or for a long local run). `npm test`
 * runs few cases of each property (3 valid builds, each synthesized three times and read back;
 * 8 corrupted props; 30 junk props and rule sets): its cold run has a time budget (< 8 s on a
 * 2-core machine, docs/benchmark.md), and the property files were ~a fifth of its workers' CPU
 * at 5, 15 and 60. Each run draws a new seed, so the cases differ from run to run. CI's deep
 * run (`npm run test:deep`, .ci/run) runs every property of test/fuzz with 150 cases each (`FUZZ_RUNS=150`).
 */
export function fuzzParams<T>(numRuns: number): fc.Parameters<T> {
  const env = process.env;
  return {
    numRuns: env.FUZZ_RUNS !== undefined ? Number(env.FUZZ_RUNS) : numRuns,
    seed: FILE_SEED,
    ...(env.FUZZ_PATH !== undefined ? { path: env.FUZZ_PATH } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Strings of the documented prop types

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

/** One character of `set`. */
export function charOf(set: string): fc.Arbitrary<string> {
  return fc.constantFrom(...set.split(''));
}

/** A string of characters of `set`. */
export function stringOf(set: string, minLength: number, maxLength: number, size?: fc.SizeForArbitrary): fc.Arbitrary<string> {
  return fc.string({ unit: charOf(set), minLength, maxLength, size });
}

/** Mostly short values, sometimes up to the maximum length. */
function shortOrLong(make: (size: fc.SizeForArbitrary) => fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: make('small') }, { weight: 1, arbitrary: make('max') });
}

/** A DNS-1123 label of at most `maxLength` (>= 2) characters. */
export function dnsLabel(maxLength = 63): fc.Arbitrary<string> {
  const long = shortOrLong((size) => fc.tuple(charOf(LOWER + DIGITS), stringOf(`${LOWER}${DIGITS}-`, 0, maxLength - 2, size), charOf(LOWER + DIGITS))
    .map(([a, m, z]) => `${a}${m}${z}`));
  return fc.oneof({ weight: 1, arbitrary: charOf(LOWER + DIGITS) }, { weight: 6, arbitrary: long });
}

/** A DNS-1123 subdomain (dot-separated labels), up to 253 characters. */
export function dnsSubdomain(): fc.Arbitrary<string> {
  return fc.array(dnsLabel(), { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')).filter((s) => s.length <= 253);
}

/** An IANA service name: 1-15 lowercase letters, digits or "-", a letter, no "--", no "-" at the ends. */
export function portName(): fc.Arbitrary<string> {
  return fc.array(stringOf(LOWER + DIGITS, 1, 5), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.join('-'))
    .map((s) => (/[a-z]/.test(s) ? s : `p${s}`))
    .filter((s) => s.length <= 15);
}

/** A port number, 1-65535. */
export const port = (): fc.Arbitrary<number> => fc.integer({ min: 1, max: 65535 });
/** A port a non-root process can bind, 1024-65535. */
export const unprivilegedPort = (): fc.Arbitrary<number> => fc.integer({ min: 1024, max: 65535 });

/** One path segment: not "." or "..", no ":" or "/". */
export function pathSegment(): fc.Arbitrary<string> {
  return fc.tuple(charOf(`${LOWER}${DIGITS}_`), stringOf(`${LOWER}${UPPER}${DIGITS}._-`, 0, 12)).map(([a, b]) => `${a}${b}`);
}

/** An absolute path without ".." segments or ":". */
export function absolutePath(): fc.Arbitrary<string> {
  return fc.array(pathSegment(), { minLength: 1, maxLength: 4 }).map((segs) => `/${segs.join('/')}`);
}

/** An image reference component: lowercase letters and digits, single ".", "_" or "-" separators. */
function imageComponent(): fc.Arbitrary<string> {
  return fc.tuple(stringOf(LOWER + DIGITS, 1, 8), fc.array(fc.tuple(charOf('._-'), stringOf(LOWER + DIGITS, 1, 6)), { maxLength: 2 }))
    .map(([head, rest]) => head + rest.map(([s, c]) => s + c).join(''));
}

/** A tag: up to 128 word characters, "." or "-", not starting with "." or "-", not "latest". */
export function imageTag(): fc.Arbitrary<string> {
  return fc.tuple(charOf(`${LOWER}${UPPER}${DIGITS}_`), stringOf(`${LOWER}${UPPER}${DIGITS}_.-`, 0, 127))
    .map(([a, b]) => `${a}${b}`)
    .filter((t) => t !== 'latest');
}

/** A sha256 digest. */
export const digest = (): fc.Arbitrary<string> => stringOf(HEX, 64, 64).map((h) => `sha256:${h}`);

/** A pinned image reference: [registry[:port]/]path, with a tag other than "latest", a digest, or both. */
export function pinnedImage(): fc.Arbitrary<string> {
  const registry = fc.option(fc.tuple(imageComponent(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
    .map(([host, p]) => (p === undefined ? `${host}.example.com` : `${host}:${p}`)), { nil: undefined });
  const path = fc.array(imageComponent(), { minLength: 1, maxLength: 3 }).map((c) => c.join('/'));
  const pin = fc.oneof(
    { weight: 4, arbitrary: imageTag().map((t) => `:${t}`) },
    { weight: 1, arbitrary: digest().map((d) => `@${d}`) },
    { weight: 1, arbitrary: fc.tuple(imageTag(), digest()).map(([t, d]) => `:${t}@${d}`) },
  );
  return fc.tuple(registry, path, pin).map(([r, p, x]) => `${r ? `${r}/` : ''}${p}${x}`);
}

/** An environment variable name: mostly C identifiers, sometimes anything the 1.27 rule allows ("-", "."). */
export function envName(): fc.Arbitrary<string> {
  const cIdent = fc.tuple(charOf(`${UPPER}${LOWER}_`), stringOf(`${UPPER}${DIGITS}_`, 0, 20)).map(([a, b]) => `${a}${b}`);
  const relaxed = fc.tuple(charOf(`${UPPER}${LOWER}_.-`), stringOf(`${UPPER}${LOWER}${DIGITS}_.-`, 0, 20)).map(([a, b]) => `${a}${b}`);
  return fc.oneof({ weight: 4, arbitrary: cIdent }, { weight: 1, arbitrary: relaxed });
}

/**
 * An environment variable value: any text, including strings YAML would read as something else
 * ("yes", "0x10", "null", ": ", leading spaces, multi-line).
 */
export function envValue(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('yes', 'no', 'on', 'off', 'true', 'null', '~', '0x10', '010', '1e3', '1_000', '12:30', '- a', 'a: b', '#x', ' lead', 'trail ', 'two\nlines', '', "'", '"', '2001-12-14') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  );
}

/** Environment variables. */
export function envMap(): fc.Arbitrary<Record<string, string>> {
  return fc.dictionary(envName(), envValue(), { maxKeys: 4, noNullPrototype: true });
}

/** A label key: an optional DNS subdomain prefix and "/", then a name of 1-63 characters. */
export function labelKey(): fc.Arbitrary<string> {
  return fc.tuple(fc.option(dnsSubdomain(), { nil: undefined }), labelValue().filter((v) => v !== '')).map(([p, n]) => (p ? `${p}/${n}` : n));
}

/** A label value: empty or 1-63 letters, digits, "-", "_" or ".", alphanumeric at both ends. */
export function labelValue(): fc.Arbitrary<string> {
  const AN = LOWER + UPPER + DIGITS;
  const long = shortOrLong((size) => fc.tuple(charOf(AN), stringOf(`${AN}-_.`, 0, 61, size), charOf(AN)).map(([a, m, z]) => `${a}${m}${z}`));
  return fc.oneof(fc.constant(''), charOf(AN), long);
}

/** A command or argument list. */
export function argv(minLength = 0): fc.Arbitrary<string[]> {
  return fc.array(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), { minLength, maxLength: 4 });
}

// ---------------------------------------------------------------------------------------------
// Quantities and resources

/** A CPU amount in millicores, as a cdk8s-plus Cpu made either way (millis or units). */
export function cpuQuantity(millicores: number): fc.Arbitrary<kplus.Cpu> {
  return fc.constantFrom(kplus.Cpu.millis(millicores), kplus.Cpu.units(millicores / 1000));
}

/** A memory amount in MiB, as a cdk8s Size made with one of its units. */
export function memoryQuantity(mebibytes: number): fc.Arbitrary<Size> {
  const forms: Array<fc.Arbitrary<Size>> = [
    fc.constant(Size.mebibytes(mebibytes)),
    fc.constant(Size.kibibytes(mebibytes * 1024)),
  ];
  if (mebibytes % 1024 === 0) forms.push(fc.constant(Size.gibibytes(mebibytes / 1024)));
  return fc.oneof(...forms);
}

/**
 * Resource requests and limits, each optional; a request never exceeds its limit (they may be
 * equal). A request or limit given alone replaces that resource's default pair, so it never
 * meets a default it contradicts.
 */
export function resources(): fc.Arbitrary<ResourceOptions> {
  const amounts = fc.record({
    cpu: fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 0, max: 2000 }), fc.boolean()),
    memory: fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 0, max: 2048 }), fc.boolean()),
  });
  return amounts.chain(({ cpu, memory }) => {
    const [cpuReq, cpuExtra, cpuSame] = cpu;
    const [memReq, memExtra, memSame] = memory;
    return fc.record({
      cpu: fc.record({ request: cpuQuantity(cpuReq), limit: cpuQuantity(cpuSame ? cpuReq : cpuReq + cpuExtra) }, { requiredKeys: [] }),
      memory: fc.record({ request: memoryQuantity(memReq), limit: memoryQuantity(memSame ? memReq : memReq + memExtra) }, { requiredKeys: [] }),
    }, { requiredKeys: [] });
  });
}

/** A size limit: a positive whole number of MiB or GiB, at most 1Ti (RULES.sizeLimit). */
/** A size limit as a cdk8s Size: a positive whole number of MiB, made in MiB or GiB, at most 1Ti. */
export function sizeLimitSize(): fc.Arbitrary<Size> {
  return fc.oneof(
    fc.integer({ min: 1, max: 1 << 20 }).map((n) => Size.mebibytes(n)),
    fc.integer({ min: 1, max: 1024 }).map((n) => Size.gibibytes(n)),
  );
}

export function sizeLimit(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 1 << 20 }), fc.constant('Mi')),
    fc.tuple(fc.integer({ min: 1, max: 1024 }), fc.constant('Gi')),
  ).map(([n, u]) => `${n}${u}`);
}

// ---------------------------------------------------------------------------------------------
// Security

/** Every hardening mode. */
export const hardening = (): fc.Arbitrary<Hardening> => fc.constantFrom(Hardening.RESTRICTED, Hardening.NONE);

/** Capabilities: the ones baseline allows and some it does not. */
export const CAPABILITIES: readonly string[] = [...BASELINE_CAPABILITIES, 'SYS_PTRACE', 'NET_ADMIN', 'SYS_ADMIN', 'NET_RAW', 'SYS_TIME', 'IPC_LOCK'];

/** A list of distinct capabilities. */
export const capabilities = (): fc.Arbitrary<string[]> => fc.uniqueArray(fc.constantFrom(...CAPABILITIES), { maxLength: 3 });

/** A non-root numeric user or group id. */
export const nonRootId = (): fc.Arbitrary<number> => fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** Container security options, each optional. */
export function containerSecurity(): fc.Arbitrary<{ runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean; addCapabilities?: string[] }> {
  return fc.record({
    runAsUser: nonRootId(),
    runAsGroup: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    readOnlyRootFilesystem: fc.boolean(),
    addCapabilities: capabilities(),
  }, { requiredKeys: [] });
}

/**
 * The Pod Security level a pod with these opt-ins needs (the documented rule: hostPath, hostPort
 * or a capability outside baseline's list need `privileged`; hardening NONE or a capability other
 * than NET_BIND_SERVICE need `baseline`; otherwise `restricted`).
 */
export function expectedLevel(o: { hardening?: Hardening; hostPath?: boolean; hostPort?: boolean; capabilities?: readonly string[] }): PodSecurityLevel {
  const caps = o.capabilities ?? [];
  if (o.hostPath || o.hostPort || caps.some((c) => !BASELINE_CAPABILITIES.includes(c))) return PodSecurityLevel.PRIVILEGED;
  if ((o.hardening ?? Hardening.RESTRICTED) === Hardening.NONE || caps.some((c) => c !== 'NET_BIND_SERVICE')) return PodSecurityLevel.BASELINE;
  return PodSecurityLevel.RESTRICTED;
}

// ---------------------------------------------------------------------------------------------
// Target versions and workloads

/** Target Kubernetes versions (schemas 1.27, 1.29 and 1.33 validate them). */
export const VERSIONS = [
  KubernetesVersion.V1_27, KubernetesVersion.V1_28, KubernetesVersion.V1_29, KubernetesVersion.V1_30, KubernetesVersion.V1_31, KubernetesVersion.V1_32, KubernetesVersion.V1_33,
] as const;
export type Version = typeof VERSIONS[number];

/**
 * The target version of this file's run, picked by the file's seed: 1.27 or 1.28 (no native
 * sidecars) a third of the time, 1.29 to 1.33 otherwise. Loading a version's schema and compiling
 * its pod validator costs about 0.7 s in each test file, so a run uses one version; every version
 * is covered across runs, and a failure replays with its seed.
 */
export const FILE_VERSION: Version = (() => {
  const pool: readonly Version[] = [VERSIONS[0], ...VERSIONS, VERSIONS[VERSIONS.length - 1]];
  return pool[(Math.imul(FILE_SEED ^ 0x9e3779b9, 0x85ebca6b) >>> 0) % pool.length];
})();

/** The target version (see FILE_VERSION). */
export const version = (): fc.Arbitrary<Version> => fc.constant(FILE_VERSION);
/** Whether native sidecars may be used with a target version. */
export const supportsNativeSidecar = (v: string): boolean => (parseMinor(v) ?? 0) >= NATIVE_SIDECAR_MINOR;

/** The workload kinds a helper attaches to. */
export const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
export type WorkloadKind = typeof WORKLOAD_KINDS[number];

/** The user's workload a helper is attached to: its kind and its app container. */
export interface WorkloadSpec {
  readonly kind: WorkloadKind;
  /** Pods only: their restart policy. */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  readonly appName: string;
  /** The port the app listens on, if any. */
  readonly appPort?: number;
  /**
   * Whether the user hardened the app container with `hardenContainer` (it then passes
   * `restricted`), or left cdk8s-plus's defaults (which pass `baseline` only).
   */
  readonly appHardened: boolean;
  /** The workload's namespace, if set (objects a helper creates for the pod must be in it). */
  readonly namespace?: string;
}

/** A user workload of any kind, with an app container. */
export function workloadSpec(): fc.Arbitrary<WorkloadSpec> {
  return fc.record({
    kind: fc.constantFrom(...WORKLOAD_KINDS),
    restartPolicy: fc.constantFrom<'Always' | 'OnFailure' | 'Never'>('Always', 'OnFailure', 'Never'),
    appName: dnsLabel(),
    appPort: unprivilegedPort(),
    appHardened: fc.boolean(),
    namespace: dnsLabel(),
  }, { requiredKeys: ['kind', 'appName', 'appHardened'] }).map((w) => {
    if (w.kind === 'Pod') return w;
    const { restartPolicy: _r, ...rest } = w;
    return rest;
  });
}

/** Whether the workload's pods run to completion (then Adapter and ProxyAmbassador must be native sidecars). */
export function runsToCompletion(w: WorkloadSpec): boolean {
  return w.kind === 'Job' || w.kind === 'CronJob' || (w.kind === 'Pod' && w.restartPolicy !== undefined && w.restartPolicy !== 'Always');
}

/** The Pod Security level the user's own part of the pod passes. */
export const appLevel = (w: WorkloadSpec): PodSecurityLevel => (w.appHardened ? PodSecurityLevel.RESTRICTED : PodSecurityLevel.BASELINE);

/** The app container's image: nginx that runs as any non-root user with a read-only root filesystem. */
export const APP_IMAGE = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
/** The construct id of the user's workload. */
export const WORKLOAD_ID = 'workload';
/** Where the app writes (an emptyDir) and that volume's name. */
export const APP_TMP = { path: '/tmp', volume: 'app-tmp' } as const;

/** Builds the user's workload as a user would: cdk8s-plus, one app container, hardened or not. */
export function buildWorkload(chart: Chart, w: WorkloadSpec): { workload: kplus.AbstractPod; app: kplus.Container } {
  let workload: kplus.AbstractPod;
  const metadata = w.namespace !== undefined ? { namespace: w.namespace } : undefined;
  switch (w.kind) {
    case 'Pod':
      workload = new kplus.Pod(chart, WORKLOAD_ID, { metadata, restartPolicy: w.restartPolicy as kplus.RestartPolicy | undefined });
      break;
    case 'Deployment':
      workload = new kplus.Deployment(chart, WORKLOAD_ID, { metadata });
      break;
    case 'StatefulSet':
      workload = new kplus.StatefulSet(chart, WORKLOAD_ID, {
        metadata,
        service: new kplus.Service(chart, `${WORKLOAD_ID}-headless`, { metadata, clusterIP: 'None', ports: [{ port: 80, name: 'http' }] }),
      });
      break;
    case 'DaemonSet':
      workload = new kplus.DaemonSet(chart, WORKLOAD_ID, { metadata });
      break;
    case 'Job':
      workload = new kplus.Job(chart, WORKLOAD_ID, { metadata });
      break;
    case 'CronJob':
      workload = new kplus.CronJob(chart, WORKLOAD_ID, { metadata, schedule: Cron.daily() });
      break;
  }
  const app = workload.addContainer({
    name: w.appName,
    image: APP_IMAGE,
    ports: w.appPort !== undefined ? [{ number: w.appPort, name: 'http' }] : undefined,
  });
  app.mount(APP_TMP.path, kplus.Volume.fromEmptyDir(chart, 'app-tmp', APP_TMP.volume));
  if (w.appHardened) hardenContainer(workload, app, { runAsUser: 101, runAsGroup: 101 });
  return { workload, app };
}

/** A fresh test app with one chart targeting `v`; the chart id is part of every construct path. */
export function newApp(v: KubernetesVersion, chartId = 'test'): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, chartId);
  setKubernetesVersion(chart, v);
  return { app, chart };
}

/** Ids the test apps give their own constructs (the user's workload and its parts, a Service, pods). */
const TAKEN_IDS = /^(workload|workload-headless|app-tmp|svc|pod\d+)$/;

/** A construct id: letters, digits and "-", as users write them (part of object names). */
export function constructId(): fc.Arbitrary<string> {
  return fc.tuple(charOf(LOWER + UPPER), stringOf(`${LOWER}${UPPER}${DIGITS}-`, 0, 24)).map(([a, b]) => `${a}${b}`).filter((id) => !TAKEN_IDS.test(id));
}

// ---------------------------------------------------------------------------------------------
// What every valid build must give

/** One rendered object, with the schema version of its chart. */
export interface RenderedObject {
  readonly manifest: any;
  readonly schemaVersion: KubernetesVersion;
}

/** A rendered pod-bearing object: its manifest, pod spec and declared level. */
export interface RenderedPod {
  readonly manifest: any;
  readonly spec: any;
  readonly declared: string | undefined;
}

/** What `expectValidSynth` returns, for construct-specific expectations. */
export interface ValidSynth {
  readonly objects: readonly RenderedObject[];
  readonly pods: readonly RenderedPod[];
  readonly files: ReadonlyMap<string, string>;
}

/** Every quantity in a rendered pod spec (resources, emptyDir size limits), with where it is. */
function quantitiesOf(spec: any): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const list of ['initContainers', 'containers'] as const) {
    (spec[list] ?? []).forEach((c: any, i: number) => {
      for (const kind of ['requests', 'limits'] as const) {
        for (const [res, q] of Object.entries(c.resources?.[kind] ?? {})) out.push([`${list}[${i}].resources.${kind}.${res}`, q]);
      }
    });
  }
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    if (v.emptyDir?.sizeLimit !== undefined) out.push([`volumes[${i}].emptyDir.sizeLimit`, v.emptyDir.sizeLimit]);
  });
  return out;
}

/** The files of a synth, comparable with toEqual. */
const filesOf = (files: ReadonlyMap<string, string>) => Object.fromEntries([...files.entries()]);

/**
 * Builds an app twice from the same spec and synthesizes it through our synth path in memory,
 * and expects what every valid build must give:
 * - no error (construct validations, strict schema, pod-wide checks and declared Pod Security all pass);
 * - every object passes `validateManifest` with its chart's schema version;
 * - every pod-bearing object that declares a Pod Security level passes `checkPodSecurity` at it
 *   (the constructs' own expectations check that their pods declare one);
 * - every rendered quantity (resources, emptyDir size limits) is a valid Kubernetes quantity;
 * - the YAML reads back (YAML 1.1, as cdk8s writes it) as exactly the rendered objects;
 * - synthesizing the same app again, or an app built again from the same spec, gives the same bytes.
 */
export function expectValidSynth(build: () => App): ValidSynth {
  const app = build();
  const { charts, files } = synthToMemory(app);

  const objects: RenderedObject[] = [];
  const pods: RenderedPod[] = [];
  for (const { chart, objects: rendered } of charts) {
    const schemaVersion = schemaVersionFor(kubernetesVersionOf(chart));
    for (const { manifest } of rendered) {
      objects.push({ manifest, schemaVersion });
      const where = `${manifest.kind} ${manifest.metadata?.name}`;
      expect({ where, violations: validateManifest(manifest, schemaVersion) }).toEqual({ where, violations: [] });
      const spec = podSpecOf(manifest);
      if (!spec) continue;
      const declared = manifest.metadata?.annotations?.[POD_SECURITY_ANNOTATION];
      pods.push({ manifest, spec, declared });
      if (declared !== undefined) {
        expect({ where, declared }).toEqual({ where, declared: expect.stringMatching(/^(privileged|baseline|restricted)$/) });
        expect({ where, violations: checkPodSecurity(declared, { metadata: podMetadataOf(manifest), spec }) }).toEqual({ where, violations: [] });
      }
      const badQuantities = quantitiesOf(spec).filter(([, q]) => !RULES.quantity.test(q));
      expect({ where, badQuantities }).toEqual({ where, badQuantities: [] });
    }
  }
  // a pod can only mount ConfigMaps of its own namespace: each one the app renders is there
  for (const { manifest } of pods) {
    for (const v of podSpecOf(manifest).volumes ?? []) {
      if (v.configMap === undefined) continue;
      const configMap = objects.find((o) => o.manifest.kind === 'ConfigMap' && o.manifest.metadata?.name === v.configMap.name)?.manifest;
      expect({ volume: v.name, configMapNamespace: configMap?.metadata?.namespace })
        .toEqual({ volume: v.name, configMapNamespace: manifest.metadata?.namespace });
    }
  }

  const readBack = [...files.values()].flatMap((text) => YAML.parseAllDocuments(text, { version: '1.1' }).map((d: any) => d.toJS()));
  expect(readBack).toEqual(objects.map((o) => o.manifest));

  const expected = filesOf(files);
  expect(filesOf(synthToMemory(app).files)).toEqual(expected);
  expect(filesOf(synthToMemory(build()).files)).toEqual(expected);
  return { objects, pods, files };
}

// ---------------------------------------------------------------------------------------------
// Invalid props

/** Known-bad values, by the rule they break. */
export const BAD = {
  dnsLabel: ['', 'Upper', 'UPPER', 'under_score', 'dot.ted', '-lead', 'trail-', 'a'.repeat(64), 'spa ce', 'ünï'],
  dnsSubdomain: ['', 'Upper.case', 'a..b', '-a.b', 'a.b-', 'under_score', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`],
  port: [0, 65536, -1, 1.5, 70000, '80' as unknown as number],
  portName: ['', 'UPPER', 'a--b', '-ab', 'ab-', 'abcdefghijklmnop', '1234', 'under_score'],
  absolutePath: ['', 'relative', 'relative/path', './x', '/a/../b', '/..', '/a:b', 'C:/x'],
  image: ['', 'nginx', 'nginx:latest', 'Nginx:1.27', 'nginx:', 'nginx@sha256:abc', ' nginx:1.0', 'registry.example.com/team/app'],
  envName: ['', '1ABC', 'A B', 'A=B', 'É', 'a$b'],
  quantity: ['', 'abc', '-1', '1.2.3', '10 Mi', '1mi', '1KB', '--1', 'Mi'],
  /** A CPU that is no valid Cpu, typed or not. */
  cpu: [kplus.Cpu.units(-1), kplus.Cpu.millis(Number.NaN), kplus.Cpu.units(Number.POSITIVE_INFINITY), '50m' as unknown as kplus.Cpu, 0.5 as unknown as kplus.Cpu],
  /** An emptyDir size limit that is no valid Size (not whole MiB, zero, above 1Ti), typed or not. */
  sizeLimitSize: [Size.kibibytes(10), Size.mebibytes(0), Size.mebibytes(1.5), Size.tebibytes(2), '64Mi' as unknown as Size],
  /** A memory amount that is no valid Size, typed or not. */
  memory: [Size.kibibytes(0.5), Size.kibibytes(1.25), '64Mi' as unknown as Size, 64 as unknown as Size],
  sizeLimit: ['0Mi', '1.5Gi', '10Ki', '64M', '-1Mi', '64', 'Mi', '064Mi'],
  userId: [-1, 1.5, 2 ** 31, '1000' as unknown as number],
  capability: ['CAP_SYS_ADMIN', 'sys_admin', '', 'SYS-ADMIN', 'Net_Admin'],
  protocol: ['HTTP', 'tcp', ''],
  hardening: ['strict', 'RESTRICTED', ''],
  nonEmptyList: [[]],
} as const;

/** A known-bad value of a kind. */
export function bad<K extends keyof typeof BAD>(kind: K): fc.Arbitrary<(typeof BAD)[K][number]> {
  return fc.constantFrom(...(BAD[kind] as readonly any[]));
}

/** What a corruption of valid props should be rejected with. */
export interface Rejection {
  /** The construct path named in brackets. */
  readonly path: string;
  /** The prop as the message names it, e.g. `containers[1].ports[0].number`. */
  readonly prop: string;
  /** The value received, as it was given. */
  readonly value: unknown;
  /** Where the error comes from: the constructor (PropsError) or the synth checks (SynthError). */
  readonly stage: 'build' | 'synth';
}

/** One corrupted spec and the rejection it must give. */
export interface Corrupted<S> {
  /** A short name of the corruption, shown in a counterexample. */
  readonly what: string;
  readonly spec: S;
  /** The rejection; its path is the construct's unless given (pod-wide problems name the workload). */
  readonly expected: Omit<Rejection, 'path'> & { readonly path?: string };
}

/** A corruption: picks a field of a valid spec and gives it a known-bad value. */
export interface Corruptor<S> {
  readonly what: string;
  /** Whether the corruption applies to this spec (e.g. it has a container to corrupt). */
  readonly applies?: (spec: S) => boolean;
  readonly corrupt: (spec: S) => fc.Arbitrary<Omit<Corrupted<S>, 'what'>>;
}

/** A valid spec with exactly one field corrupted by one of the applicable corruptors. */
export function corrupted<S>(valid: fc.Arbitrary<S>, corruptors: ReadonlyArray<Corruptor<S>>): fc.Arbitrary<Corrupted<S>> {
  return valid.chain((spec) => {
    const applicable = corruptors.filter((c) => !c.applies || c.applies(spec));
    return fc.constantFrom(...applicable).chain((c) => c.corrupt(cloneData(spec) as typeof spec).map((x) => ({ what: c.what, ...x })));
  });
}

/** Replaces the value at `path` (keys and indexes) of a deep copy of `obj`. */
/** A deep, writable copy of data; the library's variant objects (a `LogParser`, a `LogOutput`) and quantities (a `Size`, a `Cpu`) are shared, not copied. */
function cloneData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneData);
  if (v !== null && typeof v === 'object' && !(v instanceof LogParser || v instanceof LogOutput || v instanceof Size || v instanceof kplus.Cpu)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneData(x)]));
  }
  return v;
}

export function setIn<T>(obj: T, path: ReadonlyArray<string | number>, value: unknown): T {
  const copy: any = cloneData(obj);
  let at = copy;
  for (const k of path.slice(0, -1)) {
    if (at[k] === undefined) at[k] = typeof path[path.indexOf(k) + 1] === 'number' ? [] : {};
    at = at[k];
  }
  at[path[path.length - 1]] = value;
  return copy;
}

/**
 * Expects building the app, or synthesizing it, to throw the rejection: the message names the
 * construct path in brackets and has the line `<prop>: received <value as JSON>; expected ...`,
 * the error comes from the expected stage, and no YAML was produced.
 */
export function expectRejected(build: () => App, r: Rejection): void {
  let app: App | undefined;
  let error: unknown;
  let output: unknown;
  try {
    app = build();
    output = synthToMemory(app).files;
  } catch (e) {
    error = e;
  }
  expect(output).toBeUndefined();
  expect(error).toBeInstanceOf(r.stage === 'build' ? PropsError : SynthError);
  if (r.stage === 'build') expect(app).toBeUndefined();
  const message = (error as Error).message;
  expect(message).toContain(`[${r.path}]`);
  // class instances are named by their class (a LogOutput, a Cpu), plain data as JSON
  const v = r.value as any;
  const received = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype ? `a ${v.constructor.name}` : JSON.stringify(v);
  expect(message).toContain(`${r.prop}: received ${received}; expected `);
}

/** A corruptor that sets one field (`path` under the spec) to a known-bad value; the message names it `prop`. */
export function setField<S>(
  what: string,
  path: ReadonlyArray<string | number>,
  prop: string,
  values: fc.Arbitrary<unknown>,
  applies?: (spec: S) => boolean,
): Corruptor<S> {
  return { what, applies, corrupt: (s) => values.map((v) => ({ spec: setIn(s, path, v), expected: { prop, value: v, stage: 'build' as const } })) };
}

// ---------------------------------------------------------------------------------------------
// Props of the patterns that own their pod (SharedVolumePod, WarSidecarPod)

/** Overrides of the Kubernetes recommended labels, each optional. */
export function recommendedLabels() {
  return fc.record({
    name: labelValue(), instance: labelValue(), version: labelValue(), component: labelValue(), partOf: labelValue(), managedBy: labelValue(),
  }, { requiredKeys: [] });
}

/**
 * The pod props every pod-owning pattern takes (metadata, restart policy, hardening, pod ids,
 * recommended labels), each optional. As documented, the recommended name and instance labels
 * default to the pod's name, which must then be a label value (at most 63 characters): a longer
 * `metadata.name` comes with `labels.name` and `labels.instance`.
 */
export function patternPodProps() {
  return fc.record({
    metadata: fc.record({
      name: dnsSubdomain(),
      namespace: dnsLabel(),
      labels: fc.dictionary(labelKey(), labelValue(), { maxKeys: 3, noNullPrototype: true }),
    }, { requiredKeys: [] }),
    restartPolicy: fc.constantFrom(...Object.values(RestartPolicy)),
    hardening: hardening(),
    securityContext: fc.record({ runAsUser: nonRootId(), runAsGroup: nonRootId(), fsGroup: nonRootId() }, { requiredKeys: [] }),
    labels: recommendedLabels(),
    nameLabels: fc.tuple(labelValue(), labelValue()),
  }, { requiredKeys: ['nameLabels'] }).map(({ nameLabels: [name, instance], ...p }) => {
    const own = (k: string) => p.metadata?.labels?.[`app.kubernetes.io/${k}`];
    if ((p.metadata?.name?.length ?? 0) <= 63) return p;
    return { ...p, labels: { ...p.labels, ...(own('name') === undefined ? { name } : {}), ...(own('instance') === undefined ? { instance } : {}), ...p.labels } };
  });
}

/** Corruptions of the pod props every pod-owning pattern takes. */
export function patternPodCorruptors<S extends { props: object }>(): Array<Corruptor<S>> {
  const P = 'props';
  return [
    setField<S>('metadata.name', [P, 'metadata', 'name'], 'metadata.name', bad('dnsSubdomain')),
    setField<S>('metadata.namespace', [P, 'metadata', 'namespace'], 'metadata.namespace', bad('dnsLabel')),
    {
      what: 'metadata.labels key',
      corrupt: (s) => fc.constantFrom('-bad', 'a b', 'UPPER_/x', 'k'.repeat(64), 'Bad.Prefix/x').map((v) => ({
        spec: setIn(s, [P, 'metadata', 'labels', v], 'ok'), expected: { prop: 'metadata.labels', value: v, stage: 'build' as const },
      })),
    },
    {
      what: 'metadata.labels value',
      corrupt: (s) => fc.constantFrom('-bad', 'a b', 'v'.repeat(64), 'x/y').map((v) => ({
        spec: setIn(s, [P, 'metadata', 'labels', 'fuzz'], v), expected: { prop: 'metadata.labels["fuzz"]', value: v, stage: 'build' as const },
      })),
    },
    setField<S>('restartPolicy', [P, 'restartPolicy'], 'restartPolicy', fc.constantFrom('Sometimes', 'always', '')),
    setField<S>('hardening', [P, 'hardening'], 'hardening', bad('hardening')),
    ...(['runAsUser', 'runAsGroup', 'fsGroup'] as const).map((k) => setField<S>(`securityContext.${k}`, [P, 'securityContext', k], `securityContext.${k}`, bad('userId'))),
    setField<S>('securityContext.runAsUser root', [P, 'securityContext', 'runAsUser'], 'securityContext.runAsUser', fc.constant(0)),
    ...labelsCorruptors<S>([P, 'labels']),
  ];
}

/** Corruptions of a `labels` prop (RecommendedLabels) at `path`. */
export function labelsCorruptors<S>(path: ReadonlyArray<string | number>): Array<Corruptor<S>> {
  return [
    {
      what: 'labels field',
      corrupt: (s) => fc.tuple(fc.constantFrom('name', 'instance', 'version', 'component', 'partOf', 'managedBy'), fc.constantFrom('-bad', 'a b', 'v'.repeat(64), 'x/y', 'ünï'))
        .map(([k, v]) => ({ spec: setIn(s, [...path, k], v), expected: { prop: `labels.${k}`, value: v, stage: 'build' as const } })),
    },
    {
      what: 'labels unknown field',
      corrupt: (s) => fc.constantFrom('team', 'app.kubernetes.io/name', 'Name').map((k) => ({ spec: setIn(s, [...path, k], 'x'), expected: { prop: 'labels', value: k, stage: 'build' as const } })),
    },
  ];
}

/** Freezes a plain-data spec deeply: a construct that writes into the props it was given throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Helpers attached to a user's workload (Adapter, LogSidecar, ProxyAmbassador, DebugSidecar)

/** The props every helper takes besides `workload` (HelperProps), each optional. */
export interface HelperOptions {
  readonly nativeSidecar?: boolean;
  readonly hardening?: Hardening;
  readonly resources?: ResourceOptions;
  readonly securityContext?: { runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean; addCapabilities?: string[] };
  readonly labels?: Record<string, string>;
  /** The app's drain; only ever corrupted here (setIn's structuredClone would turn a Duration into a plain object): test/lifecycle.test.ts covers valid ones. */
  readonly appDrain?: any;
}

/** A helper to build: target version, ids, the user's workload and the shared helper props. */
export interface HelperBase {
  readonly version: Version;
  readonly chartId: string;
  readonly id: string;
  readonly workload: WorkloadSpec;
  readonly helper: HelperOptions;
}

/**
 * A target version, a workload and the shared helper props. `nativeSidecar` is only set on
 * 1.29 and later; with `nativeForCompletion`, workloads that run to completion always get it (as
 * Adapter and ProxyAmbassador require) and so target 1.29 or later.
 */
export function helperBase(o: { nativeForCompletion: boolean }): fc.Arbitrary<HelperBase> {
  return fc.record({ version: version(), chartId: constructId(), id: constructId(), workload: workloadSpec() })
    .filter((b) => !o.nativeForCompletion || !runsToCompletion(b.workload) || supportsNativeSidecar(b.version))
    .chain((b) => {
      const mustBeNative = o.nativeForCompletion && runsToCompletion(b.workload);
      const native = mustBeNative ? fc.constant(true) : supportsNativeSidecar(b.version) ? fc.boolean() : fc.constant(false);
      return fc.record({
        nativeSidecar: native,
        hardening: hardening(),
        resources: resources(),
        securityContext: containerSecurity(),
        labels: recommendedLabels(),
      }, { requiredKeys: mustBeNative ? ['nativeSidecar'] : [] }).map((helper) => ({ ...b, helper }));
    });
}

/** Builds the app, its chart and the user's workload of a helper spec. */
export function buildHelperBase(b: HelperBase): { app: App; chart: Chart; workload: kplus.AbstractPod; appContainer: kplus.Container } {
  const { app, chart } = newApp(b.version, b.chartId);
  const { workload, app: appContainer } = buildWorkload(chart, b.workload);
  return { app, chart, workload, appContainer };
}

/** The level a workload with a helper declares: the helper's own, or less when the user's containers need less. */
export function helperLevel(b: HelperBase, extraCapabilities: readonly string[] = []): PodSecurityLevel {
  const own = expectedLevel({ hardening: b.helper.hardening, capabilities: [...(b.helper.securityContext?.addCapabilities ?? []), ...extraCapabilities] });
  return weakestLevel(own, appLevel(b.workload));
}

/**
 * Expects the rendered workload to hold the helper's containers where they belong (regular
 * containers, or init containers with `restartPolicy: Always` that Kubernetes 1.27 rejects), and
 * to declare the level its opt-ins and the user's containers need: `restricted` when nothing asks
 * for less. `capabilities` are the ones the construct adds on top of `securityContext`'s.
 */
export function expectHelperPod(b: HelperBase, pods: readonly RenderedPod[], helperContainers: readonly string[], capabilities: readonly string[] = []): RenderedPod {
  expect(pods).toHaveLength(1);
  const pod = pods[0];
  const names = (list: any[] | undefined) => (list ?? []).map((c: any) => c.name);
  if (b.helper.nativeSidecar) {
    for (const n of helperContainers) {
      expect(pod.spec.initContainers.find((c: any) => c.name === n)).toMatchObject({ restartPolicy: 'Always' });
      expect(names(pod.spec.containers)).not.toContain(n);
    }
    expect(validateManifest(pod.manifest, KubernetesVersion.V1_27).length).toBeGreaterThan(0);
  } else {
    expect(names(pod.spec.containers)).toEqual(expect.arrayContaining([...helperContainers]));
    expect(names(pod.spec.initContainers)).toEqual([]);
  }
  expect(names(pod.spec.containers)).toContain(b.workload.appName);
  // kubectl logs and exec pick the app
  expect(podMetadataOf(pod.manifest).annotations['kubectl.kubernetes.io/default-container']).toBe(b.workload.appName);
  expect(pod.declared).toBe(helperLevel(b, capabilities));
  const caps = [...(b.helper.securityContext?.addCapabilities ?? []), ...capabilities];
  if (b.workload.appHardened && (b.helper.hardening ?? Hardening.RESTRICTED) === Hardening.RESTRICTED && caps.length === 0) {
    expect(pod.declared).toBe('restricted');
  }
  return pod;
}

/** The workload's construct path, which pod-wide problems name. */
export const workloadPath = (b: HelperBase): string => `${b.chartId}/${WORKLOAD_ID}`;

/**
 * Corruptions of the shared helper props (at `helper` in the spec, merged into the construct's
 * props by its build function). Bad `resources` and `securityContext` are not listed: see
 * HELPER_PROPS_GAP.
 */
export function helperCorruptors<S extends HelperBase>(): Array<Corruptor<S>> {
  return [
    setField<S>('hardening', ['helper', 'hardening'], 'hardening', bad('hardening')),
    setField<S>('nativeSidecar before 1.29', ['helper', 'nativeSidecar'], 'nativeSidecar', fc.constant(true), (s) => !supportsNativeSidecar(s.version)),
    setField<S>('appDrain not a Duration', ['helper', 'appDrain'], 'appDrain', fc.constantFrom<unknown>(10, '10s', -1)),
    ...labelsCorruptors<S>(['helper', 'labels']),
  ];
}

/**
 * Bad shared helper props `resources` and `securityContext` (HelperProps): once caught only at
 * synth (naming the rendered field) or not at all, `checkHelperProps` now rejects them when the
 * helper is built; each helper's fuzz file checks every entry.
 */
export const HELPER_PROPS_GAP: ReadonlyArray<{ what: string; helper: HelperOptions; prop: string; value: unknown }> = [
  { what: 'resources.cpu.request', helper: { resources: { cpu: { request: kplus.Cpu.units(-1) } } }, prop: 'resources.cpu.request', value: kplus.Cpu.units(-1) },
  { what: 'resources.cpu.request untyped', helper: { resources: { cpu: { request: 'abc' as any } } }, prop: 'resources.cpu.request', value: 'abc' },
  { what: 'resources.memory.limit', helper: { resources: { memory: { limit: Size.kibibytes(0.5) } } }, prop: 'resources.memory.limit', value: Size.kibibytes(0.5) },
  { what: 'securityContext.runAsUser', helper: { securityContext: { runAsUser: -1 } }, prop: 'securityContext.runAsUser', value: -1 },
  { what: 'securityContext.runAsUser', helper: { securityContext: { runAsUser: 2 ** 31 } }, prop: 'securityContext.runAsUser', value: 2 ** 31 },
  { what: 'securityContext.addCapabilities', helper: { securityContext: { addCapabilities: ['sys_admin'] } }, prop: 'securityContext.addCapabilities[0]', value: 'sys_admin' },
];
