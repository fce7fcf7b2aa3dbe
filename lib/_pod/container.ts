/**
 * The container every pattern builds: one props shape, one validation, one rendering.
 */
import { ApiObject, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { normalizePath, parseQuantity, Problems, Rule, RULES, show, sizeLimitBytes } from './rules';
import * as k8s from '../_k8s';
import { injectPart } from './inject';
import { PortProtocol } from './port-protocol';

export { PortProtocol } from './port-protocol';
import { ContainerSecurityOptions, containerSecuritySpec, Hardening, ResourceOptions, resourceQuantities, resourcesSpec } from './security';

/** A port a container listens on. */
export interface PortOptions {
  /** The port number, 1-65535. */
  readonly number: number;
  /**
   * An IANA service name for the port (at most 15 characters), used by Services and probes.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The protocol.
   * @default PortProtocol.TCP
   */
  readonly protocol?: PortProtocol;
  /**
   * Expose the port on the node's address as well. Forbidden by the `baseline` and `restricted`
   * Pod Security profiles: the pod then declares `privileged`.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/configuration/overview/#services
   */
  readonly hostPort?: number;
}

/** The props every container of a pattern takes. */
export interface ContainerOptions {
  /** The container's name, a DNS-1123 label unique in the pod. */
  readonly name: string;
  /** The image, pinned by tag (not "latest") or digest. */
  readonly image: string;
  /**
   * The entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Ports the container listens on.
   * @default - none
   */
  readonly ports?: PortOptions[];
  /**
   * Working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * Resource requests and limits.
   * @default - the pattern's default for the container's role (README, "Defaults")
   */
  readonly resources?: ResourceOptions;
  /**
   * Security settings beyond the pattern's hardening.
   * @default - restricted defaults: the pod's non-root user, read-only root filesystem, ALL capabilities dropped
   */
  readonly securityContext?: ContainerSecurityOptions;
  /**
   * Paths the image writes to, each given its own emptyDir so the root filesystem can stay
   * read-only (e.g. `/tmp` for nginx, `logs`, `temp` and `work` for Tomcat).
   * @default - none
   */
  readonly writablePaths?: string[];
}

/** How a container is added to a pod. */
export interface AddContainerOptions {
  /** Where in the pod: a regular container, an init container, or a native sidecar. */
  readonly placement: 'container' | 'init' | 'native-sidecar';
  /** The pattern's hardening. */
  readonly hardening: Hardening;
  /** Resources when the props give none (ignored when hardening is NONE). */
  readonly defaultResources: ResourceOptions;
  /** The pod's user and group, for containers that do not set their own. */
  readonly podIds?: { runAsUser?: number; runAsGroup?: number };
  /** A startup probe for native sidecars (gates the app's start). */
  readonly startupProbe?: k8s.Probe;
}

/**
 * Validates resource props: each CPU a cdk8s-plus `Cpu` of a non-negative quantity, each memory a
 * cdk8s `Size` of whole kibibytes, and a request no larger than its limit.
 */
export function checkResourceOptions(problems: Problems, prefix: string, r: ResourceOptions = {}): void {
  const written = resourceQuantities(r);
  const amounts: Partial<Record<keyof typeof written, number>> = {};
  for (const [resource, key, field] of RESOURCE_FIELDS) {
    const v = (r as any)[resource]?.[field];
    if (v === undefined) continue;
    const at = `${prefix}.${resource}.${field}`;
    const q = written[key];
    if (resource === 'cpu' && !(q !== undefined && RULES.quantity.test(q))) {
      problems.add(at, v, `a Cpu of a non-negative Kubernetes quantity (e.g. Cpu.millis(50), Cpu.units(1)), not one of amount ${JSON.stringify(q)}`);
    } else if (resource === 'memory' && q === undefined) {
      problems.add(at, v, `a Size of a whole, non-negative number of kibibytes (e.g. Size.mebibytes(64)), not ${show((v as Size).toKibibytes({ rounding: SizeRoundingBehavior.NONE }))} KiB`);
    } else {
      amounts[key] = parseQuantity(q!);
    }
  }
  for (const [resource, request, limit] of [['cpu', 'cpuRequest', 'cpuLimit'], ['memory', 'memoryRequest', 'memoryLimit']] as const) {
    const a = amounts[request];
    const b = amounts[limit];
    if (a !== undefined && b !== undefined && a > b) problems.add(`${prefix}.${resource}.request`, written[request], `at most ${resource}.limit ${JSON.stringify(written[limit])}`);
  }
}

/** The resource fields: resource, the quantity's name, the field. */
const RESOURCE_FIELDS = [
  ['cpu', 'cpuRequest', 'request'], ['cpu', 'cpuLimit', 'limit'], ['memory', 'memoryRequest', 'request'], ['memory', 'memoryLimit', 'limit'],
] as const;

/** Validates security props: numeric non-root ids, capability names. */
export function checkSecurityOptions(problems: Problems, prefix: string, s: ContainerSecurityOptions = {}): void {
  if (s.runAsUser !== undefined && problems.check(`${prefix}.runAsUser`, s.runAsUser, RULES.userId) && s.runAsUser === 0) {
    problems.add(`${prefix}.runAsUser`, 0, 'a non-zero user id (restricted containers run as non-root; use hardening: Hardening.NONE to keep the image\'s user)');
  }
  if (s.runAsGroup !== undefined) problems.check(`${prefix}.runAsGroup`, s.runAsGroup, RULES.userId);
  (s.addCapabilities ?? []).forEach((cap, i) => problems.check(`${prefix}.addCapabilities[${i}]`, cap, RULES.capability) && problems.check(`${prefix}.addCapabilities[${i}]`, cap, RULES.knownCapability));
}

/**
 * The resources a container gets: per resource (CPU, memory), the user's request and limit when
 * the user set either, else the role's defaults — so a request is never paired with a default
 * limit it exceeds.
 */
export function mergeResources(defaults: ResourceOptions, user: ResourceOptions = {}): ResourceOptions {
  const given = (r: { request?: unknown; limit?: unknown } | undefined) => r !== undefined && (r.request !== undefined || r.limit !== undefined);
  return {
    cpu: given(user.cpu) ? user.cpu : defaults.cpu,
    memory: given(user.memory) ? user.memory : defaults.memory,
  };
}

/**
 * Validates container props into `problems`, with props named under `prefix` (e.g. "containers[0]"),
 * or named by a function for constructs whose props map onto a container's fields.
 */
export function checkContainerOptions(problems: Problems, prefix: string | ((field: string) => string), c: ContainerOptions): void {
  const at = (field: string) => (typeof prefix === 'string' ? `${prefix}.${field}` : prefix(field));
  // problems.check, with the prop's name built only when the value fails (most pass)
  const check = (field: string, value: unknown, rule: Rule<any>): boolean => {
    if (rule.test(value)) return true;
    problems.add(at(field), value, rule.expected);
    return false;
  };
  check('name', c.name, RULES.dnsLabel);
  if (check('image', c.image, RULES.image)) check('image', c.image, RULES.pinnedImage);
  const ports = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    check(`ports[${i}].number`, p.number, RULES.port);
    if (p.name !== undefined) check(`ports[${i}].name`, p.name, RULES.portName);
    if (p.protocol !== undefined) check(`ports[${i}].protocol`, p.protocol, RULES.protocol);
    if (p.hostPort !== undefined) check(`ports[${i}].hostPort`, p.hostPort, RULES.port);
    const key = `${p.number}/${p.protocol ?? PortProtocol.TCP}`;
    if (ports.has(key)) problems.add(at(`ports[${i}].number`), p.number, 'a port not listed twice in the same container');
    ports.add(key);
  });
  for (const name of Object.keys(c.env ?? {})) check('env', name, RULES.envName);
  if (c.workingDir !== undefined) check('workingDir', c.workingDir, RULES.absolutePath);
  const writable = new Set<string>();
  (c.writablePaths ?? []).forEach((p, i) => {
    const normalized = typeof p === 'string' ? normalizePath(p) : undefined;
    if (check(`writablePaths[${i}]`, p, RULES.absolutePath) && check(`writablePaths[${i}]`, p, RULES.notRoot) && writable.has(normalized!)) {
      problems.add(at(`writablePaths[${i}]`), p, 'a path not listed twice');
    }
    if (normalized !== undefined) writable.add(normalized);
  });
  checkResourceOptions(problems, at('resources'), c.resources);
  checkSecurityOptions(problems, at('securityContext'), c.securityContext);
}

