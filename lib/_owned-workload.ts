/**
 * What the patterns that own their pod (SharedVolumePod, WarSidecarPod) add to the shared pod:
 * the workload kind (a bare Pod, as in the seed, or a Deployment or StatefulSet that is
 * rescheduled when its node fails and rolls on changes) and typed probes on their containers.
 */
import { ApiObject, ApiObjectMetadata, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from './_k8s';
import { addPodChecks } from './_pod/checks';
import { ContainerEdit, injectPart } from './_pod/inject';
import { labelPatternPod, PatternRole } from './_pod/labels';
import { createPatternPod, PatternPodProps, RestartPolicy } from './_pod/pod';
import { Problems } from './_pod/rules';
import { Hardening, podSecuritySpec } from './_pod/security';

/**
 * The workload a pattern that owns its pod produces.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export enum PatternWorkloadKind {
  /** A bare Pod (the seed's): not rescheduled when its node fails, cannot roll. */
  POD = 'Pod',
  /**
   * A Deployment: `replicas` pods, replaced when a node fails, rolled (one extra pod at a time,
   * none unavailable) when the pod template changes.
   */
  DEPLOYMENT = 'Deployment',
  /**
   * A StatefulSet with a headless Service of the same name: stable pod names (`<name>-0`, ...),
   * started and rolled one at a time.
   */
  STATEFUL_SET = 'StatefulSet',
}

/** Props of the workload kind, shared by the patterns that own their pod. */
export interface OwnedWorkloadProps {
  /**
   * The workload to produce. `metadata` names it; the recommended labels go on it and on its pod template.
   * @default PatternWorkloadKind.POD
   */
  readonly workloadKind?: PatternWorkloadKind;
  /**
   * Pods of a Deployment or StatefulSet. The default is the one pod of the seed; raise it for availability.
   * @default 1
   */
  readonly replicas?: number;
}

/** Readiness, liveness and startup probes of a container (cdk8s-plus Probes). */
export interface ContainerProbes {
  /**
   * Readiness probe: the pod gets Service traffic only while it passes.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe: the container is restarted when it fails. Give a startup probe too for slow starters.
   * @default - none
   */
  readonly liveness?: kplus.Probe;
  /**
   * Startup probe: liveness and readiness wait until it passes.
   * @default - none
   */
  readonly startup?: kplus.Probe;
}

const PROBE_FIELDS = { readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe' } as const;

/** Validates the workload kind props. */
export function checkOwnedWorkloadProps(problems: Problems, p: OwnedWorkloadProps & PatternPodProps, portCount: number): void {
  const kind = p.workloadKind ?? PatternWorkloadKind.POD;
  if (!(Object.values(PatternWorkloadKind) as string[]).includes(kind)) {
    problems.add('workloadKind', kind, `one of ${Object.values(PatternWorkloadKind).map((k) => JSON.stringify(k)).join(', ')}`);
    return;
  }
  if (kind === PatternWorkloadKind.POD) {
    if (p.replicas !== undefined) problems.add('replicas', p.replicas, 'unset unless workloadKind is Deployment or StatefulSet (a bare Pod is one pod)');
    return;
  }
  if (p.replicas !== undefined && !(Number.isInteger(p.replicas) && p.replicas >= 0 && p.replicas <= 10000)) {
    problems.add('replicas', p.replicas, 'a whole number from 0 to 10000');
  }
  if (p.restartPolicy !== undefined && p.restartPolicy !== RestartPolicy.ALWAYS) {
    problems.add('restartPolicy', p.restartPolicy, `"Always" (or unset): a ${kind}'s pods always restart; for pods that run to completion use workloadKind Pod or a Job`);
  }
  if (kind === PatternWorkloadKind.STATEFUL_SET && portCount === 0) {
    problems.add('workloadKind', kind, 'Deployment, or a container with a port: a StatefulSet gets a headless Service, which needs one');
  }
}

/** Rendered probes of one container, as L1 data (the fields of a container edit). */
export type RenderedProbes = Pick<ContainerEdit, 'readinessProbe' | 'livenessProbe' | 'startupProbe'>;

/** Whether a value is a cdk8s-plus Probe of any major 27 to 33 (not only this library's cdk8s-plus-27 class). */
function isPlusProbe(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { _toKube?: unknown })._toKube === 'function';
}

/**
 * Validates probes against the container's declared ports and renders them to Kubernetes L1
 * data (the rendering is the cdk8s-plus Probe's own, through the Kubernetes 1.27 types).
 */
