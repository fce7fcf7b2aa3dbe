/**
 * The proxy ambassador's configuration and command lines, as pure functions of resolved options:
 * the same input always gives the same bytes. The construct renders them into its ConfigMap and
 * container; the integration tests run the same text through the real nutcracker and haproxy.
 */
import { isIPv4, isIPv6 } from 'net';
import { Rule } from './_pod/rules';

/** One upstream server, resolved (defaults applied, validated). */
export interface ResolvedUpstream {
  /** DNS name or IP address. */
  readonly host: string;
  /** TCP port, 1-65535. */
  readonly port: number;
  /** Server name (twemproxy hashes keys onto it; HAProxy logs it). */
  readonly name: string;
  /** twemproxy weight (ignored by HAProxy). */
  readonly weight: number;
}

/** A DNS name: labels of letters, digits and "-", at most 63 characters each, 253 in all. */
const DNS_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\.?$/;

/** Whether a string is a DNS name (not a dotted-number string that only looks like one). */
export function isDnsName(v: string): boolean {
  if (!DNS_NAME.test(v)) return false;
  const labels = v.replace(/\.$/, '').split('.');
  // "10.0.0.300" or "1.2.3" match the label syntax but are malformed IPv4 addresses, not names.
  return !/^\d+$/.test(labels[labels.length - 1]);
}

/** An upstream host: a DNS name or an IPv4 or IPv6 address. */
export const HOST_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && (isIPv4(v) || isIPv6(v) || isDnsName(v)),
  expected: 'a DNS name (letters, digits, "-" and ".", labels of at most 63 characters) or an IPv4 or IPv6 address',
};

/** An address a proxy binds inside the pod. */
export const BIND_ADDRESS_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && isIPv4(v),
  expected: 'an IPv4 address to bind in the pod, e.g. "127.0.0.1" (only the pod\'s containers) or "0.0.0.0" (every interface)',
};

/** A port a non-root process can bind. */
export const UNPRIVILEGED_PORT_RULE: Rule = {
  test: (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1024 && v <= 65535,
  expected: 'an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024)',
};

/** A positive whole number of milliseconds. */
export const MILLISECONDS_RULE: Rule = {
  test: (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1,
  expected: 'a whole number of milliseconds from 1 to 2147483647',
};

/** An HTTP path for health checks. */
export const HTTP_PATH_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^\/[A-Za-z0-9\-._~/%:@!&*+,=?]*$/.test(v),
  expected: 'an HTTP path starting with "/", made of letters, digits and "-._~/%:@!&*+,=?" (no spaces or quotes), e.g. "/healthz"',
};

/** Splits "host:port" (or "[v6]:port"); undefined when the string has no port. */
export function splitHostPort(v: string): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(v) ?? /^([^:]+):(\d+)$/.exec(v);
  if (!m) return undefined;
  return { host: m[1], port: Number(m[2]) };
}

/** How an address appears in "host:port" text (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// twemproxy (nutcracker)

/** The hash functions twemproxy 0.5.0 knows. */
export const TWEMPROXY_HASHES = [
  'one_at_a_time', 'md5', 'crc16', 'crc32', 'crc32a', 'fnv1_64', 'fnv1a_64', 'fnv1_32', 'fnv1a_32', 'hsieh', 'murmur', 'jenkins',
] as const;
/** A twemproxy hash function. */
export type TwemproxyHash = typeof TWEMPROXY_HASHES[number];

/** The key distributions twemproxy 0.5.0 knows. */
export const TWEMPROXY_DISTRIBUTIONS = ['ketama', 'modula', 'random'] as const;
/** A twemproxy key distribution. */
export type TwemproxyDistribution = typeof TWEMPROXY_DISTRIBUTIONS[number];

/** Name of the one server pool in the generated nutcracker.yml. */
export const TWEMPROXY_POOL_NAME = 'ambassador';