/** Converts an emptyDir size limit such as "64Mi" or "1Gi" (validated by RULES.sizeLimit) to a cdk8s Size. */
export function sizeLimitOf(q: string): Size {
  return Size.mebibytes(sizeLimitBytes(q)! / 2 ** 20);
}

/**
 * Validates an emptyDir size limit given as a cdk8s Size: a positive whole number of mebibytes
 * up to 1Ti (what cdk8s-plus can write, in Mi), as RULES.sizeLimit is for the quantity strings.
 */
export function checkSizeLimit(problems: Problems, prop: string, size: Size): void {
  const mib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024;
  if (!(Number.isInteger(mib) && mib >= 1 && mib <= 2 ** 20)) {
    problems.add(prop, size, `a Size of a positive whole number of mebibytes up to 1Ti (e.g. Size.mebibytes(64), Size.gibibytes(1)), not ${show(mib * 1024)} KiB`);
  }
}

/** Size limit of each writable path's emptyDir, in MiB (bounds what a runaway log can take of the node's disk). */
export const WRITABLE_PATH_SIZE_LIMIT_MIB = 128;

/** A volume name for a writable path: `<container>-<last path segment>`, a DNS label. */
export function scratchVolumeName(container: string, path: string, taken: Set<string>): string {
  const seg = path.split('/').filter(Boolean).pop() ?? 'root';
  const base = `${container}-${seg}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').slice(0, 60).replace(/-$/, '');
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 57)}-${i}`;
  taken.add(name);
  return name;
}

