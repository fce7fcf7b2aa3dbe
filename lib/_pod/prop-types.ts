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
import { Construct } from 'constructs';
import { HeaderRule, JsonRule, UrlRule } from '../_http-adapter/rules';
import { LogShipping } from '../_log/shipping';
import { ProxyBackend } from '../_proxy/backend';
import { isDuration, isSize, PropShape, PropType, required } from './rules';
import { isCpu } from './security';
import { SERVICE_EXPECTED, WORKLOAD_EXPECTED } from './workload';

const str: PropType = 'string';
const num: PropType = 'number';
const bool: PropType = 'boolean';
const strings: PropType = { list: 'string' };
const stringMap: PropType = { map: 'string' };
/** A cdk8s-plus Cpu (of any major, duck-typed on its amount). */
const cpu: PropType = { instance: 'a Cpu (cdk8s-plus: Cpu.millis(50), Cpu.units(1))', test: isCpu };
/** A cdk8s Size. */
const size: PropType = { instance: 'a Size (cdk8s: Size.mebibytes(64), Size.gibibytes(1))', test: isSize };
/**
 * ResourceOptions (lib/_pod/security.ts): cdk8s-plus's shape. The flat props of before
 * (cpuRequest, memoryLimit, ...) are named as such rather than ignored.
 */
const resources: PropType = {
  shape: {
    'cpu': { shape: { request: cpu, limit: cpu } },
    'memory': { shape: { request: size, limit: size } },
    '*': { instance: 'no such prop: resources are { cpu: { request, limit }, memory: { request, limit } } (cpuRequest: "50m" is now cpu: { request: Cpu.millis(50) }, memoryLimit: "128Mi" is memory: { limit: Size.mebibytes(128) })', test: () => false },
  },
};
const containerSecurity: PropType = { shape: { runAsUser: num, runAsGroup: num, readOnlyRootFilesystem: bool, addCapabilities: strings } };
const recommendedLabels: PropType = { shape: { name: str, instance: str, version: str, component: str, partOf: str, managedBy: str } };
const port: PropType = { shape: { number: required(num), name: str, protocol: str, hostPort: num } };
/**
 * Values whose class the construct checks itself, with its own message (a LogRotation, a
 * cdk8s-plus Probe: lib/_log/rotation.ts, lib/_owned-workload.ts).
 */
const checkedByConstruct: PropType = 'any';
/** Probes of a container a pattern owns (ContainerProbes, lib/_owned-workload.ts). */
const probes: PropShape = { readiness: checkedByConstruct, liveness: checkedByConstruct, startup: checkedByConstruct };
/** OwnedWorkloadProps (lib/_owned-workload.ts). */
const OWNED_WORKLOAD_SHAPE: PropShape = { workloadKind: str, replicas: num };

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
 * A construct, as the shared resolvers (workload.ts) take it: only what is no construct at all is a
 * type error here (with the resolver's own words); which constructs hold a workload or a Service,
 * and the detailed message when one does not, is the resolver's.
 */
const constructRef = (expected: string): PropType => ({ instance: expected, test: (v) => Construct.isConstruct(v) });
const workloadRef = constructRef(WORKLOAD_EXPECTED);
const serviceRef = constructRef(SERVICE_EXPECTED);
/** A container given by reference: anything with its name (NamedContainer; a cdk8s-plus Container of any major). */
const namedContainer = (what: string): PropType => ({
  instance: `${what} (an object with its name, such as a cdk8s-plus Container of any major)`,
  test: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as any).name === 'string',
});

/** A cdk8s Duration (duck-typed: one of another copy of cdk8s, or a jsii proxy, is no `instanceof` ours). */
const duration: PropType = { instance: 'a Duration of whole seconds from 0 to 3600 (e.g. Duration.seconds(10))', test: isDuration };

/** HelperProps (lib/_pod/helper.ts). */
const HELPER_SHAPE: PropShape = {
  workload: required(workloadRef),
  startAfterInitContainer: str,
  holdAppUntilReady: bool,
  appDrain: duration,
  appContainer: namedContainer('a container of the workload'),
  appContainerName: str,
  nativeSidecar: bool,
  hardening: str,
  resources,
  securityContext: containerSecurity,
  labels: recommendedLabels,
};

/** SharedVolumeContainerOptions (lib/shared-volume-pod.ts). */
export const SHARED_VOLUME_CONTAINER_SHAPE: PropShape = { ...CONTAINER_SHAPE, ...probes, mountPath: required(str), readOnly: bool, runsToCompletion: bool };

export const SHARED_VOLUME_POD_SHAPE: PropShape = {
  ...PATTERN_POD_SHAPE,
  ...OWNED_WORKLOAD_SHAPE,
  containers: required({ list: { shape: SHARED_VOLUME_CONTAINER_SHAPE } }),
  volumeName: str,
  emptyDirMedium: str,
  emptyDirSizeLimit: size,
  hostPath: str,
  hostPathType: str,
};

export const WAR_SIDECAR_POD_SHAPE: PropShape = {
  ...PATTERN_POD_SHAPE,
  ...OWNED_WORKLOAD_SHAPE,
  ...probes,
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
  logDirectory: required(str),
  logFiles: required(strings),
  // the variant's options are checked with the rest of the props (lib/_log/streaming.ts, fluent-bit.ts)
  shipping: { instance: 'a LogShipping (LogShipping.streaming({...}) or LogShipping.fluentBit({...}))', test: (v) => v instanceof LogShipping },
  name: str,
  volumeName: str,
  volumeSizeLimit: { instance: 'a cdk8s Size, e.g. Size.mebibytes(512)', test: isSize },
  rotation: checkedByConstruct,
};

