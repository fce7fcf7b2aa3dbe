/**
 * What both proxy backends of the ambassador share: the upstream model, the address and port
 * rules, durations in milliseconds, and the contract a backend module (haproxy.ts, twemproxy.ts)
 * fulfils for the construct (lib/proxy-ambassador.ts).
 */
import { isIPv4, isIPv6 } from 'net';
import type { Duration } from 'cdk8s';
import * as k8s from '../_k8s';
import { PortOptions } from '../_pod/container';
import { isDuration, PropShape, PropType, Problems, Rule, RULES } from '../_pod/rules';
import { ContainerSecurityOptions } from '../_pod/security';

/** The proxies a `ProxyAmbassador` can run (the `kind` of a `ProxyBackend`). */
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

/** One upstream server of a `ProxyAmbassador`. */
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
   * twemproxy weight: the share of keys relative to the other servers (twemproxy only).
   * @default 1
   */
  readonly weight?: number;
}

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

/**
 * Whether `v` is an IPv6 address, as `net.isIPv6` says. Every IPv6 address has a ":" (at least
 * "::"), and `net.isIPv6` compiles its large expression on its first call (~3 ms of a synth's
 * start), so a host without one is answered without it.
 */
export function isIPv6Address(v: string): boolean {
  return v.includes(':') && isIPv6(v);
}

/** An upstream host: a DNS name or an IPv4 or IPv6 address. */
export const HOST_RULE: Rule = {
  test: (v: unknown) => typeof v === 'string' && (isIPv4(v) || isIPv6Address(v) || isDnsName(v)),
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

/** Splits "host:port" (or "[v6]:port"); undefined when the string has no port. */
export function splitHostPort(v: string): { host: string; port: number } | undefined {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(v) ?? /^([^:]+):(\d+)$/.exec(v);
  if (!m) return undefined;
  return { host: m[1], port: Number(m[2]) };
}

/** How an address appears in "host:port" text (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return isIPv6Address(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Checks the upstreams and applies their defaults (server names `<prefix>-<n>`, weight 1). */
export function resolveUpstreams(problems: Problems, given: Array<string | ProxyUpstream>, prefix: string, weights: boolean): ResolvedUpstream[] {
  const upstreams: ResolvedUpstream[] = [];
  if (!problems.check('upstreams', given, RULES.nonEmptyList)) return upstreams;
  const seenAddr = new Set<string>();
  const seenName = new Set<string>();
  given.forEach((u, i) => {
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
    } else {
      ({ host, port, name: uname } = u);
      weight = u.weight ?? 1;
      if (u.weight !== undefined && !weights) problems.add(`${at}.weight`, u.weight, 'unset unless backend is ProxyBackend.twemproxy() (HAProxy has no weights here)');
    }
    const hostOk = problems.check(`${at}.host`, host, HOST_RULE);
    const portOk = problems.check(`${at}.port`, port, RULES.port);
    if (weights && !(typeof weight === 'number' && Number.isInteger(weight) && weight >= 1 && weight <= 1000000)) {
      problems.add(`${at}.weight`, weight, 'a whole number from 1 to 1000000');
    }
    const resolvedName = uname ?? `${prefix}-${i + 1}`;
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
  return upstreams;
}

/** Whether an IPv4 bind address is loopback: the kubelet's probes (sent to the pod's IP) cannot reach it. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.');
}

/** "one of "a", "b"". */
export const oneOf = (list: readonly string[]) => `one of ${list.map((x) => JSON.stringify(x)).join(', ')}`;

/** Checks a string-enum value (untyped callers pass the strings); records a problem naming every valid value. */
export function checkEnum(problems: Problems, prop: string, value: unknown, e: Record<string, string>): boolean {
  const values = Object.values(e);
  if (values.includes(value as string)) return true;
  problems.add(prop, value, oneOf(values));
  return false;
}

/** The largest duration a proxy option takes: 2^31-1 ms (about 24.8 days; what both proxies parse). */
const MAX_MILLISECONDS = 2 ** 31 - 1;

/** A Duration prop of a backend (its value is checked by {@link durationMs}). */
export const DURATION_TYPE: PropType = {
  instance: 'a Duration (e.g. Duration.millis(1000) or Duration.seconds(5))',
  test: isDuration,
};

/**
 * The whole milliseconds of a Duration option from 1 ms to 2147483647 ms; records a problem (with
 * the value in milliseconds) and returns undefined otherwise. The proxies are configured in
 * milliseconds, so the text they get is exactly this number.
 */
export function durationMs(problems: Problems, prop: string, d: Duration): number | undefined {
  const ms = d.toMilliseconds({ integral: false });
  if (Number.isInteger(ms) && ms >= 1 && ms <= MAX_MILLISECONDS) return ms;
  problems.add(prop, `${ms} ms`, `a Duration of whole milliseconds from 1 ms to ${MAX_MILLISECONDS} ms (e.g. Duration.millis(1000))`);
  return undefined;
}

/** What the construct needs from a backend before the shared checks: its defaults (no validation). */
export interface BackendDefaults {
  /** The proxy container's name. */
  readonly containerName: string;
  /** The image; undefined when the backend has none (then `imageRequired` is the expected text). */
  readonly image?: string;
  /** Expected text when `image` is missing. */
  readonly imageRequired?: string;
  /** The proxy's command. */
  readonly command: string[];
  /** The listen port; undefined when the user must give it. */
  readonly listenPort?: number;
  /** The app's environment variable. */
  readonly envVar: string;
  /** Prefix of default server names (`<prefix>-<n>`). */
  readonly serverPrefix: string;
  /** Whether upstreams may have weights. */
  readonly weights: boolean;
  /** Where the configuration is mounted, and its file name (the ConfigMap key). */
  readonly configDir: string;
  readonly configFile: string;
  /** Security settings of the backend's image (its own user), under the user's. */
  readonly securityContext: ContainerSecurityOptions;
}

/** The resolved shared props a backend's checks and renderer read. */
export interface BackendContext {
  readonly upstreams: ResolvedUpstream[];
  readonly bindAddress: string;
  /** The listen port (user's or default); may be invalid (then a problem is already recorded). */
  readonly listenPort: number | undefined;
  readonly nativeSidecar: boolean;
  /** Where the configuration file is in the container. */
  readonly configPath: string;
}

/** What a backend renders once every check passed. */
export interface BackendPlan {
  /** The configuration text (the ConfigMap's one file). */
  readonly config: string;
  /** The proxy's arguments. */
  readonly args: string[];
  /** Ports besides the listen port. */
  readonly extraPorts: PortOptions[];
  /** The startup probe's target when the proxy is a loopback-bound native sidecar (the kubelet probes the pod's IP). */
  readonly loopbackProbe: k8s.Probe;
}

/** A backend module: its props' runtime types, defaults, checks and renderer. */
export interface BackendModule<O> {
  readonly kind: ProxyKind;
  /** Runtime types of the backend's props (checked before anything reads them). */
  readonly shape: PropShape;
  defaults(options: O): BackendDefaults;
  /** Checks the options (problems under `backend.`); returns the renderer, to call once no problem was found. */
  check(problems: Problems, options: O, ctx: BackendContext): () => BackendPlan;
}
