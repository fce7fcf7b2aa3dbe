/**
 * The runtime types of every construct's props (see {@link PropType} in rules.ts), for callers
 * without a type checker: JavaScript, JSON or YAML config files, jsii languages passing `null`.
 * Each construct checks its props against its shape first (`assertPropTypes`), so a string where
 * a list belongs, `null` in a list, a missing required prop or NaN is a props error naming the
 * prop, the value as received and what is expected — never a TypeError from the library's
 * internals. Values are then checked by the constructs' own rules.
 *
 * String enums are typed `string` here: their values are checked, with the valid values listed,
 * by each construct.
 */
import { PropShape, PropType, required } from './rules';

const str: PropType = 'string';
const num: PropType = 'number';
const bool: PropType = 'boolean';
const strings: PropType = { list: 'string' };
const stringMap: PropType = { map: 'string' };
/** A Kubernetes quantity: "100m", "64Mi", or a number. */
const quantity: PropType = { anyOf: ['string', 'number'] };
/** Whether String(v) works (a message can name what was received). */
function printable(v: unknown): boolean {
  try {
    String(v);
    return true;
  } catch {
    return false;
  }
}

/** A cdk8s-plus object passed by reference, known by a method it has (any cdk8s-plus major has it). */
const objectRef = (what: string, method: string): PropType => ({ instance: what, test: (v) => v !== null && typeof v === 'object' && typeof (v as any)[method] === 'function' });
const containerRef = (what: string): PropType => objectRef(what, 'mount');

const resources: PropType = { shape: { cpuRequest: quantity, cpuLimit: quantity, memoryRequest: quantity, memoryLimit: quantity } };
const containerSecurity: PropType = { shape: { runAsUser: num, runAsGroup: num, readOnlyRootFilesystem: bool, addCapabilities: strings } };
const recommendedLabels: PropType = { shape: { name: str, instance: str, version: str, component: str, partOf: str, managedBy: str } };
const port: PropType = { shape: { number: required(num), name: str, protocol: str, hostPort: num } };

/** ContainerOptions (lib/_pod/container.ts). */
export const CONTAINER_SHAPE: PropShape = {
  name: required(str),
  image: required(str),
  command: strings,
  args: strings,
  env: stringMap,
  ports: { list: port },
  workingDir: str,
  resources,
  securityContext: containerSecurity,
  writablePaths: strings,
};

/** PatternPodProps (lib/_pod/pod.ts). */
const PATTERN_POD_SHAPE: PropShape = {
  metadata: { shape: { 'name': str, 'namespace': str, 'labels': stringMap, 'annotations': stringMap, 'finalizers': strings, '*': 'json' } },
  restartPolicy: str,
  hardening: str,
  securityContext: { shape: { runAsUser: num, runAsGroup: num, fsGroup: num } },
  labels: recommendedLabels,
};

/**
 * HelperProps (lib/_pod/helper.ts). `workload` is only screened here for values that cannot be
 * inspected at all (null, objects without a prototype); checkHelperProps says what it must be.
 */
const HELPER_SHAPE: PropShape = {
  workload: { instance: 'a cdk8s-plus Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob', test: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== null && printable(v) },
  nativeSidecar: bool,
  hardening: str,
  resources,
  securityContext: containerSecurity,
  labels: recommendedLabels,
};

/** SharedVolumeContainerOptions (lib/shared-volume-pod.ts). */
export const SHARED_VOLUME_CONTAINER_SHAPE: PropShape = { ...CONTAINER_SHAPE, mountPath: required(str), readOnly: bool, runsToCompletion: bool };

export const SHARED_VOLUME_POD_SHAPE: PropShape = {
  ...PATTERN_POD_SHAPE,
  containers: required({ list: { shape: SHARED_VOLUME_CONTAINER_SHAPE } }),
  volumeName: str,
  emptyDirMedium: str,
  emptyDirSizeLimit: str,
  hostPath: str,
  hostPathType: str,
};

