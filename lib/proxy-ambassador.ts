/**
 * The ambassador pattern: a proxy container the app reaches on the pod's loopback address, which
 * talks to the outside world for it ("a separate proxy handles interaction with external
 * clusters"). The app only knows a local address, given in an environment variable; the proxy's
 * configuration (the real upstreams) lives in a ConfigMap mounted read-only into the proxy.
 *
 * Two proxies (`backend`): HAProxy, for TCP or HTTP upstreams with health checks and failover,
 * and twemproxy (nutcracker), the classic ambassador in front of sharded Redis or memcached. Each
 * lives in its own module (lib/_proxy/haproxy.ts, lib/_proxy/twemproxy.ts: props, defaults,
 * checks, config renderer); this construct does what both share.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from './_k8s';
import { configHashAnnotationName } from './_config-hash';
import { PortOptions } from './_pod/container';
import { APP_CONTAINER_PROPS, attachHelper, checkHelperProps, HelperProps, NamedContainer } from './_pod/helper';
import { ContainerSpec } from './_pod/inject';
import { helperLabels, helperObjectMetadata, PATTERN_ROLES } from './_pod/labels';
import { PROXY_AMBASSADOR_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES } from './_pod/rules';
import { DEFAULT_RESOURCES } from './_pod/security';
import { containerNames, podView, resolveAppContainer } from './_pod/workload';
import { backendModule, checkBackendTypes, ProxyBackend } from './_proxy/backend';
import { BIND_ADDRESS_RULE, isLoopback, ProxyKind, ProxyUpstream, ResolvedUpstream, resolveUpstreams, UNPRIVILEGED_PORT_RULE } from './_proxy/common';

export { ProxyBackend } from './_proxy/backend';
export { isShortName, ProxyKind, ProxyUpstream, ResolvedUpstream } from './_proxy/common';
export {
  DEFAULT_HAPROXY_HEALTH_PORT, HAPROXY_BACKEND, HAPROXY_CHECK_TIMING, HAPROXY_CONFIG_DIR, HAPROXY_CONFIG_FILE, HAPROXY_FRONTEND, HAPROXY_HEALTH_PATH,
  HAPROXY_IMAGE, HAPROXY_INIT_ADDR, HAPROXY_REDIS_CHECK_TIMING, HAPROXY_REDIS_PRIMARY_CHECK, HAPROXY_RESOLVER_SETTINGS, HAPROXY_RESOLVERS, HAPROXY_USER_ID,
  haproxyArgs, HaproxyBackendProps, HaproxyBalance, HaproxyConfigOptions, HaproxyHealthFrontend, HaproxyMode, ProxyHealthCheck, renderHaproxyConfig,
} from './_proxy/haproxy';
export {
  DEFAULT_TWEMPROXY_STATS_PORT, renderTwemproxyConfig, TWEMPROXY_COMMAND, TWEMPROXY_CONFIG_DIR, TWEMPROXY_CONFIG_FILE, TWEMPROXY_DOCKERFILE, TWEMPROXY_POOL_NAME,
  twemproxyArgs, TwemproxyArgsOptions, TwemproxyBackendProps, TwemproxyConfigOptions, TwemproxyDistribution, TwemproxyHash,
} from './_proxy/twemproxy';

/** Default address the proxy binds: only the pod's own containers reach it. */
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';
/** Name of the proxy's listen port on the container. */
export const PROXY_PORT_NAME = 'proxy';

/** Startup probe timing of a native-sidecar proxy: checked every second, for up to 30 s. */
export const PROXY_STARTUP_PROBE_TIMING = { periodSeconds: 1, failureThreshold: 30, timeoutSeconds: 1 } as const;

/**
 * Seconds a proxy takes to stop on SIGTERM: HAProxy (hard stop) and twemproxy exit at once; one
 * second covers the signal's delivery and the exit.
 */
export const PROXY_STOP_SECONDS = 1;

