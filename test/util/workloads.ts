/**
 * Fixtures shared by the helper patterns' tests: the kinds of workload a helper attaches to, a
 * restricted app container, the restricted security context our containers get, and the checks
 * every rendered object must pass.
 */
import * as path from 'path';
import { App, Chart, Cron, Include, Size, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { hardenContainer } from '../../lib/harden';
import { addContainer } from '../../lib/_pod/container';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { DEFAULT_NON_ROOT_ID, DEFAULT_RESOURCES, Hardening } from '../../lib/_pod/security';
import { setKubernetesVersion } from '../../lib/_pod/version';
import { KubernetesVersion, validateManifest } from '../../lib/synth/schema';
import { PodSecurityLevel } from '../../lib';

export { container, errorOf, manifests, manifests as render, only, podSpec } from './synth';

/** The workload kinds every helper is tested on (CronJob is added where a helper supports it). */
export const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'] as const;
export type WorkloadKind = typeof WORKLOAD_KINDS[number] | 'CronJob';
/**
 * The kinds whose pods keep running, where a helper may be a regular sidecar. Jobs and CronJobs
 * run to completion: a helper there must be a native sidecar (Kubernetes 1.29+).
 */
export const SERVING_WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet'] as const;

/**
 * Every workload kind a helper attaches to, with the target Kubernetes version its test needs:
 * Jobs and CronJobs complete only with a native sidecar (1.29+); the others keep the default 1.27.
 */
export const HELPER_KIND_CASES: ReadonlyArray<[WorkloadKind, KubernetesVersion | undefined]> = [
  ['Pod', undefined],
  ['Deployment', undefined],
  ['StatefulSet', undefined],
  ['DaemonSet', undefined],
  ['Job', KubernetesVersion.V1_29],
  ['CronJob', KubernetesVersion.V1_29],
];

/** An unprivileged nginx: runs as any non-root user with a read-only root filesystem (writes /tmp). */
export const APP_IMAGE = 'nginxinc/nginx-unprivileged:1.27.5-alpine';

/** The security context of a restricted container of ours, for a user/group id. */
export function restrictedContext(id = DEFAULT_NON_ROOT_ID) {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsGroup: id,
    runAsNonRoot: true,
    runAsUser: id,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A fresh chart, optionally targeting a Kubernetes version (set before any child is added). */
export function chartFor(version?: KubernetesVersion): Chart {
  return chartAndApp(version).chart;
}

/** A fresh chart and its app, optionally targeting a Kubernetes version. */
export function chartAndApp(version?: KubernetesVersion): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  if (version) setKubernetesVersion(chart, version);
  return { app, chart };
}

/** A user-style cdk8s-plus workload of the given kind, with the given containers (none by default). */
export function newWorkload(chart: Chart, kind: WorkloadKind, id = 'workload', containers: kplus.ContainerProps[] = []): kplus.AbstractPod {
  switch (kind) {
    case 'Pod':
      return new kplus.Pod(chart, id, { containers });
    case 'Deployment':
      return new kplus.Deployment(chart, id, { containers });
    case 'StatefulSet':
      return new kplus.StatefulSet(chart, id, {
        containers,
        service: new kplus.Service(chart, `${id}-headless`, { clusterIP: 'None', ports: [{ port: 8080 }] }),
      });
    case 'DaemonSet':
      return new kplus.DaemonSet(chart, id, { containers });
    case 'Job':
      return new kplus.Job(chart, id, { containers });
    case 'CronJob':
      return new kplus.CronJob(chart, id, { containers, schedule: Cron.daily() });
  }
}

/** Adds a restricted app container (so the whole pod can pass the restricted profile). */
export function addApp(chart: Chart, workload: kplus.AbstractPod, name = 'app', port = 8080): kplus.Container {
  return addContainer(chart, workload, {
    name,
    image: APP_IMAGE,
    ports: [{ number: port, name: 'http' }],
    writablePaths: ['/tmp'],
  }, { placement: 'container', hardening: Hardening.RESTRICTED, defaultResources: DEFAULT_RESOURCES.webServer });
}

/** A workload of the given kind with its restricted app container. */
export function appWorkload(chart: Chart, kind: WorkloadKind = 'Deployment'): { workload: kplus.AbstractPod; app: kplus.Container } {
  const workload = newWorkload(chart, kind);
  return { workload, app: addApp(chart, workload) };
}

/** Every schema violation of every rendered object, for a schema version. */
export function schemaViolations(manifests: readonly any[], version: KubernetesVersion): string[] {
  return manifests.flatMap((m) => validateManifest(m, version).map((v) => `${m.kind} ${v.path}: ${v.message}`));
}

/** Every violation of a Pod Security level by the rendered pods. */
export function pssViolations(manifests: readonly any[], level: PodSecurityLevel): string[] {
  return manifests
    .filter((m) => podSpecOf(m) !== undefined)
    .flatMap((m) => checkPodSecurity(level, { metadata: podMetadataOf(m), spec: podSpecOf(m) }).map((v) => `${m.kind} ${v.check}: ${v.message}`));
}

/** The Pod Security level the rendered workload declares. */
export function declaredLevel(manifest: any): string | undefined {
  return manifest.metadata?.annotations?.['pod-patterns.dev/pod-security'];
}

/** The cdk8s-plus majors every helper is tested on (optional peer dependencies; dev dependencies here). */
export const PLUS_MAJORS = [27, 28, 30, 32, 33] as const;
export type PlusMajor = typeof PLUS_MAJORS[number];
/**
 * Each major's module, loaded on first use: a test file that only uses cdk8s-plus-27 does not load
 * the other four (~150 ms of module loading; test/suites/load.ts keeps the files that use them in one suite).
 */
const PLUS: Record<PlusMajor, () => any> = {
  27: () => kplus,
  28: () => require('cdk8s-plus-28'),
  30: () => require('cdk8s-plus-30'),
  32: () => require('cdk8s-plus-32'),
  33: () => require('cdk8s-plus-33'),
};

/** Where a workload comes from: a cdk8s-plus major, an L1 object, or a YAML file brought in with Include. */
export type WorkloadSource = `cdk8s-plus-${PlusMajor}` | 'L1' | 'Include';

/** One workload a helper is tested on: its source, kind, the version set on the chart and the version it then targets. */
export interface WorkloadCase {
  readonly source: WorkloadSource;
  readonly kind: WorkloadKind;
  /** The version set with setKubernetesVersion (undefined: the chart's default). */
  readonly version?: KubernetesVersion;
  /** The target Kubernetes version that results. */
  readonly target: string;
}

/**
 * Every workload every helper is tested on, with the same expectations: each cdk8s-plus major
 * in {@link PLUS_MAJORS} with every kind of {@link HELPER_KIND_CASES} (a chart of cdk8s-plus-NN
 * workloads targets 1.NN by default; Jobs and CronJobs of majors before 29 set 1.29, as their
 * helpers must be native sidecars), an L1 KubeDeployment and KubeJob, and a Deployment
 * `Include`d from YAML.
 */
export const WORKLOAD_CASES: readonly WorkloadCase[] = [
  ...PLUS_MAJORS.flatMap((major) => HELPER_KIND_CASES.map(([kind, version]): WorkloadCase => {
    const set = version !== undefined && major < Number(version.split('.')[1]) ? version : undefined;
    return { source: `cdk8s-plus-${major}`, kind, version: set, target: set ?? `1.${major}` };
  })),
  { source: 'L1', kind: 'Deployment', target: '1.27' },
  { source: 'L1', kind: 'Job', version: KubernetesVersion.V1_29, target: '1.29' },
  { source: 'Include', kind: 'Deployment', target: '1.27' },
];

/** The cdk8s-plus major a case's workload comes from; undefined for an L1 object or an Include. */
export function plusMajorOfCase(c: WorkloadCase): PlusMajor | undefined {
  return c.source.startsWith('cdk8s-plus-') ? Number(c.source.slice('cdk8s-plus-'.length)) as PlusMajor : undefined;
}

/** The name of a workload case, for test titles. */
export function caseName(c: WorkloadCase): string {
  return `${c.source} ${c.kind}${c.version ? ` (target set to ${c.version})` : ''}`;
}

/** The YAML file with one Deployment that the Include cases bring in. */
export const INCLUDED_DEPLOYMENT = path.join(__dirname, '..', 'fixtures', 'workloads', 'deployment.yaml');

function plusWorkload(chart: Chart, major: PlusMajor, kind: WorkloadKind, id: string): any {
  const P = PLUS[major]();
  const containers = [{ name: 'app', image: APP_IMAGE, portNumber: 8080 }];
  let w: any;
  switch (kind) {
    case 'Pod': w = new P.Pod(chart, id, { containers }); break;
    case 'Deployment': w = new P.Deployment(chart, id, { containers }); break;
    case 'StatefulSet':
      w = new P.StatefulSet(chart, id, { containers, service: new P.Service(chart, `${id}-headless`, { clusterIP: 'None', ports: [{ port: 8080 }] }) });
      break;
    case 'DaemonSet': w = new P.DaemonSet(chart, id, { containers }); break;
    case 'Job': w = new P.Job(chart, id, { containers }); break;
    case 'CronJob': w = new P.CronJob(chart, id, { containers, schedule: Cron.daily() }); break;
  }
  // cdk8s-plus-32 and -33 StatefulSets without volumeClaimTemplates drop every volume of their
  // own pod (StatefulSet._filterPodSpecVolumes), leaving the mount dangling; the pod-wide checks
  // report it, so those StatefulSets get no /tmp here (helpers' volumes are injected after it)
  if (!(kind === 'StatefulSet' && major >= 32)) {
    w.containers[0].mount('/tmp', P.Volume.fromEmptyDir(chart, `${id}-tmp`, 'tmp', { sizeLimit: Size.mebibytes(64) }));
  }
  return w;
}

function l1PodSpec(restartPolicy?: string): k8s.PodSpec {
  return {
    restartPolicy,
    containers: [{
      name: 'app',
      image: APP_IMAGE,
      ports: [{ containerPort: 8080, name: 'http' }],
      volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
    }],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
  };
}

function l1Workload(chart: Chart, kind: WorkloadKind, id: string): IConstruct {
  const labels = { app: id };
  switch (kind) {
    case 'Deployment':
      return new k8s.KubeDeployment(chart, id, { spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: l1PodSpec() } } });
    case 'Job':
      return new k8s.KubeJob(chart, id, { spec: { template: { metadata: { labels }, spec: l1PodSpec('Never') } } });
    default:
      throw new Error(`no L1 case for ${kind}`);
  }
}

/**
 * A workload of a case, with its app container "app" (nginx-unprivileged on 8080, /tmp on an
 * emptyDir) made restricted with hardenContainer, in a fresh chart targeting the case's version.
 */
export function caseWorkload(c: WorkloadCase, id = 'workload'): { app: App; chart: Chart; workload: IConstruct } {
  const { app, chart } = chartAndApp(c.version);
  let workload: IConstruct;
  if (c.source === 'L1') workload = l1Workload(chart, c.kind, id);
  else if (c.source === 'Include') workload = new Include(chart, id, { url: INCLUDED_DEPLOYMENT });
  else workload = plusWorkload(chart, plusMajorOfCase(c)!, c.kind, id);
  hardenContainer(workload, 'app', { runAsUser: 101, runAsGroup: 101 });
  return { app, chart, workload };
}