export const WAR_SIDECAR_POD_SHAPE: PropShape = {
  ...PATTERN_POD_SHAPE,
  artifactImage: required(str),
  artifactPath: required(str),
  copyDestination: str,
  appImage: str,
  webappsPath: str,
  startCommand: strings,
  containerPort: num,
  hostPort: num,
  writablePaths: strings,
  appResources: resources,
  appSecurityContext: containerSecurity,
  artifactContainerName: str,
  appContainerName: str,
};

export const LOG_SIDECAR_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  appContainer: containerRef('a cdk8s-plus Container of the workload'),
  appContainerName: str,
  logDirectory: required(str),
  logFiles: required(strings),
  mode: str,
  name: str,
  volumeName: str,
  volumeSizeLimit: str,
  streamerImage: str,
  agentImage: str,
  parser: { shape: { format: required(str), regex: str, timeKey: str, timeFormat: str, timeKeep: bool, types: stringMap } },
  output: { shape: { type: required(str), host: str, port: num, tls: bool, format: str, index: str, suppressTypeName: bool } },
  tagPrefix: str,
};

export const PROXY_AMBASSADOR_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  kind: required(str),
  upstreams: required({ list: { anyOf: ['string', { shape: { host: required(str), port: required(num), name: str, weight: num } }] } }),
  listenPort: num,
  bindAddress: str,
  app: containerRef('a cdk8s-plus Container of the workload'),
  appContainerName: str,
  envVar: str,
  name: str,
  image: str,
  command: strings,
  redis: bool,
  hash: str,
  distribution: str,
  autoEjectHosts: bool,
  serverRetryTimeoutMs: num,
  serverFailureLimit: num,
  timeoutMs: num,
  statsPort: num,
  mode: str,
  balance: str,
  maxConnections: num,
  connectTimeoutMs: num,
  clientTimeoutMs: num,
  serverTimeoutMs: num,
  upstreamTls: bool,
  resolveAtRuntime: bool,
  hostHeader: str,
  healthCheckPath: str,
  healthPort: num,
};

const ADAPTER_COMMON_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  name: str,
  env: stringMap,
  portName: str,
  path: str,
  service: objectRef('a cdk8s-plus Service', 'bind'),
  servicePort: num,
  prometheusAnnotations: bool,
};

export const ADAPTER_SHAPE: PropShape = {
  ...ADAPTER_COMMON_SHAPE,
  image: required(str),
  command: strings,
  args: strings,
  port: required(num),
  startupProbe: bool,
};

export const NGINX_EXPORTER_SHAPE: PropShape = { ...ADAPTER_COMMON_SHAPE, image: str, port: num, statusPort: num, statusPath: str, connectRetries: num };

export const REDIS_EXPORTER_SHAPE: PropShape = { ...ADAPTER_COMMON_SHAPE, image: str, port: num, redisPort: num };

export const DEBUG_SIDECAR_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  targetContainer: containerRef('a cdk8s-plus Container of the workload'),
  targetContainerName: str,
  name: str,
  image: str,
  command: strings,
  addCapabilities: strings,
};

export const KUBECTL_DEBUG_SHAPE: PropShape = { pod: required(str), target: str, image: str, namespace: str, container: str, profile: str, command: strings };

export const POD_SECURITY_NAMESPACE_SHAPE: PropShape = { name: str, enforce: str, audit: str, warn: str, version: str, labels: recommendedLabels };

/** hardenContainer(workload, container, options). */
export const HARDEN_CONTAINER_SHAPE: PropShape = {
  workload: required({ instance: 'a cdk8s-plus Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob', test: (v) => v !== null && typeof v === 'object' && typeof (v as any).addContainer === 'function' }),
  container: required({ anyOf: ['string', containerRef('a cdk8s-plus Container')] }),
  options: { shape: { runAsUser: num, runAsGroup: num, readOnlyRootFilesystem: bool, addCapabilities: strings, fsGroup: num } },
};