export const PROXY_AMBASSADOR_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  // the backend's options are checked with its own shape (lib/_proxy/haproxy.ts, twemproxy.ts)
  backend: { instance: 'a ProxyBackend (ProxyBackend.haproxy({...}) or ProxyBackend.twemproxy({...}))', test: (v) => v instanceof ProxyBackend },
  upstreams: required({ list: { anyOf: ['string', { shape: { host: required(str), port: required(num), name: str, weight: num } }] } }),
  listenPort: num,
  bindAddress: str,
  app: namedContainer('a container of the workload'),
  envVar: str,
  name: str,
  image: str,
  command: strings,
};

/** An Adapter adds its port to a cdk8s-plus Service (of any major); which construct is one is the Adapter's check. */
const plusServiceRef = constructRef('a cdk8s-plus Service (of any major, 27 to 33)');

const ADAPTER_COMMON_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  name: str,
  env: stringMap,
  portName: str,
  path: str,
  service: plusServiceRef,
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

export const NGINX_EXPORTER_SHAPE: PropShape = {
  ...ADAPTER_COMMON_SHAPE, image: str, port: num, statusPort: num, statusPath: str, connectRetries: num, stubStatus: str, confDirectory: str,
};

export const REDIS_EXPORTER_SHAPE: PropShape = { ...ADAPTER_COMMON_SHAPE, image: str, port: num, redisPort: num };

/** NginxStubStatusOptions, NginxExporterArgsOptions, RedisExporterArgsOptions (the Adapter's config helpers). */
export const NGINX_STUB_STATUS_SHAPE: PropShape = { port: required(num), path: str };
export const NGINX_EXPORTER_ARGS_SHAPE: PropShape = { statusPort: required(num), statusPath: str, port: num, path: str, connectRetries: num };
export const REDIS_EXPORTER_ARGS_SHAPE: PropShape = { redisPort: num, port: num, path: str };

export const DEBUG_SIDECAR_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  targetContainer: namedContainer('a container of the workload'),
  targetContainerName: str,
  name: str,
  image: str,
  command: strings,
  addCapabilities: strings,
};

export const KUBECTL_DEBUG_SHAPE: PropShape = { pod: required(str), target: str, image: str, namespace: str, container: str, profile: str, command: strings };

export const POD_SECURITY_NAMESPACE_SHAPE: PropShape = { name: str, enforce: str, audit: str, warn: str, version: str, labels: recommendedLabels };

/** HardenContainerOptions (lib/harden.ts). */
export const HARDEN_CONTAINER_OPTIONS_SHAPE: PropShape = { runAsUser: num, runAsGroup: num, readOnlyRootFilesystem: bool, addCapabilities: strings, fsGroup: num };

/** hardenContainer(workload, container, options): the workload as the helpers take it, the container by name or reference. */
export const HARDEN_CONTAINER_SHAPE: PropShape = {
  workload: required(workloadRef),
  container: required({ anyOf: ['string', namedContainer('a container of the workload')] }),
  options: { shape: HARDEN_CONTAINER_OPTIONS_SHAPE },
};

/** A JsonRule (lib/_http-adapter/rules.ts), as its factories store it. */
const jsonRule: PropType = {
  instance: 'a JsonRule (JsonRule.rename, JsonRule.move, JsonRule.drop or JsonRule.setDefault)',
  plural: 'JsonRule (JsonRule.rename, JsonRule.move, JsonRule.drop or JsonRule.setDefault)',
  test: (v) => v instanceof JsonRule,
  fields: { operation: required(str), path: required(str), to: str, value: 'any' },
};

/** UrlRuleOptions (lib/_http-adapter/rules.ts). */
export const URL_RULE_OPTIONS_SHAPE: PropShape = {
  action: str,
  methods: strings,
  requestBody: { list: jsonRule },
  responseBody: { list: jsonRule },
  legacyContentType: str,
};

/** A UrlRule, as its factories store it (`UrlRule.prefix(7, ...)` from untyped code is a type error). */
const urlRule: PropType = {
  instance: 'a UrlRule (UrlRule.exact, UrlRule.prefix or UrlRule.regex)',
  plural: 'UrlRule (UrlRule.exact, UrlRule.prefix or UrlRule.regex)',
  test: (v) => v instanceof UrlRule,
  fields: { match: required(str), from: required(str), to: required(str), options: { shape: URL_RULE_OPTIONS_SHAPE } },
};

/** A HeaderRule, as its factories store it. */
const headerRule: PropType = {
  instance: 'a HeaderRule (HeaderRule.rename, HeaderRule.set or HeaderRule.remove)',
  plural: 'HeaderRule (HeaderRule.rename, HeaderRule.set or HeaderRule.remove)',
  test: (v) => v instanceof HeaderRule,
  fields: { direction: required(str), operation: required(str), name: required(str), value: str },
};

/** The fields of the rule classes, for the drift guard (every public field has a type). */
export const RULE_CLASS_FIELDS: Readonly<Record<string, PropShape>> = {
  UrlRule: { ...(urlRule as { fields: PropShape }).fields, action: str },
  HeaderRule: (headerRule as { fields: PropShape }).fields,
  JsonRule: (jsonRule as { fields: PropShape }).fields,
};

export const HTTP_COMPAT_ADAPTER_SHAPE: PropShape = {
  ...HELPER_SHAPE,
  port: required(num),
  appPort: required(num),
  rules: { list: urlRule },
  headers: { list: headerRule },
  unmatched: str,
  appPaths: strings,
  maxBodySize: { instance: 'a cdk8s Size, e.g. Size.mebibytes(1)', test: isSize },
  service: serviceRef,
  name: str,
  image: str,
};