/** Props of a {@link ProxyAmbassador}. */
export interface ProxyAmbassadorProps extends HelperProps {
  /**
   * The proxy to run, with its own options: `ProxyBackend.haproxy({...})` or
   * `ProxyBackend.twemproxy({...})`.
   * @default ProxyBackend.haproxy() (HAProxy in TCP mode with ProxyBackend.HAPROXY_DEFAULTS; give `listenPort`)
   */
  readonly backend?: ProxyBackend;
  /**
   * Where the proxy forwards to: "host:port" strings (IPv6 as "[addr]:port") or
   * {@link ProxyUpstream}s. twemproxy shards keys over all of them; HAProxy balances over them.
   * Both resolve host names when they start (HAProxy can also re-resolve: `resolveAtRuntime`);
   * give each Redis shard a Service of its own (a stable ClusterIP) rather than a pod's DNS name,
   * whose address changes when the pod is replaced.
   */
  readonly upstreams: Array<string | ProxyUpstream>;
  /**
   * The port the proxy listens on in the pod, 1024-65535 (the proxy does not run as root).
   * @default - 6379 for twemproxy with Redis, 11211 with memcached; required for HAProxy
   */
  readonly listenPort?: number;
  /**
   * The address the proxy binds. The default reaches only the pod's containers; "0.0.0.0" also
   * exposes the proxy on the pod's address.
   * @default '127.0.0.1'
   */
  readonly bindAddress?: string;
  /**
   * The app container, which gets the environment variable with the proxy's local address; as
   * `appContainer` (the shared prop name; this one is kept for compatibility).
   * @default - the workload's container named `appContainerName`, or its only container no pattern added
   */
  readonly app?: NamedContainer;
  /**
   * Name of the environment variable that gives the app the proxy's address ("127.0.0.1:6379").
   * @default 'REDIS_ADDR' (twemproxy, Redis), 'MEMCACHED_ADDR' (twemproxy, memcached), 'UPSTREAM_ADDR' (HAProxy)
   */
  readonly envVar?: string;
  /**
   * Name of the proxy container, a DNS-1123 label unique in the pod.
   * @default 'haproxy' or 'twemproxy'
   */
  readonly name?: string;
  /**
   * The proxy image, pinned. twemproxy has no default: see {@link TWEMPROXY_COMMAND}.
   * @default HAPROXY_IMAGE for HAProxy; required for twemproxy
   */
  readonly image?: string;
  /**
   * The proxy binary, for images that do not have it on the PATH (e.g. ['/usr/local/sbin/nutcracker']).
   * @default ['haproxy'] or ['nutcracker']
   */
  readonly command?: string[];
}

const isStringList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0);
/** The longest ambassador name: its ConfigMap volume is named `<name>-config`, a DNS label (63). */
const MAX_PROXY_NAME_LENGTH = 63 - '-config'.length;

/**
 * A proxy container, attached to any workload (a cdk8s-plus 27 to 33 Pod, Deployment,
 * StatefulSet, DaemonSet, Job or CronJob, an L1 object, an `Include`d manifest), that the app reaches on `localAddress` and that forwards to the
 * upstreams. Its configuration is generated by pure functions ({@link renderHaproxyConfig},
 * {@link renderTwemproxyConfig}) into a ConfigMap mounted read-only into the proxy; the pod template
 * carries the configuration's SHA-256, so a Deployment rolls when the upstreams change.
 */
export class ProxyAmbassador extends Construct {
  /** The proxy container: the Kubernetes container spec written into the pod, field for field (tweak it before synthesis). */
  public readonly sidecar: ContainerSpec;
  /** The ConfigMap holding the proxy configuration. */
  public readonly configMap: kplus.ConfigMap;
  /**
   * The Kubernetes recommended labels of the objects this helper creates (`app.kubernetes.io/*`,
   * component `proxy-ambassador`); label objects you add for it (a ServiceMonitor, say) with them too.
   */
  public readonly labels: Readonly<Record<string, string>>;
  /** The volume of that ConfigMap, mounted read-only at `configDir`, as written into the pod. */
  public readonly volume: k8s.Volume;
  /** The name of the app container that was given the address. */
  public readonly appContainerName: string;
  /** The proxy (the backend's kind). */
  public readonly kind: ProxyKind;
  /** Where the app reaches the proxy: `<address>:<port>`. */
  public readonly localAddress: string;
  /** The environment variable of the app container holding `localAddress`. */
  public readonly envVar: string;
  /** The port the proxy listens on. */
  public readonly listenPort: number;
  /** The address the proxy binds. */
  public readonly bindAddress: string;
  /** The upstreams, resolved (names and weights applied). */
  public readonly upstreams: ResolvedUpstream[];
  /** The generated configuration text. */
  public readonly config: string;
  /** Directory where the ConfigMap is mounted in the proxy. */
  public readonly configDir: string;
  /** The configuration file name (the ConfigMap key). */
  public readonly configFile: string;
  /** The proxy's command. */
  public readonly command: string[];
  /** The proxy's arguments ({@link haproxyArgs} or {@link twemproxyArgs}). */
  public readonly args: string[];
  /** The kubelet startup probe of the native-sidecar form (undefined otherwise). */
  public readonly startupProbe?: k8s.Probe;

