/**
 * The ambassador pattern: a proxy container the app reaches on the pod's loopback address, which
 * talks to the outside world for it ("a separate proxy handles interaction with external
 * clusters"). The app only knows a local address, given in an environment variable; the proxy's
 * configuration (the real upstreams) lives in a ConfigMap mounted read-only into the proxy.
 *
 * Two proxies: twemproxy (nutcracker), the classic ambassador in front of sharded Redis or
 * memcached, and HAProxy, for TCP or HTTP upstreams with health checks and failover.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../imports/k8s';
import { configHashAnnotationName } from './_config-hash';
import { PortOptions } from './_pod/container';
import { APP_CONTAINER_PROPS, attachHelper, checkHelperProps, HelperProps, NamedContainer } from './_pod/helper';
import { ContainerSpec } from './_pod/inject';
import { helperLabels, helperObjectMetadata, PATTERN_ROLES } from './_pod/labels';
import { PROXY_AMBASSADOR_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES } from './_pod/rules';
import { DEFAULT_RESOURCES } from './_pod/security';
import { containerNames, podView, resolveAppContainer } from './_pod/workload';
import {
  BIND_ADDRESS_RULE, HAPROXY_BALANCES, HAPROXY_HEALTH_PATH, HAPROXY_MODES, haproxyArgs, HaproxyBalance, HaproxyMode, HOST_RULE,
  HTTP_PATH_RULE, isDnsName, MILLISECONDS_RULE, renderHaproxyConfig, renderTwemproxyConfig, ResolvedUpstream, splitHostPort,
  TWEMPROXY_DISTRIBUTIONS, TWEMPROXY_HASHES, twemproxyArgs, TwemproxyDistribution, TwemproxyHash, UNPRIVILEGED_PORT_RULE,
} from './_proxy-config';

export {
  HAPROXY_BACKEND, HAPROXY_BALANCES, HAPROXY_CHECK_TIMING, HAPROXY_FRONTEND, HAPROXY_HEALTH_CHECKS, HAPROXY_HEALTH_PATH, HAPROXY_INIT_ADDR, HAPROXY_MODES,
  HAPROXY_REDIS_CHECK_TIMING, HAPROXY_REDIS_PRIMARY_CHECK, HAPROXY_RESOLVER_SETTINGS, HAPROXY_RESOLVERS, haproxyArgs, HaproxyHealthCheck, HaproxyHealthFrontend,
  HaproxyBalance, HaproxyConfigOptions, HaproxyMode, renderHaproxyConfig, renderTwemproxyConfig,
  ResolvedUpstream, TWEMPROXY_DISTRIBUTIONS, TWEMPROXY_HASHES, TWEMPROXY_POOL_NAME, twemproxyArgs, TwemproxyArgsOptions,
  TwemproxyConfigOptions, TwemproxyDistribution, TwemproxyHash,
} from './_proxy-config';

/** The proxies a {@link ProxyAmbassador} can run. */
export enum ProxyKind {
  /**
   * twemproxy (nutcracker): shards keys over Redis or memcached servers by consistent hashing.
   * @see https://github.com/twitter/twemproxy
   */
  TWEMPROXY = 'twemproxy',
  /**
   * HAProxy: forwards TCP or HTTP to one or more servers, with health checks, round-robin or
   * failover, and optional TLS to the upstreams.
   * @see https://docs.haproxy.org/3.0/configuration.html
   */
  HAPROXY = 'haproxy',
}

/** How an HAProxy ambassador health-checks its servers in TCP mode. */
export enum ProxyHealthCheck {
  /** A TCP connect: a server is up when it accepts connections. */
  TCP = 'tcp',
  /**
   * Redis: up only when `INFO replication` answers `role:master` (a primary/standby pair fails
   * over to the promoted standby).
   */
  REDIS_PRIMARY = 'redis-primary',
}

/** One upstream server of a {@link ProxyAmbassador}. */
export interface ProxyUpstream {
  /** DNS name or IP address of the server. */
  readonly host: string;
  /** TCP port of the server, 1-65535. */
  readonly port: number;
  /**
   * Server name. twemproxy places keys by it (with ketama), so keep names stable when a server
   * moves to another address; HAProxy shows it in logs.
   * @default - `shard-<n>` for twemproxy, `upstream-<n>` for HAProxy (n = position, from 1)
   */
  readonly name?: string;
  /**
   * twemproxy weight: the share of keys relative to the other servers.
   * @default 1
   */
  readonly weight?: number;
}

