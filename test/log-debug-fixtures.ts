/**
 * Fixtures shared by the LogSidecar and DebugSidecar tests: the five kinds of workload a helper
 * attaches to, a restricted app container, and the checks every rendered object must pass.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { addContainer } from '../lib/_pod/container';
import { checkPodSecurity } from '../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../lib/_pod/render';
import { DEFAULT_RESOURCES, Hardening } from '../lib/_pod/security';
import { setKubernetesVersion } from '../lib/_pod/version';
import { validateManifest } from '../lib/synth/schema';

export const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'] as const;
export type WorkloadKind = typeof WORKLOAD_KINDS[number];

/** An unprivileged nginx: runs as any non-root user with a read-only root filesystem (writes /tmp). */
export const APP_IMAGE = 'nginxinc/nginx-unprivileged:1.27.5-alpine';

/** A fresh chart, optionally targeting a Kubernetes version (set before any child is added). */
export function newChart(version?: string): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  if (version) setKubernetesVersion(chart, version);
  return { app, chart };
}

/** A user-style cdk8s-plus workload of the given kind, with no containers yet. */
export function newWorkload(chart: Chart, kind: WorkloadKind, id = 'workload'): kplus.AbstractPod {
  switch (kind) {
    case 'Pod':
      return new kplus.Pod(chart, id);
    case 'Deployment':
      return new kplus.Deployment(chart, id);
    case 'StatefulSet':
      return new kplus.StatefulSet(chart, id, {
        service: new kplus.Service(chart, `${id}-headless`, { clusterIP: 'None', ports: [{ port: 8080 }] }),
      });
    case 'DaemonSet':
      return new kplus.DaemonSet(chart, id);
    case 'Job':
      return new kplus.Job(chart, id);
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

/** A workload of the given kind with its app container. */
export function appWorkload(chart: Chart, kind: WorkloadKind = 'Deployment'): { workload: kplus.AbstractPod; app: kplus.Container } {
  const workload = newWorkload(chart, kind);
  return { workload, app: addApp(chart, workload) };
}

/** The rendered manifests of a chart. */
export function render(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** The only rendered object of a kind. */
export function only(chart: Chart, kind: string): any {
  const found = render(chart).filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  return found[0];
}

/** The pod spec of the rendered workload of a kind. */
export function podSpec(chart: Chart, kind: string): any {
  return podSpecOf(only(chart, kind));
}

/** A container of a pod spec by name, from containers or initContainers. */
export function containerOf(spec: any, name: string): any {
  const c = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

/** Every schema violation of every rendered object, for a schema version. */
export function schemaViolations(manifests: readonly any[], version: '1.27' | '1.29' | '1.33'): string[] {
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
