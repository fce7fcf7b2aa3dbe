/**
 * The twemproxy (nutcracker) backend of the proxy ambassador: its props, defaults, checks, and
 * the pure renderer of nutcracker.yml and of its command line (the same input always gives the
 * same bytes; the integration tests run the text through the real nutcracker).
 *
 * @see https://github.com/twitter/twemproxy#configuration
 */
import { Duration } from 'cdk8s';
import * as k8s from '../_k8s';
import { Problems } from '../_pod/rules';
import {
  BackendModule, checkEnum, DURATION_TYPE, durationMs, isLoopback, ProxyKind, ResolvedUpstream, UNPRIVILEGED_PORT_RULE,
} from './common';

/** The key hash functions twemproxy 0.5.0 knows (`hash`). */
export enum TwemproxyHash {
  /** Bob Jenkins' one-at-a-time hash. */
  ONE_AT_A_TIME = 'one_at_a_time',
  /** MD5. */
  MD5 = 'md5',
  /** CRC-16. */
  CRC16 = 'crc16',
  /** CRC-32 (as libmemcached computes it). */
  CRC32 = 'crc32',
  /** CRC-32 (the standard algorithm). */
  CRC32A = 'crc32a',
  /** FNV-1, 64 bits. */
  FNV1_64 = 'fnv1_64',
  /** FNV-1a, 64 bits (the default). */
  FNV1A_64 = 'fnv1a_64',
  /** FNV-1, 32 bits. */
  FNV1_32 = 'fnv1_32',
  /** FNV-1a, 32 bits. */
  FNV1A_32 = 'fnv1a_32',
  /** Paul Hsieh's SuperFastHash. */
  HSIEH = 'hsieh',
  /** MurmurHash. */
  MURMUR = 'murmur',
  /** Bob Jenkins' lookup hash. */
  JENKINS = 'jenkins',
}

/** The key distributions twemproxy 0.5.0 knows (`distribution`). */
export enum TwemproxyDistribution {
  /** Consistent hashing: adding or removing a server moves about 1/n of the keys. */
  KETAMA = 'ketama',
  /** Hash modulo the number of servers: adding a server moves most keys. */
  MODULA = 'modula',
  /** A random server for every request (for caches only). */
  RANDOM = 'random',
}

/**
 * The options of a twemproxy ambassador (`ProxyBackend.twemproxy`).
 * @see https://github.com/twitter/twemproxy#configuration
 */
export interface TwemproxyBackendProps {
  /**
   * Redis protocol (true) or memcached (false).
   * @default true
   */
  readonly redis?: boolean;
  /**
   * The key hash function.
   * @default TwemproxyHash.FNV1A_64
   */
  readonly hash?: TwemproxyHash;
  /**
   * The key distribution.
   * @default TwemproxyDistribution.KETAMA (consistent hashing: adding a server moves about 1/n of the keys)
   */
  readonly distribution?: TwemproxyDistribution;
  /**
   * Take a failing server out of the pool (its keys go to the others) and retry it after
   * `serverRetryTimeout`. Turn it on for caches only: ejecting a server of a store moves its keys.
   * @default false
   */
  readonly autoEjectHosts?: boolean;
  /**
   * How long an ejected server stays out: whole milliseconds, 1 ms to 2147483647 ms.
   * @default Duration.millis(30000)
   */
  readonly serverRetryTimeout?: Duration;
  /**
   * Consecutive failures before a server is ejected, 1 to 1000.
   * @default 2
   */
  readonly serverFailureLimit?: number;
  /**
   * How long to wait for a server connection or response: whole milliseconds, 1 ms to 2147483647 ms.
   * @default Duration.millis(1000)
   */
  readonly timeout?: Duration;
  /**
   * Port of nutcracker's stats listener (JSON on connect), bound like the proxy; 1024-65535.
   * @default 22222
   */
  readonly statsPort?: number;
}

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
/** Name of the one server pool in the generated nutcracker.yml. */
export const TWEMPROXY_POOL_NAME = 'ambassador';

/** The default `listenPort` of a twemproxy ambassador: Redis's own port, or memcached's. */
export const TWEMPROXY_LISTEN_PORTS = { redis: 6379, memcached: 11211 } as const;