/** Resolved options of a twemproxy pool. */
export interface TwemproxyConfigOptions {
  /** Address the pool listens on. */
  readonly listenAddress: string;
  /** Port the pool listens on. */
  readonly listenPort: number;
  /** Redis protocol (true) or memcached (false). */
  readonly redis: boolean;
  /** The key hash function (`hash`). */
  readonly hash: TwemproxyHash;
  /** The key distribution (`distribution`), e.g. `ketama` (consistent hashing). */
  readonly distribution: TwemproxyDistribution;
  /** Take a failing server out of the pool (`auto_eject_hosts`). */
  readonly autoEjectHosts: boolean;
  /** How long an ejected server stays out, in milliseconds (`server_retry_timeout`). */
  readonly serverRetryTimeoutMs: number;
  /** Consecutive failures before a server is ejected (`server_failure_limit`). */
  readonly serverFailureLimit: number;
  /** How long to wait for a server connection or response, in milliseconds (`timeout`). */
  readonly timeoutMs: number;
  /** The servers of the pool, in order (`servers`, as `host:port:weight name`). */
  readonly upstreams: ResolvedUpstream[];
}

/**
 * Renders nutcracker.yml: one pool, servers as `host:port:weight name`. Every value is validated
 * before (names are DNS labels, hosts DNS names or IPs), so none needs YAML quoting.
 *
 * @see https://github.com/twitter/twemproxy#configuration
 */
export function renderTwemproxyConfig(o: TwemproxyConfigOptions): string {
  return [
    `${TWEMPROXY_POOL_NAME}:`,
    `  listen: ${o.listenAddress}:${o.listenPort}`,
    `  hash: ${o.hash}`,
    `  distribution: ${o.distribution}`,
    `  redis: ${o.redis}`,
    `  auto_eject_hosts: ${o.autoEjectHosts}`,
    `  server_retry_timeout: ${o.serverRetryTimeoutMs}`,
    `  server_failure_limit: ${o.serverFailureLimit}`,
    `  timeout: ${o.timeoutMs}`,
    '  servers:',
    // twemproxy splits "host:port:weight" at the last two colons, so IPv6 needs no brackets here.
    ...o.upstreams.map((u) => `    - ${u.host}:${u.port}:${u.weight} ${u.name}`),
    '',
  ].join('\n');
}

/** Resolved options of the nutcracker command line. */
export interface TwemproxyArgsOptions {
  /** Path of nutcracker.yml in the container. */
  readonly configPath: string;
  /** Address of the stats listener. */
  readonly statsAddress: string;
  /** Port of the stats listener. */
  readonly statsPort: number;
}

/**
 * The nutcracker arguments: the config file, the stats listener (nutcracker always opens one;
 * its default is 0.0.0.0:22222), and `--output=` (an empty log file name logs to stderr: the
 * Debian build defaults to /var/log/nutcracker/nutcracker.log, which a read-only root filesystem
 * cannot hold, and re-opening /dev/stderr can be refused to a non-root user). No pid file and no
 * daemon mode: nutcracker runs in the foreground as the container's process.
 */
export function twemproxyArgs(o: TwemproxyArgsOptions): string[] {
  return [
    `--conf-file=${o.configPath}`,
    `--stats-addr=${o.statsAddress}`,
    `--stats-port=${o.statsPort}`,
    '--output=',
  ];
}

// ---------------------------------------------------------------------------------------------
// HAProxy

/** HAProxy load-balancing algorithms the ambassador offers. */
export const HAPROXY_BALANCES = ['roundrobin', 'leastconn', 'first'] as const;
/** An HAProxy load-balancing algorithm: `first` sends everything to the first healthy server (failover). */
export type HaproxyBalance = typeof HAPROXY_BALANCES[number];

/** HAProxy proxy modes. */
export const HAPROXY_MODES = ['tcp', 'http'] as const;
/** An HAProxy proxy mode. */
export type HaproxyMode = typeof HAPROXY_MODES[number];

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
   * @default 'tcp'
   */
  readonly healthCheck?: HaproxyHealthCheck;
  /**
   * A frontend answering 200 on /healthz, for the kubelet's startup probe (address and port).
   * @default - no health frontend
   */
  readonly health?: HaproxyHealthFrontend;
}

/** Health-check timing of every server: every 5 s, down after 3 failures, up after 2 successes. */
export const HAPROXY_CHECK_TIMING = 'inter 5s fall 3 rise 2';

/** TCP-mode health checks of the HAProxy ambassador. */
export const HAPROXY_HEALTH_CHECKS = ['tcp', 'redis-primary'] as const;
/** A TCP-mode health check: `tcp` connects; `redis-primary` asks Redis for its replication role. */
export type HaproxyHealthCheck = typeof HAPROXY_HEALTH_CHECKS[number];

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
  const http = o.mode === 'http';
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
  const redisCheck = !http && o.healthCheck === 'redis-primary';
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
