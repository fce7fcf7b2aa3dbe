/**
 * Fixtures shared by the helper patterns' tests: the kinds of workload a helper attaches to, a
 * restricted app container, the restricted security context our containers get, and the checks
 * every rendered object must pass.
 */
import { App, Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { addContainer } from '../../lib/_pod/container';
import { checkPodSecurity } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/render';
import { DEFAULT_NON_ROOT_ID, DEFAULT_RESOURCES, Hardening } from '../../lib/_pod/security';
import { setKubernetesVersion } from '../../lib/_pod/version';
import { KubernetesVersion, validateManifest } from '../../lib/synth/schema';

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
export const HELPER_KIND_CASES: ReadonlyArray<[WorkloadKind, string | undefined]> = [
  ['Pod', undefined],
  ['Deployment', undefined],
  ['StatefulSet', undefined],
  ['DaemonSet', undefined],
  ['Job', '1.29'],
  ['CronJob', '1.29'],
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
export function chartFor(version?: string): Chart {
  return chartAndApp(version).chart;
}

/** A fresh chart and its app, optionally targeting a Kubernetes version. */
export function chartAndApp(version?: string): { app: App; chart: Chart } {
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
export function pssViolations(manifests: readonly any[], level: 'restricted' | 'baseline' | 'privileged'): string[] {
  return manifests
    .filter((m) => podSpecOf(m) !== undefined)
    .flatMap((m) => checkPodSecurity(level, { metadata: podMetadataOf(m), spec: podSpecOf(m) }).map((v) => `${m.kind} ${v.check}: ${v.message}`));
}

/** The Pod Security level the rendered workload declares. */
export function declaredLevel(manifest: any): string | undefined {
  return manifest.metadata?.annotations?.['pod-patterns.dev/pod-security'];
}