/** What a twemproxy ambassador with no options gets (`ProxyBackend.TWEMPROXY_DEFAULTS`). */
export const TWEMPROXY_DEFAULTS: TwemproxyBackendProps = Object.freeze({
  redis: true,
  hash: TwemproxyHash.FNV1A_64,
  distribution: TwemproxyDistribution.KETAMA,
  // off: ejecting a server moves its keys to the others (fine for a cache, wrong for a store)
  autoEjectHosts: false,
  serverRetryTimeout: Duration.millis(30000),
  serverFailureLimit: 2,
  timeout: Duration.millis(1000),
  statsPort: DEFAULT_TWEMPROXY_STATS_PORT,
});

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

/** The twemproxy backend: props, defaults, checks and renderer. */
export const TWEMPROXY_MODULE: BackendModule<TwemproxyBackendProps> = {
  kind: ProxyKind.TWEMPROXY,
  shape: {
    redis: 'boolean',
    hash: 'string',
    distribution: 'string',
    autoEjectHosts: 'boolean',
    serverRetryTimeout: DURATION_TYPE,
    serverFailureLimit: 'number',
    timeout: DURATION_TYPE,
    statsPort: 'number',
  },

  defaults(o) {
    const redis = o.redis ?? TWEMPROXY_DEFAULTS.redis;
    return {
      containerName: 'twemproxy',
      imageRequired: 'a pinned twemproxy (nutcracker) image: no trustworthy public one exists, build one (e.g. debian:12.8-slim with the nutcracker package) and give it here',
      command: TWEMPROXY_COMMAND,
      listenPort: redis ? TWEMPROXY_LISTEN_PORTS.redis : TWEMPROXY_LISTEN_PORTS.memcached,
      envVar: redis ? 'REDIS_ADDR' : 'MEMCACHED_ADDR',
      serverPrefix: 'shard',
      weights: true,
      configDir: TWEMPROXY_CONFIG_DIR,
      configFile: TWEMPROXY_CONFIG_FILE,
      // twemproxy images have no user in common: the hardening default (65532) applies
      securityContext: {},
    };
  },

  check(problems: Problems, o, ctx) {
    const d = TWEMPROXY_DEFAULTS;
    const statsPort = o.statsPort ?? DEFAULT_TWEMPROXY_STATS_PORT;
    if (problems.check('backend.statsPort', statsPort, UNPRIVILEGED_PORT_RULE) && statsPort === ctx.listenPort) {
      problems.add('backend.statsPort', statsPort, `a port other than listenPort (${ctx.listenPort})`);
    }
    const hash = o.hash ?? d.hash!;
    const distribution = o.distribution ?? d.distribution!;
    checkEnum(problems, 'backend.hash', hash, TwemproxyHash);
    checkEnum(problems, 'backend.distribution', distribution, TwemproxyDistribution);
    const serverRetryTimeoutMs = durationMs(problems, 'backend.serverRetryTimeout', o.serverRetryTimeout ?? d.serverRetryTimeout!);
    const serverFailureLimit = o.serverFailureLimit ?? d.serverFailureLimit!;
    if (!(Number.isInteger(serverFailureLimit) && serverFailureLimit >= 1 && serverFailureLimit <= 1000)) {
      problems.add('backend.serverFailureLimit', serverFailureLimit, 'a whole number from 1 to 1000');
    }
    const timeoutMs = durationMs(problems, 'backend.timeout', o.timeout ?? d.timeout!);
    // The kubelet probes the pod's IP: a loopback-bound native sidecar's stats listener binds every interface.
    const statsAddress = ctx.nativeSidecar && isLoopback(ctx.bindAddress) ? '0.0.0.0' : ctx.bindAddress;
    return () => ({
      config: renderTwemproxyConfig({
        listenAddress: ctx.bindAddress,
        listenPort: ctx.listenPort!,
        redis: o.redis ?? d.redis!,
        hash,
        distribution,
        autoEjectHosts: o.autoEjectHosts ?? d.autoEjectHosts!,
        serverRetryTimeoutMs: serverRetryTimeoutMs!,
        serverFailureLimit,
        timeoutMs: timeoutMs!,
        upstreams: ctx.upstreams,
      }),
      args: twemproxyArgs({ configPath: ctx.configPath, statsAddress, statsPort }),
      extraPorts: [{ number: statsPort, name: 'stats' }],
      loopbackProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(statsPort) } },
    });
  },
};
