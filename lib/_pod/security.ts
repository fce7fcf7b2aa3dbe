/**
 * Security defaults, decided once for every pattern.
 *
 * cdk8s-plus-27's own defaults are not used for our containers: it requests 1 CPU / 512Mi per
 * container, forces `runAsNonRoot` and a read-only root filesystem without the writable paths the
 * images need, renders `Capability.ALL` as `null`, prefixes capabilities with `CAP_` and has no
 * seccomp option. Instead each container's security context and resources are resolved here and
 * written into the rendered pod spec by the injection step (inject.ts).
 *
 * The resolved contexts are typed with the Kubernetes 1.27 L1 types (imports/k8s.ts) and rendered
 * with their own `toJson_` functions, so a field name or type the 1.27 API does not have fails to
 * compile.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import * as k8s from '../../imports/k8s';
import { capabilitiesLevel, PodSecurityLevel, weakestLevel } from './pod-security';

export { BASELINE_CAPABILITIES, PodSecurityLevel, weakestLevel } from './pod-security';

/** How a pattern's containers are hardened. */
export enum Hardening {
  /**
   * Pass the Pod Security Standards `restricted` profile: non-root numeric user, all capabilities
   * dropped, no privilege escalation, seccomp RuntimeDefault, read-only root filesystem.
   */
  RESTRICTED = 'restricted',
  /**
   * No security context and no resources: the image's own defaults, as the seed's YAML wrote them.
   * Use only to reproduce an existing manifest; the pod then declares the `baseline` profile
   * (or `privileged` with hostPath volumes or hostPorts).
   */
  NONE = 'none',
}

/** Annotation on each workload stating the Pod Security Standards profile its pods need. */
export const POD_SECURITY_ANNOTATION = 'pod-patterns.dev/pod-security';

/** Default numeric user and group for restricted containers (the "nonroot" user of distroless images). */
export const DEFAULT_NON_ROOT_ID = 65532;

/** Security options of one container; all optional, resolved against {@link Hardening}. */
export interface ContainerSecurityOptions {
  /**
   * Numeric user id the container runs as.
   * @default - the pod's user (65532 unless the pattern says otherwise)
   */
  readonly runAsUser?: number;
  /**
   * Numeric group id the container runs as.
   * @default - the pod's group
   */
  readonly runAsGroup?: number;
  /**
   * Mount the root filesystem read-only. Give the paths the image writes to as `writablePaths`.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Capabilities to add (after dropping ALL), without the `CAP_` prefix. Anything but
   * NET_BIND_SERVICE lowers the declared Pod Security profile.
   * @default - none
   */
  readonly addCapabilities?: string[];
}

/** A resolved security context, as Kubernetes JSON. */
export type SecurityContextJson = Record<string, unknown>;

