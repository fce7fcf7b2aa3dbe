/**
 * The pod every pattern that owns its pod starts from: a cdk8s-plus Pod whose pod-level security
 * context, Pod Security declaration and pod-wide checks are set here, once.
 */
import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { addPodChecks } from './checks';
import { checkPatternPodLabels, RecommendedLabels } from './labels';
import { Problems, RULES } from './rules';
import { injectPart } from './inject';
import { Hardening, podSecuritySpec } from './security';

/**
 * A pod's restart policy. The values are the Kubernetes strings, so untyped callers may pass them.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
 */
export enum RestartPolicy {
  /** Restart every container that exits, whatever its exit code (the only policy of Deployments and the other controllers of long-running pods). */
  ALWAYS = 'Always',
  /** Restart only containers that exit with an error. */
  ON_FAILURE = 'OnFailure',
  /** Never restart a container. */
  NEVER = 'Never',
}
const RESTART_POLICIES: readonly RestartPolicy[] = Object.values(RestartPolicy);

/** Pod-level ids for restricted pods. */
export interface PodSecurityOptions {
  /**
   * Numeric user id of every container that does not set its own.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Numeric group id of every container that does not set its own.
   * @default 65532
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes (so non-root containers can write shared emptyDirs).
   * @default - the pod's group
   */
  readonly fsGroup?: number;
}

/** Props shared by every pattern that owns its pod. */
export interface PatternPodProps {
  /**
   * Metadata of the Pod object (name, labels, annotations, namespace).
   * @default - a name generated from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The pod's restart policy.
   * @default RestartPolicy.ALWAYS
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy
   */
  readonly restartPolicy?: RestartPolicy;
  /**
   * How the pod's containers are hardened.
   * @default Hardening.RESTRICTED
   */
  readonly hardening?: Hardening;
  /**
   * Pod-level user, group and fsGroup (restricted hardening only).
   * @default - 65532 for all three
   */
  readonly securityContext?: PodSecurityOptions;
  /**
   * Kubernetes recommended labels of the pod; they override the same keys in `metadata.labels`.
   * @default - name and instance from `metadata.labels`, else the pod's name; component the pattern's role; part-of the chart's name; managed-by 'cdk8s'
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
   */
  readonly labels?: RecommendedLabels;
}

/** Validates the shared pod props into `problems`. */
export function checkPatternPodProps(problems: Problems, p: PatternPodProps): void {
  if (p.metadata?.name !== undefined) problems.check('metadata.name', p.metadata.name, RULES.dnsSubdomain);
  if (p.metadata?.namespace !== undefined) problems.check('metadata.namespace', p.metadata.namespace, RULES.dnsLabel);
  for (const [k, v] of Object.entries(p.metadata?.labels ?? {})) {
    problems.check('metadata.labels', k, RULES.labelKey);
    problems.check(`metadata.labels[${JSON.stringify(k)}]`, v, RULES.labelValue);
  }
  checkPatternPodLabels(problems, p.labels, p.metadata);
  if (p.restartPolicy !== undefined && !RESTART_POLICIES.includes(p.restartPolicy)) {
    problems.add('restartPolicy', p.restartPolicy, `one of ${RESTART_POLICIES.map((r) => JSON.stringify(r)).join(', ')}`);
  }
  if (p.hardening !== undefined && !Object.values(Hardening).includes(p.hardening)) {
    problems.add('hardening', p.hardening, `one of ${Object.values(Hardening).map((h) => JSON.stringify(h)).join(', ')}`);
  }
  const s = p.securityContext ?? {};
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (s[key] !== undefined) problems.check(`securityContext.${key}`, s[key], RULES.userId);
  }
  if (s.runAsUser === 0) problems.add('securityContext.runAsUser', 0, 'a non-zero user id (restricted pods run as non-root; use hardening: Hardening.NONE to keep the image\'s user)');
}

/** Creates the pattern's pod and wires the shared pod-level rendering and checks. */
export function createPatternPod(scope: Construct, p: PatternPodProps): kplus.Pod {
  const hardening = p.hardening ?? Hardening.RESTRICTED;
  const pod = new kplus.Pod(scope, 'Pod', {
    metadata: p.metadata,
    restartPolicy: (p.restartPolicy ?? RestartPolicy.ALWAYS) as string as kplus.RestartPolicy,
  });
  // cdk8s-plus-27's own pod security context is replaced (removed under Hardening.NONE)
  injectPart(ApiObject.of(pod), { owner: scope.node.path, pod: { securityContext: podSecuritySpec(hardening, p.securityContext) ?? {} } });
  addPodChecks(pod);
  return pod;
}