  constructor(scope: Construct, id: string, props: ProxyAmbassadorProps) {
    super(scope, id);
    assertPropTypes(this.node.path, props, PROXY_AMBASSADOR_SHAPE);
    const backend = props.backend ?? ProxyBackend.haproxy();
    const backendOf = backendModule(backend);
    const options = backend._options ?? {};
    // Removed props (an untyped caller of the flat API) and the backend's option types, before anything reads them.
    const typeProblems = new Problems();
    checkBackendTypes(typeProblems, props, backend);
    typeProblems.throwIfAny(this.node.path);

    const problems = new Problems();
    const workload = checkHelperProps(problems, this, props, {});
    const labels = helperLabels(problems, PATTERN_ROLES.proxyAmbassador, props, workload);
    const view = workload && podView(workload);
    const defaults = backendOf.defaults(options);

    const name = props.name ?? defaults.containerName;
    if (problems.check('name', name, RULES.dnsLabel) && name.length > MAX_PROXY_NAME_LENGTH) {
      problems.add('name', name, `at most ${MAX_PROXY_NAME_LENGTH} characters, so that its "<name>-config" volume name stays a DNS label`);
    } else if (RULES.dnsLabel.test(name) && view && containerNames(view).includes(name)) {
      problems.add('name', name, 'a container name not used by another container of the workload');
    }
    const image = props.image ?? defaults.image;
    if (image === undefined) problems.add('image', undefined, defaults.imageRequired!);
    else if (problems.check('image', image, RULES.image)) problems.check('image', image, RULES.pinnedImage);
    if (props.command !== undefined && !isStringList(props.command)) problems.add('command', props.command, 'a non-empty list of non-empty strings');

    const upstreams = resolveUpstreams(problems, props.upstreams, defaults.serverPrefix, defaults.weights);

    // Addresses and ports
    const bindAddress = props.bindAddress ?? DEFAULT_BIND_ADDRESS;
    problems.check('bindAddress', bindAddress, BIND_ADDRESS_RULE);
    const listenPort = props.listenPort ?? defaults.listenPort;
    if (listenPort === undefined) problems.add('listenPort', undefined, `${UNPRIVILEGED_PORT_RULE.expected}: the port the app connects to`);
    else problems.check('listenPort', listenPort, UNPRIVILEGED_PORT_RULE);
    const loopback = isLoopback(bindAddress);

    // App container and environment variable
    const envVar = props.envVar ?? defaults.envVar;
    problems.check('envVar', envVar, RULES.envName);
    const byApp = props.app !== undefined;
    const app = resolveAppContainer(problems, workload,
      { container: byApp ? props.app : props.appContainer, name: props.appContainerName },
      byApp ? { container: 'app', name: 'appContainerName' } : APP_CONTAINER_PROPS, true, view);
    if (app && RULES.envName.test(envVar) && (app.env ?? []).some((e: any) => e.name === envVar)) {
      problems.add('envVar', envVar, `a variable the app container ${JSON.stringify(app.name)} does not already set`);
    }

    // The backend's own options
    const configPath = `${defaults.configDir}/${defaults.configFile}`;
    const render = backendOf.check(problems, options, { upstreams, bindAddress, listenPort, nativeSidecar: !!props.nativeSidecar, configPath });
    problems.throwIfAny(this.node.path);
    this.labels = labels;

    // Resolved: render the configuration and the command line.
    const plan = render();
    this.kind = backend.kind;
    this.upstreams = upstreams;
    this.bindAddress = bindAddress;
    this.listenPort = listenPort!;
    this.envVar = envVar;
    this.appContainerName = app.name;
    // The app dials this address; "localhost" could resolve to ::1 first, where nothing listens.
    this.localAddress = `${loopback ? bindAddress : '127.0.0.1'}:${this.listenPort}`;
    this.configDir = defaults.configDir;
    this.configFile = defaults.configFile;
    this.config = plan.config;
    this.command = props.command ?? defaults.command;
    this.args = plan.args;
    if (props.nativeSidecar) {
      // The kubelet probes the pod's IP: a loopback-bound proxy is probed on a port it binds on every interface.
      const target: k8s.Probe = loopback ? plan.loopbackProbe : { tcpSocket: { port: k8s.IntOrString.fromNumber(this.listenPort) } };
      this.startupProbe = { ...target, ...PROXY_STARTUP_PROBE_TIMING };
    }

    // in the workload's namespace (a pod can only mount ConfigMaps of its own namespace)
    this.configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: helperObjectMetadata(workload!.apiObject, labels),
      data: { [this.configFile]: this.config },
    });
    this.volume = { name: `${name}-config`, configMap: { name: this.configMap.name } };

    const ports: PortOptions[] = [{ number: this.listenPort, name: PROXY_PORT_NAME }, ...plan.extraPorts];
    this.sidecar = attachHelper(this, workload!, props, {
      containers: [{
        name,
        image: image!,
        command: [...this.command],
        args: [...this.args],
        ports,
        securityContext: { ...defaults.securityContext, ...props.securityContext },
        defaultResources: DEFAULT_RESOURCES.helper,
        startupProbe: this.startupProbe,
        volumeMounts: [{ mountPath: this.configDir, name: this.volume.name, readOnly: true }],
        // what the hold-the-app hook waits for; HAProxy's image (Debian) has bash and sleep
        listensOn: { host: this.localAddress.split(':')[0], port: this.listenPort },
        hasSleep: true,
      }],
      volumes: [this.volume],
      appContainerName: this.appContainerName,
      appContainer: { env: [{ name: envVar, value: this.localAddress }] },
      // A changed ConfigMap alone restarts nothing: the hash on the pod template rolls the pods.
      configMaps: [{ volume: this.volume.name, configMap: ApiObject.of(this.configMap), annotation: configHashAnnotation(name) }],
      lifecycle: { holdAppByDefault: true, outlivesApp: true, stopSeconds: PROXY_STOP_SECONDS },
    }).containers[0];
  }
}

/** The pod-template annotation holding the SHA-256 of an ambassador's configuration (its ConfigMap's content). */
export function configHashAnnotation(containerName: string): string {
  return configHashAnnotationName(containerName, 'proxy');
}