/** Resolves a container's security context for the given hardening, as L1 data; undefined means "omit". */
export function containerSecuritySpec(
  hardening: Hardening,
  opts: ContainerSecurityOptions = {},
  pod: { runAsUser?: number; runAsGroup?: number } = {},
): k8s.SecurityContext | undefined {
  const add = [...(opts.addCapabilities ?? [])].sort();
  if (hardening === Hardening.NONE) {
    return add.length > 0 ? { capabilities: { add } } : undefined;
  }
  return {
    allowPrivilegeEscalation: false,
    capabilities: add.length > 0 ? { add, drop: ['ALL'] } : { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: opts.readOnlyRootFilesystem ?? true,
    runAsGroup: opts.runAsGroup ?? pod.runAsGroup ?? DEFAULT_NON_ROOT_ID,
    runAsNonRoot: true,
    runAsUser: opts.runAsUser ?? pod.runAsUser ?? DEFAULT_NON_ROOT_ID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Resolves a container's security context for the given hardening, as JSON; undefined means "omit". */
export function containerSecurityContext(
  hardening: Hardening,
  opts: ContainerSecurityOptions = {},
  pod: { runAsUser?: number; runAsGroup?: number } = {},
): SecurityContextJson | undefined {
  const spec = containerSecuritySpec(hardening, opts, pod);
  return spec && k8s.toJson_SecurityContext(spec);
}

/** The pod-level security context for pods a pattern owns, as L1 data. */
export function podSecuritySpec(
  hardening: Hardening,
  ids: { runAsUser?: number; runAsGroup?: number; fsGroup?: number } = {},
): k8s.PodSecurityContext | undefined {
  if (hardening === Hardening.NONE) return undefined;
  const group = ids.runAsGroup ?? DEFAULT_NON_ROOT_ID;
  return {
    fsGroup: ids.fsGroup ?? group,
    runAsGroup: group,
    runAsNonRoot: true,
    runAsUser: ids.runAsUser ?? DEFAULT_NON_ROOT_ID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The pod-level security context for pods a pattern owns, as JSON. */
export function podSecurityContext(
  hardening: Hardening,
  ids: { runAsUser?: number; runAsGroup?: number; fsGroup?: number } = {},
): SecurityContextJson | undefined {
  const spec = podSecuritySpec(hardening, ids);
  return spec && k8s.toJson_PodSecurityContext(spec);
}

/** What a pod uses that a Pod Security profile may forbid; the declared level follows from it. */
export interface SecurityOptIns {
  readonly hardening: Hardening;
  readonly hostPath?: boolean;
  readonly hostPort?: boolean;
  readonly addedCapabilities?: readonly string[];
}

/** The Pod Security Standards profile a pod with these opt-ins needs. */
export function declaredLevel(o: SecurityOptIns): PodSecurityLevel {
  if (o.hostPath || o.hostPort) return PodSecurityLevel.PRIVILEGED;
  const caps = capabilitiesLevel(o.addedCapabilities ?? []);
  return o.hardening === Hardening.NONE ? weakestLevel(caps, PodSecurityLevel.BASELINE) : caps;
}

/** Resource requests and limits of one container, as Kubernetes quantities. */
export interface ResourceOptions {
  /** CPU request, e.g. "50m". @default - the pattern's default for this container's role */
  readonly cpuRequest?: string;
  /**
   * CPU limit. @default - none: CPU limits throttle latency-sensitive servers; set one if your
   * namespace's LimitRange or quota requires it
   */
  readonly cpuLimit?: string;
  /** Memory request, e.g. "64Mi". @default - the pattern's default for this container's role */
  readonly memoryRequest?: string;
  /** Memory limit. @default - the pattern's default for this container's role */
  readonly memoryLimit?: string;
}

/** Default resources per container role: small, explicit, and documented in the README. */
export const DEFAULT_RESOURCES = {
  /** A web server such as nginx. */
  webServer: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '128Mi' },
  /** A JVM application server such as Tomcat. */
  jvmServer: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '512Mi' },
  /** A short-lived init or writer container (cp, echo). */
  task: { cpuRequest: '10m', memoryRequest: '16Mi', memoryLimit: '32Mi' },
  /** A helper sidecar (log tailer, proxy, exporter). */
  helper: { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '64Mi' },
} as const satisfies Record<string, ResourceOptions>;

/** Resources as L1 data (quantities); undefined when nothing is set. */
export function resourcesSpec(r: ResourceOptions | undefined): k8s.ResourceRequirements | undefined {
  const json = resourcesJson(r) as { limits?: Record<string, string>; requests?: Record<string, string> } | undefined;
  if (!json) return undefined;
  const q = (m: Record<string, string> | undefined) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k8s.Quantity.fromString(v)])) : undefined);
  return { limits: q(json.limits), requests: q(json.requests) };
}

/** Renders resources as Kubernetes JSON; undefined when nothing is set. */
export function resourcesJson(r: ResourceOptions | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpuRequest !== undefined) requests.cpu = r.cpuRequest;
  if (r.memoryRequest !== undefined) requests.memory = r.memoryRequest;
  if (r.cpuLimit !== undefined) limits.cpu = r.cpuLimit;
  if (r.memoryLimit !== undefined) limits.memory = r.memoryLimit;
  const out: Record<string, unknown> = {};
  if (Object.keys(limits).length > 0) out.limits = limits;
  if (Object.keys(requests).length > 0) out.requests = requests;
  return Object.keys(out).length > 0 ? out : undefined;
}