/**
 * The official HAProxy image, 3.0 LTS: Debian based, runs as user `haproxy` (uid/gid 99), reads
 * /usr/local/etc/haproxy/haproxy.cfg, ships the system CA bundle (for `ca-file @system-ca`).
 * @see https://hub.docker.com/_/haproxy
 */
export const HAPROXY_IMAGE = 'haproxy:3.0.28';
/** uid and gid of the `haproxy` user of the official image. */
export const HAPROXY_USER_ID = 99;
/** Where the official HAProxy image reads its configuration. */
export const HAPROXY_CONFIG_DIR = '/usr/local/etc/haproxy';
/** File name of the HAProxy configuration. */
export const HAPROXY_CONFIG_FILE = 'haproxy.cfg';
/** Port of the HAProxy health frontend (kubelet startup probe of a native sidecar bound to loopback). */
export const DEFAULT_HAPROXY_HEALTH_PORT = 8404;

/**
 * The twemproxy container's command: `nutcracker` on the PATH, run with {@link twemproxyArgs}.
 * No trustworthy, maintained twemproxy image exists (twemproxy publishes none; the Docker Hub
 * ones are unmaintained personal builds), so a twemproxy ambassador takes the image as a prop:
 * build {@link TWEMPROXY_DOCKERFILE}, or any image with nutcracker 0.4/0.5 on the PATH.
 */
export const TWEMPROXY_COMMAND = ['nutcracker'];

/**
 * A Dockerfile for the twemproxy image: Debian 12's nutcracker 0.5.0 (the release the integration
 * tests run), on the PATH at /usr/sbin/nutcracker, as a non-root user.
 */
export const TWEMPROXY_DOCKERFILE = [
  'FROM debian:12.8-slim',
  'RUN apt-get update \\',
  ' && apt-get install -y --no-install-recommends nutcracker=0.5.0+dfsg-2 \\',
  ' && rm -rf /var/lib/apt/lists/*',
  'USER 65532:65532',
  '',
].join('\n');
/** Where the twemproxy ambassador mounts its configuration. */
export const TWEMPROXY_CONFIG_DIR = '/etc/nutcracker';
/** File name of the twemproxy configuration. */
export const TWEMPROXY_CONFIG_FILE = 'nutcracker.yml';
/** Default port of the nutcracker stats listener. */
export const DEFAULT_TWEMPROXY_STATS_PORT = 22222;

/** Default address the proxy binds: only the pod's own containers reach it. */
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';
/** Name of the proxy's listen port on the container. */
export const PROXY_PORT_NAME = 'proxy';

/** twemproxy defaults. */
export const TWEMPROXY_DEFAULTS = {
  /** `listenPort` with Redis (`redis: true`): Redis's own port. */
  redisPort: 6379,
  /** `listenPort` with memcached (`redis: false`): memcached's own port. */
  memcachedPort: 11211,
  /** `hash`. */
  hash: 'fnv1a_64' as TwemproxyHash,
  /** `distribution`: consistent hashing, adding a server moves about 1/n of the keys. */
  distribution: 'ketama' as TwemproxyDistribution,
  /** `autoEjectHosts`, off: ejecting a server moves its keys to the others (fine for a cache, wrong for a store). */
  autoEjectHosts: false,
  /** `serverRetryTimeoutMs`. */
  serverRetryTimeoutMs: 30000,
  /** `serverFailureLimit`. */
  serverFailureLimit: 2,
  /** `timeoutMs`. */
  timeoutMs: 1000,
} as const;

/** HAProxy defaults. */
export const HAPROXY_DEFAULTS = {
  /** `mode`: forward TCP streams. */
  mode: 'tcp' as HaproxyMode,
  /** `balance`. */
  balance: 'roundrobin' as HaproxyBalance,
  /** `maxConnections`. */
  maxConnections: 256,
  /** `connectTimeoutMs`. */
  connectTimeoutMs: 5000,
  /** `clientTimeoutMs`. */
  clientTimeoutMs: 60000,
  /** `serverTimeoutMs`. */
  serverTimeoutMs: 60000,
} as const;

