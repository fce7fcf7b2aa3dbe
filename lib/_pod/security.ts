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
import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../_k8s';
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

/**
 * Resource requests and limits of one container, shaped as cdk8s-plus's `ContainerResources`
 * (`cpu: { request, limit }`, `memory: { request, limit }`), so the same object fits a cdk8s-plus
 * container and a pattern's. CPU is a cdk8s-plus `Cpu` (`Cpu.millis(50)` is written "50m",
 * `Cpu.units(1)` "1"); memory a cdk8s `Size`, written in whole mebibytes as cdk8s-plus writes it
 * (`Size.mebibytes(128)` is "128Mi", `Size.gibibytes(1)` "1024Mi"), or in kibibytes when it is no
 * whole number of mebibytes. Per resource, what you set replaces the pattern's default request
 * and limit together, so a request is never paired with a default limit it exceeds.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export interface ResourceOptions {
  /**
   * CPU request and limit, e.g. `{ request: Cpu.millis(50) }`.
   * @default - the pattern's default for this container's role (a request, no limit: CPU limits
   * throttle latency-sensitive servers; set one if your namespace's LimitRange or quota requires it)
   */
  readonly cpu?: kplus.CpuResources;
  /**
   * Memory request and limit, e.g. `{ request: Size.mebibytes(64), limit: Size.mebibytes(128) }`.
   * @default - the pattern's default for this container's role
   */
  readonly memory?: kplus.MemoryResources;
}

/** `Cpu.millis(n)` (cdk8s-plus), without tying the defaults to one copy of cdk8s-plus. */
const millis = (n: number): kplus.Cpu => kplus.Cpu.millis(n);
/** `Size.mebibytes(n)`. */
const mib = (n: number): Size => Size.mebibytes(n);

/** The default resources of each container role (see {@link DEFAULT_RESOURCES}). */
export interface DefaultResources {
  /** A web server such as nginx: 50m CPU and 64Mi requested, a 128Mi memory limit. */
  readonly webServer: ResourceOptions;
  /** A JVM application server such as Tomcat: 250m CPU and 512Mi requested, a 512Mi memory limit. */
  readonly jvmServer: ResourceOptions;
  /** A short-lived init or writer container (cp, echo): 10m CPU and 16Mi requested, a 32Mi memory limit. */
  readonly task: ResourceOptions;
  /** A helper sidecar (log tailer, proxy, exporter): 10m CPU and 32Mi requested, a 64Mi memory limit. */
  readonly helper: ResourceOptions;
}

/** Default resources per container role: small, explicit, and documented in the README. */
export const DEFAULT_RESOURCES: DefaultResources = {
  /** A web server such as nginx: 50m CPU and 64Mi requested, a 128Mi memory limit. */
  webServer: { cpu: { request: millis(50) }, memory: { request: mib(64), limit: mib(128) } },
  /** A JVM application server such as Tomcat: 250m CPU and 512Mi requested, a 512Mi memory limit. */
  jvmServer: { cpu: { request: millis(250) }, memory: { request: mib(512), limit: mib(512) } },
  /** A short-lived init or writer container (cp, echo): 10m CPU and 16Mi requested, a 32Mi memory limit. */
  task: { cpu: { request: millis(10) }, memory: { request: mib(16), limit: mib(32) } },
  /** A helper sidecar (log tailer, proxy, exporter): 10m CPU and 32Mi requested, a 64Mi memory limit. */
  helper: { cpu: { request: millis(10) }, memory: { request: mib(32), limit: mib(64) } },
};

/**
 * Whether a value is a cdk8s-plus `Cpu` (of any major: duck-typed on its `amount`, so that one of
 * cdk8s-plus-33, or a jsii proxy, is accepted too).
 */
export function isCpu(value: unknown): value is kplus.Cpu {
  return value !== null && typeof value === 'object' && typeof (value as { amount?: unknown }).amount === 'string';
}

/** A CPU amount as the Kubernetes quantity written ("50m", "1"). */
export function cpuQuantity(cpu: kplus.Cpu): string {
  return cpu.amount;
}

/**
 * A memory size as the Kubernetes quantity written: whole mebibytes as cdk8s-plus writes them
 * ("128Mi"), else kibibytes ("1536Ki"); undefined when it is no whole number of kibibytes.
 */
export function memoryQuantity(size: Size): string | undefined {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(kib) || kib < 0) return undefined;
  return kib % 1024 === 0 ? `${kib / 1024}Mi` : `${kib}Ki`;
}

/** The four quantities of a container's resources, as written; undefined where unset. */
export function resourceQuantities(r: ResourceOptions | undefined): { cpuRequest?: string; cpuLimit?: string; memoryRequest?: string; memoryLimit?: string } {
  return {
    cpuRequest: r?.cpu?.request && cpuQuantity(r.cpu.request),
    cpuLimit: r?.cpu?.limit && cpuQuantity(r.cpu.limit),
    memoryRequest: r?.memory?.request && memoryQuantity(r.memory.request),
    memoryLimit: r?.memory?.limit && memoryQuantity(r.memory.limit),
  };
}

/** A resource map's values as L1 quantities, keys in the same order. */
function quantities(m: Record<string, string> | undefined): Record<string, k8s.Quantity> | undefined {
  if (!m) return undefined;
  const out: Record<string, k8s.Quantity> = {};
  for (const k of Object.keys(m)) out[k] = k8s.Quantity.fromString(m[k]);
  return out;
}

/** Resources as L1 data (quantities); undefined when nothing is set. */
export function resourcesSpec(r: ResourceOptions | undefined): k8s.ResourceRequirements | undefined {
  const json = resourcesJson(r) as { limits?: Record<string, string>; requests?: Record<string, string> } | undefined;
  if (!json) return undefined;
  return { limits: quantities(json.limits), requests: quantities(json.requests) };
}

/** Renders resources as Kubernetes JSON; undefined when nothing is set. */
export function resourcesJson(r: ResourceOptions | undefined): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const q = resourceQuantities(r);
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (q.cpuRequest !== undefined) requests.cpu = q.cpuRequest;
  if (q.memoryRequest !== undefined) requests.memory = q.memoryRequest;
  if (q.cpuLimit !== undefined) limits.cpu = q.cpuLimit;
  if (q.memoryLimit !== undefined) limits.memory = q.memoryLimit;
  const out: Record<string, unknown> = {};
  if (Object.keys(limits).length > 0) out.limits = limits;
  if (Object.keys(requests).length > 0) out.requests = requests;
  return Object.keys(out).length > 0 ? out : undefined;
}