export function checkProbes(problems: Problems, at: (field: string) => string, probes: ContainerProbes, ports: readonly number[]): RenderedProbes {
  const out: { -readonly [K in keyof RenderedProbes]: k8s.Probe } = {};
  for (const key of Object.keys(PROBE_FIELDS) as Array<keyof typeof PROBE_FIELDS>) {
    const probe = probes[key];
    if (probe === undefined) continue;
    // a Probe of any cdk8s-plus major (27 to 33): each renders itself with `_toKube`, which is all this uses
    if (!isPlusProbe(probe)) {
      problems.add(at(key), probe, 'a cdk8s-plus Probe (27 to 33: Probe.fromHttpGet, Probe.fromTcpSocket or Probe.fromCommand)');
      continue;
    }
    let l1: k8s.Probe;
    let json: any;
    try {
      l1 = (probe as any)._toKube({ portNumber: ports[0] });
      json = k8s.toJson_Probe(l1);
    } catch (e) {
      problems.add(at(key), 'Probe', `a probe with a port (the container declares none): ${(e as Error).message}`);
      continue;
    }
    const port = json.httpGet?.port ?? json.tcpSocket?.port;
    if (port !== undefined && !ports.includes(port)) {
      problems.add(`${at(key)}.port`, port, `a port the container declares (${ports.length > 0 ? ports.join(', ') : 'none'})`);
    }
    if (key !== 'readiness' && json.successThreshold !== undefined && json.successThreshold !== 1) {
      problems.add(`${at(key)}.successThreshold`, json.successThreshold, `1 (Kubernetes requires it for ${key} probes)`);
    }
    out[PROBE_FIELDS[key]] = l1;
  }
  return out;
}

/** Writes rendered probes into the named container of the workload's pod: an edit through the injection step. */
export function addProbes(workload: Construct, containerName: string, rendered: RenderedProbes): void {
  if (Object.keys(rendered).length === 0) return;
  injectPart(ApiObject.of(workload), { owner: workload.node.scope?.node.path ?? workload.node.path, containerEdits: [{ name: containerName, ...rendered }] });
}

/** A readiness probe with explicit timing (not cdk8s-plus's or Kubernetes's defaults): every 5 s, 2 s timeout, 3 failures. */
export function readinessHttpGet(path: string, port: number): kplus.Probe {
  return kplus.Probe.fromHttpGet(path, {
    port,
    initialDelaySeconds: Duration.seconds(5),
    periodSeconds: Duration.seconds(5),
    timeoutSeconds: Duration.seconds(2),
    failureThreshold: 3,
  });
}

/**
 * Creates the pattern's workload: the shared Pod (createPatternPod), or a Deployment or
 * StatefulSet with the same pod-level security context and checks. The recommended labels go on
 * the workload and on its pod template.
 */
export function createPatternWorkload(
  scope: Construct,
  p: OwnedWorkloadProps & PatternPodProps,
  role: PatternRole,
  ports: ReadonlyArray<{ readonly number: number; readonly name?: string }>,
): { workload: kplus.AbstractPod; labels: Record<string, string> } {
  const kind = p.workloadKind ?? PatternWorkloadKind.POD;
  if (kind === PatternWorkloadKind.POD) {
    const pod = createPatternPod(scope, p);
    return { workload: pod, labels: labelPatternPod(pod, role, p.labels) };
  }
  const hardening = p.hardening ?? Hardening.RESTRICTED;
  const metadata: ApiObjectMetadata | undefined = p.metadata;
  const replicas = p.replicas ?? 1;
  const workload: kplus.Deployment | kplus.StatefulSet = kind === PatternWorkloadKind.DEPLOYMENT
    ? new kplus.Deployment(scope, 'Deployment', {
      metadata,
      replicas,
      // one extra pod at a time, none taken away before its replacement is ready
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    })
    : new kplus.StatefulSet(scope, 'StatefulSet', {
      metadata,
      replicas,
      // the headless Service that gives the pods their stable DNS names (the containers, and so
      // their ports, are added after the StatefulSet: cdk8s-plus could not derive it)
      service: new kplus.Service(scope, 'Service', {
        metadata: metadata?.name !== undefined || metadata?.namespace !== undefined ? { name: metadata?.name, namespace: metadata?.namespace } : undefined,
        clusterIP: 'None',
        ports: ports.map((pt) => ({ port: pt.number, targetPort: pt.number, name: pt.name })),
      }),
    });
  // cdk8s-plus-27's own pod security context is replaced (removed under Hardening.NONE), as createPatternPod does
  injectPart(ApiObject.of(workload), { owner: scope.node.path, pod: { securityContext: podSecuritySpec(hardening, p.securityContext) ?? {} } });
  addPodChecks(workload);
  const labels = labelPatternPod(workload as unknown as kplus.Pod, role, p.labels);
  for (const [k, v] of Object.entries(labels)) workload.podMetadata.addLabel(k, v);
  return { workload, labels };
}