/** Startup probe timing of a native-sidecar proxy: checked every second, for up to 30 s. */
export const PROXY_STARTUP_PROBE_TIMING = { periodSeconds: 1, failureThreshold: 30, timeoutSeconds: 1 } as const;

/**
 * Seconds a proxy takes to stop on SIGTERM: HAProxy (hard stop) and twemproxy exit at once; one
 * second covers the signal's delivery and the exit.
 */
export const PROXY_STOP_SECONDS = 1;

/** Props of a {@link ProxyAmbassador}. */
export interface ProxyAmbassadorProps extends HelperProps {
  /** The proxy to run. */
  readonly kind: ProxyKind;
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
   * @default 'twemproxy' or 'haproxy'
   */
  readonly name?: string;
  /**
   * The proxy image, pinned. twemproxy has no default: see {@link TWEMPROXY_COMMAND}.
   * @default HAPROXY_IMAGE for HAProxy; required for twemproxy
   */
  readonly image?: string;
  /**
   * The proxy binary, for images that do not have it on the PATH (e.g. ['/usr/local/sbin/nutcracker']).
   * @default ['nutcracker'] or ['haproxy']
   */
  readonly command?: string[];

  // twemproxy
  /**
   * twemproxy: Redis protocol (true) or memcached (false).
   * @default true
   */
  readonly redis?: boolean;
  /**
   * twemproxy: the key hash function.
   * @default 'fnv1a_64'
   */
  readonly hash?: TwemproxyHash;
  /**
   * twemproxy: the key distribution.
   * @default 'ketama' (consistent hashing: adding a server moves about 1/n of the keys)
   */
  readonly distribution?: TwemproxyDistribution;
  /**
   * twemproxy: take a failing server out of the pool (its keys go to the others) and retry it
   * after `serverRetryTimeoutMs`. Turn it on for caches only.
   * @default false
   */
  readonly autoEjectHosts?: boolean;
  /**
   * twemproxy: how long an ejected server stays out, in milliseconds.
   * @default 30000
   */
  readonly serverRetryTimeoutMs?: number;
  /**
   * twemproxy: consecutive failures before a server is ejected.
   * @default 2
   */
  readonly serverFailureLimit?: number;
  /**
   * twemproxy: how long to wait for a server connection or response, in milliseconds.
   * @default 1000
   */
  readonly timeoutMs?: number;
  /**
   * twemproxy: port of nutcracker's stats listener (JSON on connect), bound like the proxy.
   * @default 22222
   */
  readonly statsPort?: number;

