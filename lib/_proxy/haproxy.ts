/**
 * The HAProxy backend of the proxy ambassador: its props, defaults, checks, and the pure
 * renderer of haproxy.cfg and of its command line (the same input always gives the same bytes;
 * the integration tests run the text through the real haproxy).
 *
 * @see https://docs.haproxy.org/3.0/configuration.html
 */
import { Duration } from 'cdk8s';
import * as k8s from '../_k8s';
import { Problems, Rule, RULES } from '../_pod/rules';
import {
  BackendModule, checkEnum, DURATION_TYPE, durationMs, hostPort, isDnsName, isLoopback, isShortName, ProxyKind, ResolvedUpstream,
  splitHostPort, UNPRIVILEGED_PORT_RULE,
} from './common';

/** HAProxy proxy modes (`mode`). */
export enum HaproxyMode {
  /** Forward TCP streams (any protocol: Redis, PostgreSQL, TLS passthrough). */
  TCP = 'tcp',
  /** Forward HTTP requests: enables `hostHeader` and `healthCheckPath`. */
  HTTP = 'http',
}

/** HAProxy load-balancing algorithms the ambassador offers (`balance`). */
export enum HaproxyBalance {
  /** Each server in turn. */
  ROUNDROBIN = 'roundrobin',
  /** The server with the fewest connections. */
  LEASTCONN = 'leastconn',
  /** Everything to the first healthy server in the given order: failover. */
  FIRST = 'first',
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

/**
 * The options of an HAProxy ambassador (`ProxyBackend.haproxy`).
 * @see https://docs.haproxy.org/3.0/configuration.html
 */
export interface HaproxyBackendProps {
  /**
   * Forward TCP streams, or HTTP requests (which enables `hostHeader` and `healthCheckPath`).
   * @default HaproxyMode.TCP
   */
  readonly mode?: HaproxyMode;
  /**
   * How connections are spread: round-robin, least connections, or `FIRST` (everything to the
   * first healthy server in the given order: failover).
   * @default HaproxyBalance.ROUNDROBIN
   */
  readonly balance?: HaproxyBalance;
  /**
   * Most concurrent connections, 1 to 1000000; bounds HAProxy's memory (about 32 KiB each).
   * @default 256
   */
  readonly maxConnections?: number;
  /**
   * Timeout to connect to a server: whole milliseconds, 1 ms to 2147483647 ms (`timeout connect`).
   * @default Duration.millis(5000)
   */
  readonly connectTimeout?: Duration;
  /**
   * Inactivity timeout on the app's side: whole milliseconds (`timeout client`).
   * @default Duration.millis(60000)
   */
  readonly clientTimeout?: Duration;
  /**
   * Inactivity timeout on the server's side: whole milliseconds (`timeout server`).
   * @default Duration.millis(60000)
   */
  readonly serverTimeout?: Duration;
  /**
   * Speak TLS to the upstreams (the app speaks plain text to the proxy), verified against the
   * image's system CAs and each upstream's host name (which must then be a DNS name).
   * @default false
   */
  readonly upstreamTls?: boolean;
  /**
   * Re-resolve the upstreams' host names every 5 s while running, through the pod's
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
   * TCP mode: how each server is health-checked. `REDIS_PRIMARY` sends `PING` and
   * `INFO replication` every second and sends traffic only to the server answering
   * `role:master`, so that a Redis primary/standby pair fails over when the standby is promoted
   * (and the app's connections to a demoted primary are closed). Servers must not require AUTH.
   * @default ProxyHealthCheck.TCP
   * @see https://redis.io/docs/latest/commands/info/
   */
  readonly healthCheck?: ProxyHealthCheck;
  /**
   * HTTP mode: the Host header sent upstream (the app addresses 127.0.0.1).
   * @default - the upstreams' host name when they all have the same one; otherwise the app's Host header, unchanged
   */
  readonly hostHeader?: string;
  /**
   * HTTP mode: check each server with `GET <path>` (2xx or 3xx is healthy).
   * @default - a TCP connect check
   */
  readonly healthCheckPath?: string;
  /**
   * Port of the health frontend (`GET /healthz` answers 200) that the kubelet's startup probe
   * reaches when the proxy is a native sidecar bound to loopback; 1024-65535.
   * @default 8404
   */
  readonly healthPort?: number;
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
 * What an HAProxy ambassador with no options gets (`ProxyBackend.HAPROXY_DEFAULTS`); `resolveAtRuntime`,
 * `hostHeader` and `healthCheckPath` have no fixed default (they follow the upstreams), nor has
 * `healthPort` (given only to a loopback-bound native sidecar; DEFAULT_HAPROXY_HEALTH_PORT).
 */
export const HAPROXY_DEFAULTS: HaproxyBackendProps = Object.freeze({
  mode: HaproxyMode.TCP,
  balance: HaproxyBalance.ROUNDROBIN,
  maxConnections: 256,
  connectTimeout: Duration.millis(5000),
  clientTimeout: Duration.millis(60000),
  serverTimeout: Duration.millis(60000),
  upstreamTls: false,
  healthCheck: ProxyHealthCheck.TCP,
});

/** An HTTP path for health checks. */
const HTTP_PATH_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^\/[A-Za-z0-9\-._~/%:@!&*+,=?]*$/.test(v),
  expected: 'an HTTP path starting with "/", made of letters, digits and "-._~/%:@!&*+,=?" (no spaces or quotes), e.g. "/healthz"',
};

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

/** Name of the frontend the app connects to. */
export const HAPROXY_FRONTEND = 'ambassador';
/** Name of the backend holding the upstream servers. */
export const HAPROXY_BACKEND = 'upstreams';
/** Name of the resolvers section (runtime DNS resolution). */
export const HAPROXY_RESOLVERS = 'dns';
/** HAProxy's health frontend: answers 200 on /healthz, for the kubelet's startup probe. */
export interface HaproxyHealthFrontend {
  /** The address the health frontend binds (`0.0.0.0`: the kubelet probes the pod's address). */
  readonly bindAddress: string;
  /** The port of the health frontend. */
  readonly port: number;
}

/** Path of HAProxy's monitor URI on the health frontend. */
export const HAPROXY_HEALTH_PATH = '/healthz';

/** Resolved options of an HAProxy ambassador. */
export interface HaproxyConfigOptions {
  /** Forward TCP streams or HTTP requests (`mode`). */
  readonly mode: HaproxyMode;
  /** The address the frontend binds in the pod (`127.0.0.1`: only the pod's containers reach it). */
  readonly bindAddress: string;
  /** The port the frontend listens on, the one the app connects to. */
  readonly listenPort: number;
  /** How connections are spread over the servers (`balance`). */
  readonly balance: HaproxyBalance;
  /** The servers of the backend, in order. */
  readonly upstreams: ResolvedUpstream[];
  /** Most concurrent connections (global maxconn): bounds the memory HAProxy takes. */
  readonly maxConnections: number;
  /** Timeout to connect to a server, in milliseconds (`timeout connect`). */
  readonly connectTimeoutMs: number;
  /** Inactivity timeout on the app's side, in milliseconds (`timeout client`). */
  readonly clientTimeoutMs: number;
  /** Inactivity timeout on the server's side, in milliseconds (`timeout server`). */
  readonly serverTimeoutMs: number;
  /** Originate TLS to the upstreams, verified against the system CAs and each host name. */
  readonly upstreamTls: boolean;
  /**
   * HTTP mode: the Host header sent upstream.
   * @default - the app's Host header, unchanged (an HTTP health check then sends the first upstream's host name)
   */
  readonly hostHeader?: string;
  /**
   * HTTP mode: the path of an HTTP health check (`GET <path>`, 2xx or 3xx is healthy).
   * @default - a TCP connect check
   */
  readonly healthCheckPath?: string;
  /**
   * Re-resolve the upstreams' host names while running (see {@link HAPROXY_RESOLVER_SETTINGS}),
   * through the pod's /etc/resolv.conf nameservers, without its search domains. Either way a
   * server's name is first resolved with `init-addr last,libc,none`: a name that does not resolve
   * at start leaves that server down, never HAProxy.
   * @default false
   */
  readonly resolveAtRuntime?: boolean;
  /**
   * How each server is health-checked in TCP mode: `tcp` connects; `redis-primary` sends
   * `PING` and `INFO replication` and is healthy only on `role:master` (see {@link HAPROXY_REDIS_PRIMARY_CHECK}).
   * @default ProxyHealthCheck.TCP
   */
  readonly healthCheck?: ProxyHealthCheck;
  /**
   * A frontend answering 200 on /healthz, for the kubelet's startup probe (address and port).
   * @default - no health frontend
   */
  readonly health?: HaproxyHealthFrontend;
}

/** Health-check timing of every server: every 5 s, down after 3 failures, up after 2 successes. */
export const HAPROXY_CHECK_TIMING = 'inter 5s fall 3 rise 2';

/**
 * Health-check timing with the `redis-primary` check: every second, down after 2 failures, up
 * after 1 success. A failing check waits its 1 s timeout for `role:master`, so a demoted primary
 * is down after about 4 s: measured with real redis-servers, every new connection lands on the
 * promoted replica 4.5 s after the promotion. The check is a few bytes each way on one connection
 * per second and server.
 */
export const HAPROXY_REDIS_CHECK_TIMING = 'inter 1s fall 2 rise 1';

/**
 * The `redis-primary` check: `PING` (answers `+PONG` when the server is up and needs no
 * password), then `INFO replication`, healthy only when the answer has `role:master`, then
 * `QUIT`. A replica answers `role:slave` and is marked down; `on-marked-down shutdown-sessions`
 * closes the app's connections to a server that goes down, so they reconnect to the new primary
 * instead of writing to a replica. Servers that require AUTH answer `-NOAUTH` and stay down.
 *
 * @see https://docs.haproxy.org/3.0/configuration.html#4.2-tcp-check%20expect
 */
export const HAPROXY_REDIS_PRIMARY_CHECK = [
  'option tcp-check',
  'tcp-check connect',
  'tcp-check send PING\\r\\n',
  'tcp-check expect string +PONG',
  'tcp-check send info\\ replication\\r\\n',
  'tcp-check expect string role:master',
  'tcp-check send QUIT\\r\\n',
  'tcp-check expect string +OK',
] as const;

/**
 * The `resolvers` section of runtime resolution, chosen on purpose (HAProxy's own defaults: hold
 * 10 s for every status, resolve every 1 s):
 * - `parse-resolv-conf`: the pod's nameservers (kube-dns), read from /etc/resolv.conf. Its
 *   `search` line is NOT used: HAProxy's resolver sends names as they are written.
 * - `resolve_retries 3`, `timeout retry 1s`: a lost UDP answer is asked again 3 times, 1 s apart.
 * - `timeout resolve 5s`: every name is re-resolved every 5 s (a Service recreated with a new
 *   ClusterIP, an external API's rotating addresses are followed within 5 s).
 * - `hold valid 10s`: an answer is used for 10 s before the next one is required.
 * - `hold nx 30s`, `hold timeout 30s`, `hold refused 30s`, `hold other 30s`: a name that stops
 *   resolving (a Service deleted and re-created, a DNS outage) keeps its last address for 30 s
 *   before its server goes down; health checks still decide whether it gets traffic.
 * - `hold obsolete 30s`: an address gone from the answer is kept 30 s (in-flight connections).
 *
 * @see https://docs.haproxy.org/3.0/configuration.html#5.3.2
 */
export const HAPROXY_RESOLVER_SETTINGS = [
  'parse-resolv-conf',
  'resolve_retries 3',
  'timeout resolve 5s',
  'timeout retry 1s',
  'hold valid 10s',
  'hold nx 30s',
  'hold timeout 30s',
  'hold refused 30s',
  'hold other 30s',
  'hold obsolete 30s',
] as const;

/**
 * How a server gets its first address: the state file of a reload (`last`, none here), then the
 * C library (`libc`: /etc/hosts and the pod's search domains), and if the name does not resolve,
 * no address (`none`): the server starts down instead of HAProxy refusing to start.
 */
export const HAPROXY_INIT_ADDR = 'init-addr last,libc,none';

function haproxyServer(u: ResolvedUpstream, o: HaproxyConfigOptions): string {
  const parts = [`    server ${u.name} ${hostPort(u.host, u.port)} check`];
  if (o.upstreamTls) {
    // `ssl verify required` alone checks the chain only; sni and verifyhost pin the host name.
    parts.push(`ssl verify required ca-file @system-ca sni str(${u.host}) verifyhost ${u.host} check-sni ${u.host}`);
  }
  return parts.join(' ');
}

/**
 * Renders haproxy.cfg. The `global` section has no `daemon`, `chroot`, `user` or `group`, so
 * HAProxy runs in the foreground as the image's non-root user on a read-only root filesystem; it
 * logs to stdout; `maxconn` and `nbthread 1` bound its memory (its automatic values follow the
 * node's file-descriptor limit and CPU count, not the container's limits).
 *
 * @see https://docs.haproxy.org/3.0/configuration.html
 */
export function renderHaproxyConfig(o: HaproxyConfigOptions): string {
  const http = o.mode === HaproxyMode.HTTP;
  const lines = [
    'global',
    '    log stdout format raw local0',
    `    maxconn ${o.maxConnections}`,
    '    nbthread 1',
    '',
    ...(o.resolveAtRuntime ? [`resolvers ${HAPROXY_RESOLVERS}`, ...HAPROXY_RESOLVER_SETTINGS.map((x) => `    ${x}`), ''] : []),
    'defaults',
    `    mode ${o.mode}`,
    '    log global',
    `    option ${http ? 'httplog' : 'tcplog'}`,
    '    option dontlognull',
    `    timeout connect ${o.connectTimeoutMs}ms`,
    `    timeout client ${o.clientTimeoutMs}ms`,
    `    timeout server ${o.serverTimeoutMs}ms`,
    ...(http ? ['    timeout http-request 10s'] : []),
    '    retries 3',
    '',
    `frontend ${HAPROXY_FRONTEND}`,
    `    bind ${o.bindAddress}:${o.listenPort}`,
    `    default_backend ${HAPROXY_BACKEND}`,
    '',
  ];
  if (o.health) {
    lines.push(
      'frontend health',
      '    mode http',
      `    bind ${o.health.bindAddress}:${o.health.port}`,
      `    monitor-uri ${HAPROXY_HEALTH_PATH}`,
      '',
    );
  }
  lines.push(`backend ${HAPROXY_BACKEND}`, `    balance ${o.balance}`);
  if (http && o.healthCheckPath !== undefined) {
    lines.push(
      '    option httpchk',
      `    http-check send meth GET uri ${o.healthCheckPath} ver HTTP/1.1 hdr Host ${o.hostHeader ?? o.upstreams[0].host}`,
      '    http-check expect status 200-399',
    );
  }
  const redisCheck = !http && o.healthCheck === ProxyHealthCheck.REDIS_PRIMARY;
  if (redisCheck) lines.push(...HAPROXY_REDIS_PRIMARY_CHECK.map((x) => `    ${x}`));
  if (http && o.hostHeader !== undefined) lines.push(`    http-request set-header Host ${o.hostHeader}`);
  // A name that does not resolve at start leaves its server down (until it resolves, with runtime resolution), never HAProxy.
  const named = o.upstreams.some((u) => isDnsName(u.host));
  lines.push(`    default-server ${[
    redisCheck ? `${HAPROXY_REDIS_CHECK_TIMING} on-marked-down shutdown-sessions` : HAPROXY_CHECK_TIMING,
    ...(o.resolveAtRuntime ? [`resolvers ${HAPROXY_RESOLVERS} resolve-prefer ipv4`] : []),
    ...(named ? [HAPROXY_INIT_ADDR] : []),
  ].join(' ')}`);
  lines.push(...o.upstreams.map((u) => haproxyServer(u, o)), '');
  return lines.join('\n');
}

/** The haproxy arguments: stay in the foreground (`-db`), read the given configuration file. */
export function haproxyArgs(configPath: string): string[] {
  return ['-db', '-f', configPath];
}

/** The HAProxy backend: props, defaults, checks and renderer. */
export const HAPROXY_MODULE: BackendModule<HaproxyBackendProps> = {
  kind: ProxyKind.HAPROXY,
  shape: {
    mode: 'string',
    balance: 'string',
    maxConnections: 'number',
    connectTimeout: DURATION_TYPE,
    clientTimeout: DURATION_TYPE,
    serverTimeout: DURATION_TYPE,
    upstreamTls: 'boolean',
    resolveAtRuntime: 'boolean',
    healthCheck: 'string',
    hostHeader: 'string',
    healthCheckPath: 'string',
    healthPort: 'number',
  },

  defaults() {
    return {
      containerName: 'haproxy',
      image: HAPROXY_IMAGE,
      command: ['haproxy'],
      envVar: 'UPSTREAM_ADDR',
      serverPrefix: 'upstream',
      weights: false,
      configDir: HAPROXY_CONFIG_DIR,
      configFile: HAPROXY_CONFIG_FILE,
      // the official image's own user
      securityContext: { runAsUser: HAPROXY_USER_ID, runAsGroup: HAPROXY_USER_ID },
    };
  },

  check(problems: Problems, o, ctx) {
    const d = HAPROXY_DEFAULTS;
    const { upstreams } = ctx;
    // The kubelet's startup probe cannot reach loopback: a loopback-bound native sidecar gets a health frontend.
    const useHealth = ctx.nativeSidecar && isLoopback(ctx.bindAddress);
    const healthPort = o.healthPort ?? DEFAULT_HAPROXY_HEALTH_PORT;
    if (o.healthPort !== undefined && !useHealth) {
      problems.add('backend.healthPort', o.healthPort, 'unset unless nativeSidecar is true and bindAddress is a loopback address (the kubelet\'s startup probe cannot reach loopback, so it probes this port instead)');
    } else if (useHealth && problems.check('backend.healthPort', healthPort, UNPRIVILEGED_PORT_RULE) && healthPort === ctx.listenPort) {
      problems.add('backend.healthPort', healthPort, `a port other than listenPort (${ctx.listenPort})`);
    }
    const mode = o.mode ?? d.mode!;
    const balance = o.balance ?? d.balance!;
    checkEnum(problems, 'backend.mode', mode, HaproxyMode);
    checkEnum(problems, 'backend.balance', balance, HaproxyBalance);
    const maxConnections = o.maxConnections ?? d.maxConnections!;
    if (!(Number.isInteger(maxConnections) && maxConnections >= 1 && maxConnections <= 1000000)) {
      problems.add('backend.maxConnections', maxConnections, 'a whole number from 1 to 1000000');
    }
    const connectTimeoutMs = durationMs(problems, 'backend.connectTimeout', o.connectTimeout ?? d.connectTimeout!);
    const clientTimeoutMs = durationMs(problems, 'backend.clientTimeout', o.clientTimeout ?? d.clientTimeout!);
    const serverTimeoutMs = durationMs(problems, 'backend.serverTimeout', o.serverTimeout ?? d.serverTimeout!);
    const upstreamTls = o.upstreamTls ?? d.upstreamTls!;
    if (upstreamTls) {
      const addresses = upstreams.filter((u) => !isDnsName(u.host)).map((u) => JSON.stringify(u.host));
      if (addresses.length > 0) {
        problems.add('backend.upstreamTls', true, `false, or upstreams named by DNS names: the certificate is verified against the name (${addresses.join(', ')} ${addresses.length > 1 ? 'are addresses' : 'is an address'})`);
      }
    }
    // On by default unless a short name needs the pod's search domains (only the C library applies them).
    const resolveAtRuntime = o.resolveAtRuntime ?? (upstreams.some((u) => isDnsName(u.host)) && !upstreams.some((u) => isShortName(u.host)));
    if (resolveAtRuntime && !upstreams.some((u) => isDnsName(u.host))) {
      problems.add('backend.resolveAtRuntime', true, 'false when every upstream is an IP address (there is no name to resolve)');
    } else if (resolveAtRuntime) {
      const short = upstreams.filter((u) => isShortName(u.host)).map((u) => JSON.stringify(u.host));
      if (short.length > 0) {
        problems.add('backend.resolveAtRuntime', true, `false, or fully qualified upstream names (e.g. "<service>.<namespace>.svc.cluster.local"): HAProxy's runtime resolver does not apply the pod's DNS search domains, so ${short.join(', ')} would never resolve`);
      }
    }
    const healthCheck = o.healthCheck ?? d.healthCheck!;
    if (checkEnum(problems, 'backend.healthCheck', healthCheck, ProxyHealthCheck) && healthCheck === ProxyHealthCheck.REDIS_PRIMARY && mode !== HaproxyMode.TCP) {
      problems.add('backend.healthCheck', healthCheck, `unset or "${ProxyHealthCheck.TCP}" unless mode is "${HaproxyMode.TCP}" (HTTP mode checks with healthCheckPath)`);
    }
    const http = mode === HaproxyMode.HTTP;
    if (o.hostHeader !== undefined) {
      if (!http) problems.add('backend.hostHeader', o.hostHeader, `unset unless mode is "${HaproxyMode.HTTP}"`);
      else if (!isHostHeader(o.hostHeader)) problems.add('backend.hostHeader', o.hostHeader, 'a DNS name, optionally with ":port" (e.g. "api.example.com")');
    }
    if (o.healthCheckPath !== undefined) {
      if (!http) problems.add('backend.healthCheckPath', o.healthCheckPath, `unset unless mode is "${HaproxyMode.HTTP}"`);
      else problems.check('backend.healthCheckPath', o.healthCheckPath, HTTP_PATH_RULE);
    }
    return () => ({
      config: renderHaproxyConfig({
        mode,
        balance,
        maxConnections,
        connectTimeoutMs: connectTimeoutMs!,
        clientTimeoutMs: clientTimeoutMs!,
        serverTimeoutMs: serverTimeoutMs!,
        upstreamTls,
        resolveAtRuntime,
        healthCheck,
        bindAddress: ctx.bindAddress,
        listenPort: ctx.listenPort!,
        upstreams,
        hostHeader: o.hostHeader ?? (http ? commonHostName(upstreams) : undefined),
        healthCheckPath: o.healthCheckPath,
        health: useHealth ? { bindAddress: '0.0.0.0', port: healthPort } : undefined,
      }),
      args: haproxyArgs(ctx.configPath),
      extraPorts: useHealth ? [{ number: healthPort, name: 'health' }] : [],
      loopbackProbe: { httpGet: { path: HAPROXY_HEALTH_PATH, port: k8s.IntOrString.fromNumber(healthPort) } },
    });
  },
};