/**
 * Adds a container to a cdk8s-plus-27 pod or workload a pattern builds (SharedVolumePod,
 * WarSidecarPod, the tests' apps). cdk8s-plus renders name, image, command, args, env, ports,
 * mounts and working directory; the security context, resources, probes and native-sidecar
 * restart policy are injected as data (a container edit of the pod's part, inject.ts).
 * Returns the cdk8s-plus container, for further tweaks (env, mounts).
 */
export function addContainer(scope: Construct, pod: kplus.AbstractPod, c: ContainerOptions, o: AddContainerOptions): kplus.Container {
  const props: kplus.ContainerProps = {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    workingDir: c.workingDir,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    envVariables: Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
    ports: (c.ports ?? []).map((p) => ({
      number: p.number,
      name: p.name,
      hostPort: p.hostPort,
      protocol: p.protocol ? (p.protocol as string as kplus.Protocol) : undefined,
    })),
  };
  const container = o.placement === 'container' ? pod.addContainer(props) : pod.addInitContainer(props);

  // every volume of the pod so far: added to it, or mounted by one of its containers (writable
  // paths of other containers included), so two containers' scratch volumes never share a name
  const taken = new Set<string>([
    ...(pod.volumes ?? []).map((v) => v.name),
    ...[...pod.initContainers, ...pod.containers].flatMap((x) => x.mounts.map((m) => (m.volume as kplus.Volume).name)),
  ]);
  for (const path of c.writablePaths ?? []) {
    const name = scratchVolumeName(c.name, path, taken);
    container.mount(path, kplus.Volume.fromEmptyDir(scope, `writable-${name}`, name, { sizeLimit: Size.mebibytes(WRITABLE_PATH_SIZE_LIMIT_MIB) }));
  }

  const native = o.placement === 'native-sidecar';
  injectPart(ApiObject.of(pod), {
    owner: scope.node.path,
    containerEdits: [{
      name: c.name,
      securityContext: containerSecuritySpec(o.hardening, c.securityContext, o.podIds) ?? {},
      resources: (o.hardening === Hardening.NONE ? resourcesSpec(c.resources) : resourcesSpec(mergeResources(o.defaultResources, c.resources))) ?? {},
      restartPolicy: native ? 'Always' : undefined,
      startupProbe: native ? o.startupProbe : undefined,
    }],
  });
  return container;
}