  // HAProxy
  /**
   * HAProxy: forward TCP streams, or HTTP requests (which enables `hostHeader` and `healthCheckPath`).
   * @default 'tcp'
   */
  readonly mode?: HaproxyMode;
  /**
   * HAProxy: how connections are spread: `roundrobin`, `leastconn`, or `first` (everything to
   * the first healthy server in the given order: failover).
   * @default 'roundrobin'
   */
  readonly balance?: HaproxyBalance;
  /**
   * HAProxy: most concurrent connections; bounds HAProxy's memory (about 32 KiB each).
   * @default 256
   */
  readonly maxConnections?: number;
  /**
   * HAProxy: timeout to connect to a server, in milliseconds.
   * @default 5000
   */
  readonly connectTimeoutMs?: number;
  /**
   * HAProxy: inactivity timeout on the app's side, in milliseconds.
   * @default 60000
   */
  readonly clientTimeoutMs?: number;
  /**
   * HAProxy: inactivity timeout on the server's side, in milliseconds.
   * @default 60000
   */
  readonly serverTimeoutMs?: number;
  /**
   * HAProxy: speak TLS to the upstreams (the app speaks plain text to the proxy), verified against
   * the image's system CAs and each upstream's host name (which must then be a DNS name).
   * @default false
   */
  readonly upstreamTls?: boolean;
  /**
   * HAProxy: re-resolve the upstreams' host names every 5 s while running, through the pod's
   * nameservers (a `resolvers` section with `parse-resolv-conf`; hold and timeout values: see
   * HAPROXY_RESOLVER_SETTINGS), so that a changed address (a re-created Service, an external API
   * behind rotating IPs) is followed and a standby whose name does not resolve yet joins when it
   * does. HAProxy's own resolver does not apply the pod's DNS search domains, so short names
   * (`redis`, `redis.ns.svc`) are refused with `true`: give fully qualified names
   * (`redis.ns.svc.cluster.local`, `api.example.com`). Whatever the value, a name that does not
   * resolve when HAProxy starts leaves its server down, never HAProxy (`init-addr last,libc,none`).
   * @default - true when every upstream name is fully qualified; false (names resolved once at start, through the C library and the pod's search domains) when one is a short name
   */
  readonly resolveAtRuntime?: boolean;
  /**
   * HAProxy, TCP mode: how each server is health-checked. `REDIS_PRIMARY` sends `PING` and
   * `INFO replication` every second and sends traffic only to the server answering
   * `role:master`, so that a Redis primary/standby pair fails over when the standby is promoted
   * (and the app's connections to a demoted primary are closed). Servers must not require AUTH.
   * @default ProxyHealthCheck.TCP
   * @see https://redis.io/docs/latest/commands/info/
   */
  readonly healthCheck?: ProxyHealthCheck;
  /**
   * HAProxy, HTTP mode: the Host header sent upstream (the app addresses 127.0.0.1).
   * @default - the upstreams' host name when they all have the same one; otherwise the app's Host header, unchanged
   */
  readonly hostHeader?: string;
  /**
   * HAProxy, HTTP mode: check each server with `GET <path>` (2xx or 3xx is healthy).
   * @default - a TCP connect check
   */
  readonly healthCheckPath?: string;
  /**
   * HAProxy: port of the health frontend (`GET /healthz` answers 200) that the kubelet's startup
   * probe reaches when the proxy is a native sidecar bound to loopback.
   * @default 8404
   */
  readonly healthPort?: number;
}

/** A twemproxy-only or HAProxy-only prop, for the "unset unless kind is" check. */
const TWEMPROXY_ONLY = ['redis', 'hash', 'distribution', 'autoEjectHosts', 'serverRetryTimeoutMs', 'serverFailureLimit', 'timeoutMs', 'statsPort'] as const;
const HAPROXY_ONLY = ['mode', 'balance', 'maxConnections', 'connectTimeoutMs', 'clientTimeoutMs', 'serverTimeoutMs', 'upstreamTls', 'resolveAtRuntime', 'healthCheck', 'hostHeader', 'healthCheckPath', 'healthPort'] as const;

const isStringList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0);
/** The longest ambassador name: its ConfigMap volume is named `<name>-config`, a DNS label (63). */
const MAX_PROXY_NAME_LENGTH = 63 - '-config'.length;

const oneOf = (list: readonly string[]) => `one of ${list.map((x) => JSON.stringify(x)).join(', ')}`;

/**
 * Whether a host name is relative to the pod's DNS search domains: one label (`redis`,
 * `localhost`) or ending in `.svc` (`redis.ns.svc`). Two labels (`redis.ns`) cannot be told from
 * a public name (`example.com`) and count as fully qualified, as does a name ending in ".".
 */
export function isShortName(host: string): boolean {
  if (!isDnsName(host) || host.endsWith('.')) return false;
  const labels = host.toLowerCase().split('.');
  return labels.length === 1 || labels[labels.length - 1] === 'svc';
}

/** A Host header value: a DNS name, optionally with ":port". */
function isHostHeader(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const hp = splitHostPort(v);
  return hp ? isDnsName(hp.host) && RULES.port.test(hp.port) : isDnsName(v);
}

/** The DNS name all upstreams share, if they do. */
function commonHostName(upstreams: readonly ResolvedUpstream[]): string | undefined {
  const names = new Set(upstreams.map((u) => u.host.toLowerCase().replace(/\.$/, '')));
  const [only] = [...names];
  return names.size === 1 && isDnsName(only) ? only : undefined;
}

/** Whether an IPv4 bind address is loopback: the kubelet's probes (sent to the pod's IP) cannot reach it. */
function isLoopback(address: string): boolean {
  return address.startsWith('127.');
}

/**
 * A proxy container, attached to any workload (a cdk8s-plus 27 to 33 Pod, Deployment,
 * StatefulSet, DaemonSet, Job or CronJob, an L1 object, an `Include`d manifest), that the app reaches on `localAddress` and that forwards to the
 * upstreams. Its configuration is generated by pure functions ({@link renderTwemproxyConfig},
 * {@link renderHaproxyConfig}) into a ConfigMap mounted read-only into the proxy; the pod template
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
  /** The proxy. */
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
  /** The proxy's arguments ({@link twemproxyArgs} or {@link haproxyArgs}). */
  public readonly args: string[];
  /** The kubelet startup probe of the native-sidecar form (undefined otherwise). */
  public readonly startupProbe?: k8s.Probe;

  constructor(scope: Construct, id: string, props: ProxyAmbassadorProps) {
    super(scope, id);
    assertPropTypes(this.node.path, props, PROXY_AMBASSADOR_SHAPE);
    const problems = new Problems();
    // the app calls the proxy: it may hold the app until it listens (bash in the image)
    const workload = checkHelperProps(problems, this, props, {});
    const labels = helperLabels(problems, PATTERN_ROLES.proxyAmbassador, props);
    const view = workload && podView(workload);

    const kind = props.kind;
    const kinds = Object.values(ProxyKind) as string[];
    const kindOk = kinds.includes(kind);
    if (!kindOk) problems.add('kind', kind, oneOf(kinds));
    const twem = kind === ProxyKind.TWEMPROXY;
    const redis = props.redis ?? true;
    for (const key of kindOk ? (twem ? HAPROXY_ONLY : TWEMPROXY_ONLY) : []) {
      if (props[key] !== undefined) problems.add(key, props[key], `unset unless kind is ${JSON.stringify(twem ? ProxyKind.HAPROXY : ProxyKind.TWEMPROXY)}`);
    }

    const name = props.name ?? (twem ? 'twemproxy' : 'haproxy');
    if (problems.check('name', name, RULES.dnsLabel) && name.length > MAX_PROXY_NAME_LENGTH) {
      problems.add('name', name, `at most ${MAX_PROXY_NAME_LENGTH} characters, so that its "<name>-config" volume name stays a DNS label`);
    } else if (RULES.dnsLabel.test(name) && view) {
      if (containerNames(view).includes(name)) {
        problems.add('name', name, 'a container name not used by another container of the workload');
      }
    }
    const image = props.image ?? (twem ? undefined : HAPROXY_IMAGE);
    if (image === undefined) {
      if (kindOk) problems.add('image', undefined, 'a pinned twemproxy (nutcracker) image: no trustworthy public one exists, build one (e.g. debian:12.8-slim with the nutcracker package) and give it here');
    } else if (problems.check('image', image, RULES.image)) problems.check('image', image, RULES.pinnedImage);
    if (props.command !== undefined && !isStringList(props.command)) problems.add('command', props.command, 'a non-empty list of non-empty strings');

    // Upstreams
    const upstreams: ResolvedUpstream[] = [];
    if (problems.check('upstreams', props.upstreams, RULES.nonEmptyList)) {
      const seenAddr = new Set<string>();
      const seenName = new Set<string>();
      props.upstreams.forEach((u, i) => {
        const at = `upstreams[${i}]`;
        let host: unknown;
        let port: unknown;
        let uname: unknown;
        let weight: unknown = 1;
        if (typeof u === 'string') {
          const hp = splitHostPort(u);
          if (!hp) {
            problems.add(at, u, '"host:port" (IPv6 as "[address]:port") or { host, port }');
            return;
          }
          ({ host, port } = hp);
        } else if (u !== null && typeof u === 'object') {
          host = u.host;
          port = u.port;
          uname = u.name;
          weight = u.weight ?? 1;
          if (u.weight !== undefined && !twem) problems.add(`${at}.weight`, u.weight, 'unset unless kind is "twemproxy"');
        } else {
          problems.add(at, u, '"host:port" (IPv6 as "[address]:port") or { host, port }');
          return;
        }
        const hostOk = problems.check(`${at}.host`, host, HOST_RULE);
        const portOk = problems.check(`${at}.port`, port, RULES.port);
        if (twem && !(typeof weight === 'number' && Number.isInteger(weight) && weight >= 1 && weight <= 1000000)) {
          problems.add(`${at}.weight`, weight, 'a whole number from 1 to 1000000');
        }
        const resolvedName = uname ?? `${twem ? 'shard' : 'upstream'}-${i + 1}`;
        if (problems.check(`${at}.name`, resolvedName, RULES.dnsLabel)) {
          if (seenName.has(resolvedName as string)) problems.add(`${at}.name`, resolvedName, 'a server name not used by another upstream');
          seenName.add(resolvedName as string);
        }
        if (hostOk && portOk) {
          const key = `${(host as string).toLowerCase().replace(/\.$/, '')}:${port}`;
          if (seenAddr.has(key)) problems.add(at, typeof u === 'string' ? u : { host, port }, 'an upstream address not listed twice');
          seenAddr.add(key);
          upstreams.push({ host: host as string, port: port as number, name: resolvedName as string, weight: weight as number });
        }
      });
    }

    // Addresses and ports
    const bindAddress = props.bindAddress ?? DEFAULT_BIND_ADDRESS;
    problems.check('bindAddress', bindAddress, BIND_ADDRESS_RULE);
    const listenPort = props.listenPort ?? (twem ? (redis ? TWEMPROXY_DEFAULTS.redisPort : TWEMPROXY_DEFAULTS.memcachedPort) : undefined);
    if (listenPort === undefined) {
      if (kindOk) problems.add('listenPort', undefined, `${UNPRIVILEGED_PORT_RULE.expected}: the port the app connects to`);
    } else problems.check('listenPort', listenPort, UNPRIVILEGED_PORT_RULE);
    const loopback = isLoopback(bindAddress);
    const statsPort = props.statsPort ?? DEFAULT_TWEMPROXY_STATS_PORT;
    const useHealth = !twem && !!props.nativeSidecar && loopback;
    const healthPort = props.healthPort ?? DEFAULT_HAPROXY_HEALTH_PORT;
    if (twem && problems.check('statsPort', statsPort, UNPRIVILEGED_PORT_RULE) && statsPort === listenPort) {
      problems.add('statsPort', statsPort, `a port other than listenPort (${listenPort})`);
    }
    if (!twem && props.healthPort !== undefined && !useHealth) {
      problems.add('healthPort', props.healthPort, 'unset unless nativeSidecar is true and bindAddress is a loopback address (the kubelet\'s startup probe cannot reach loopback, so it probes this port instead)');
    } else if (useHealth && problems.check('healthPort', healthPort, UNPRIVILEGED_PORT_RULE) && healthPort === listenPort) {
      problems.add('healthPort', healthPort, `a port other than listenPort (${listenPort})`);
    }

    // App container and environment variable
    const envVar = props.envVar ?? (twem ? (redis ? 'REDIS_ADDR' : 'MEMCACHED_ADDR') : 'UPSTREAM_ADDR');
    problems.check('envVar', envVar, RULES.envName);
    const byApp = props.app !== undefined;
    const app = resolveAppContainer(problems, workload,
      { container: byApp ? props.app : props.appContainer, name: props.appContainerName },
      byApp ? { container: 'app', name: 'appContainerName' } : APP_CONTAINER_PROPS, true, view);
    if (app && RULES.envName.test(envVar) && (app.env ?? []).some((e: any) => e.name === envVar)) {
      problems.add('envVar', envVar, `a variable the app container ${JSON.stringify(app.name)} does not already set`);
    }

    // Kind-specific options
    const t = {
      hash: props.hash ?? TWEMPROXY_DEFAULTS.hash,
      distribution: props.distribution ?? TWEMPROXY_DEFAULTS.distribution,
      autoEjectHosts: props.autoEjectHosts ?? TWEMPROXY_DEFAULTS.autoEjectHosts,
      serverRetryTimeoutMs: props.serverRetryTimeoutMs ?? TWEMPROXY_DEFAULTS.serverRetryTimeoutMs,
      serverFailureLimit: props.serverFailureLimit ?? TWEMPROXY_DEFAULTS.serverFailureLimit,
      timeoutMs: props.timeoutMs ?? TWEMPROXY_DEFAULTS.timeoutMs,
    };
    const h = {
      mode: props.mode ?? HAPROXY_DEFAULTS.mode,
      balance: props.balance ?? HAPROXY_DEFAULTS.balance,
      maxConnections: props.maxConnections ?? HAPROXY_DEFAULTS.maxConnections,
      connectTimeoutMs: props.connectTimeoutMs ?? HAPROXY_DEFAULTS.connectTimeoutMs,
      clientTimeoutMs: props.clientTimeoutMs ?? HAPROXY_DEFAULTS.clientTimeoutMs,
      serverTimeoutMs: props.serverTimeoutMs ?? HAPROXY_DEFAULTS.serverTimeoutMs,
      upstreamTls: props.upstreamTls ?? false,
      // On by default unless a short name needs the pod's search domains (only the C library applies them).
      resolveAtRuntime: props.resolveAtRuntime ?? (upstreams.some((u) => isDnsName(u.host)) && !upstreams.some((u) => isShortName(u.host))),
      healthCheck: props.healthCheck ?? ProxyHealthCheck.TCP,
    };
    if (twem) {
      if (typeof redis !== 'boolean') problems.add('redis', redis, 'true (Redis) or false (memcached)');
      if (!(TWEMPROXY_HASHES as readonly string[]).includes(t.hash)) problems.add('hash', t.hash, oneOf(TWEMPROXY_HASHES));
      if (!(TWEMPROXY_DISTRIBUTIONS as readonly string[]).includes(t.distribution)) problems.add('distribution', t.distribution, oneOf(TWEMPROXY_DISTRIBUTIONS));
      if (typeof t.autoEjectHosts !== 'boolean') problems.add('autoEjectHosts', t.autoEjectHosts, 'true or false');
      problems.check('serverRetryTimeoutMs', t.serverRetryTimeoutMs, MILLISECONDS_RULE);
      if (!(Number.isInteger(t.serverFailureLimit) && t.serverFailureLimit >= 1 && t.serverFailureLimit <= 1000)) {
        problems.add('serverFailureLimit', t.serverFailureLimit, 'a whole number from 1 to 1000');
      }
      problems.check('timeoutMs', t.timeoutMs, MILLISECONDS_RULE);
    } else if (kindOk) {
      if (!(HAPROXY_MODES as readonly string[]).includes(h.mode)) problems.add('mode', h.mode, oneOf(HAPROXY_MODES));
      if (!(HAPROXY_BALANCES as readonly string[]).includes(h.balance)) problems.add('balance', h.balance, oneOf(HAPROXY_BALANCES));
      if (!(Number.isInteger(h.maxConnections) && h.maxConnections >= 1 && h.maxConnections <= 1000000)) {
        problems.add('maxConnections', h.maxConnections, 'a whole number from 1 to 1000000');
      }
      problems.check('connectTimeoutMs', h.connectTimeoutMs, MILLISECONDS_RULE);
      problems.check('clientTimeoutMs', h.clientTimeoutMs, MILLISECONDS_RULE);
      problems.check('serverTimeoutMs', h.serverTimeoutMs, MILLISECONDS_RULE);
      if (typeof h.upstreamTls !== 'boolean') problems.add('upstreamTls', h.upstreamTls, 'true or false');
      else if (h.upstreamTls) {
        const addresses = upstreams.filter((u) => !isDnsName(u.host)).map((u) => JSON.stringify(u.host));
        if (addresses.length > 0) {
          problems.add('upstreamTls', true, `false, or upstreams named by DNS names: the certificate is verified against the name (${addresses.join(', ')} ${addresses.length > 1 ? 'are addresses' : 'is an address'})`);
        }
      }
      if (typeof h.resolveAtRuntime !== 'boolean') problems.add('resolveAtRuntime', h.resolveAtRuntime, 'true or false');
      else if (h.resolveAtRuntime && !upstreams.some((u) => isDnsName(u.host))) {
        problems.add('resolveAtRuntime', true, 'false when every upstream is an IP address (there is no name to resolve)');
      } else if (h.resolveAtRuntime) {
        const short = upstreams.filter((u) => isShortName(u.host)).map((u) => JSON.stringify(u.host));
        if (short.length > 0) {
          problems.add('resolveAtRuntime', true, `false, or fully qualified upstream names (e.g. "<service>.<namespace>.svc.cluster.local"): HAProxy's runtime resolver does not apply the pod's DNS search domains, so ${short.join(', ')} would never resolve`);
        }
      }
      if (!(Object.values(ProxyHealthCheck) as string[]).includes(h.healthCheck)) {
        problems.add('healthCheck', h.healthCheck, oneOf(Object.values(ProxyHealthCheck)));
      } else if (h.healthCheck === ProxyHealthCheck.REDIS_PRIMARY && h.mode !== 'tcp') {
        problems.add('healthCheck', h.healthCheck, `unset or "${ProxyHealthCheck.TCP}" unless mode is "tcp" (HTTP mode checks with healthCheckPath)`);
      }
      if (props.hostHeader !== undefined) {
        if (h.mode !== 'http') problems.add('hostHeader', props.hostHeader, 'unset unless mode is "http"');
        else if (!isHostHeader(props.hostHeader)) {
          problems.add('hostHeader', props.hostHeader, 'a DNS name, optionally with ":port" (e.g. "api.example.com")');
        }
      }
      if (props.healthCheckPath !== undefined) {
        if (h.mode !== 'http') problems.add('healthCheckPath', props.healthCheckPath, 'unset unless mode is "http"');
        else problems.check('healthCheckPath', props.healthCheckPath, HTTP_PATH_RULE);
      }
    }
    problems.throwIfAny(this.node.path);
    this.labels = labels;

    // Resolved: render the configuration and the command line.
    this.kind = kind;
    this.upstreams = upstreams;
    this.bindAddress = bindAddress;
    this.listenPort = listenPort!;
    this.envVar = envVar;
    this.appContainerName = app.name;
    // The app dials this address; "localhost" could resolve to ::1 first, where nothing listens.
    this.localAddress = `${loopback ? bindAddress : '127.0.0.1'}:${this.listenPort}`;
    this.configDir = twem ? TWEMPROXY_CONFIG_DIR : HAPROXY_CONFIG_DIR;
    this.configFile = twem ? TWEMPROXY_CONFIG_FILE : HAPROXY_CONFIG_FILE;
    const configPath = `${this.configDir}/${this.configFile}`;
    // The kubelet probes the pod's IP: a loopback-bound proxy is probed on a port it binds on every interface.
    const probeAll = !!props.nativeSidecar && loopback;
    const statsAddress = probeAll ? '0.0.0.0' : bindAddress;
    if (twem) {
      this.config = renderTwemproxyConfig({ listenAddress: bindAddress, listenPort: this.listenPort, redis, ...t, upstreams });
      this.command = props.command ?? TWEMPROXY_COMMAND;
      this.args = twemproxyArgs({ configPath, statsAddress, statsPort });
    } else {
      this.config = renderHaproxyConfig({
        ...h,
        bindAddress,
        listenPort: this.listenPort,
        upstreams,
        hostHeader: props.hostHeader ?? (h.mode === 'http' ? commonHostName(upstreams) : undefined),
        healthCheckPath: props.healthCheckPath,
        health: useHealth ? { bindAddress: '0.0.0.0', port: healthPort } : undefined,
      });
      this.command = props.command ?? ['haproxy'];
      this.args = haproxyArgs(configPath);
    }
    if (props.nativeSidecar) {
      const port = k8s.IntOrString.fromNumber;
      const target: k8s.Probe = !probeAll
        ? { tcpSocket: { port: port(this.listenPort) } }
        : twem ? { tcpSocket: { port: port(statsPort) } } : { httpGet: { path: HAPROXY_HEALTH_PATH, port: port(healthPort) } };
      this.startupProbe = { ...target, ...PROXY_STARTUP_PROBE_TIMING };
    }

    // in the workload's namespace (a pod can only mount ConfigMaps of its own namespace)
    this.configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: helperObjectMetadata(workload!.apiObject, labels),
      data: { [this.configFile]: this.config },
    });
    this.volume = { name: `${name}-config`, configMap: { name: this.configMap.name } };

    const ports: PortOptions[] = [{ number: this.listenPort, name: PROXY_PORT_NAME }];
    if (twem) ports.push({ number: statsPort, name: 'stats' });
    if (useHealth) ports.push({ number: healthPort, name: 'health' });
    this.sidecar = attachHelper(this, props, {
      containers: [{
        name,
        image: image!,
        command: [...this.command],
        args: [...this.args],
        ports,
        // The official HAProxy image's own user; twemproxy images have none in common (65532).
        securityContext: twem ? { ...props.securityContext } : { runAsUser: HAPROXY_USER_ID, runAsGroup: HAPROXY_USER_ID, ...props.securityContext },
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
