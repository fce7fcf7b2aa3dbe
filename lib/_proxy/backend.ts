/**
 * The proxy a ProxyAmbassador runs, as a union-like class with one static factory per backend
 * (as cdk8s-plus's `EnvValue.fromValue`): each factory takes that backend's own props, so no
 * option of one proxy can be given to the other.
 */
import { checkRemovedProps, checkShape, Problems } from '../_pod/rules';
import { BackendModule, ProxyKind } from './common';
import { HAPROXY_DEFAULTS, HAPROXY_MODULE, HaproxyBackendProps } from './haproxy';
import { REMOVED_PROPS } from './removed';
import { TWEMPROXY_DEFAULTS, TWEMPROXY_LISTEN_PORTS, TWEMPROXY_MODULE, TwemproxyBackendProps } from './twemproxy';

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The proxy of a `ProxyAmbassador`: `ProxyBackend.haproxy({...})` or
 * `ProxyBackend.twemproxy({...})`.
 */
export class ProxyBackend {
  /**
   * What an HAProxy backend with no options gets (`resolveAtRuntime`, `hostHeader`, `healthCheckPath`
   * follow the upstreams; `healthPort` is DEFAULT_HAPROXY_HEALTH_PORT). A copy: changing it changes no default.
   */
  public static readonly HAPROXY_DEFAULTS: HaproxyBackendProps = { ...HAPROXY_DEFAULTS };
  /** What a twemproxy backend with no options gets. A copy: changing it changes no default. */
  public static readonly TWEMPROXY_DEFAULTS: TwemproxyBackendProps = { ...TWEMPROXY_DEFAULTS };
  /** The default `listenPort` of a twemproxy ambassador speaking Redis: Redis's own port. */
  public static readonly TWEMPROXY_REDIS_PORT: number = TWEMPROXY_LISTEN_PORTS.redis;
  /** The default `listenPort` of a twemproxy ambassador speaking memcached: memcached's own port. */
  public static readonly TWEMPROXY_MEMCACHED_PORT: number = TWEMPROXY_LISTEN_PORTS.memcached;

  /**
   * HAProxy: forwards TCP or HTTP to one or more servers, with health checks, round-robin or
   * failover, and optional TLS to the upstreams. Runs the official image (`HAPROXY_IMAGE`); the
   * ambassador's `listenPort` is required.
   * @see https://docs.haproxy.org/3.0/configuration.html
   */
  public static haproxy(props: HaproxyBackendProps = {}): ProxyBackend {
    return new ProxyBackend(ProxyKind.HAPROXY, props);
  }

  /**
   * twemproxy (nutcracker): shards keys over Redis or memcached servers by consistent hashing.
   * No public image is trustworthy: the ambassador's `image` is required (see `TWEMPROXY_DOCKERFILE`).
   * @see https://github.com/twitter/twemproxy
   */
  public static twemproxy(props: TwemproxyBackendProps = {}): ProxyBackend {
    return new ProxyBackend(ProxyKind.TWEMPROXY, props);
  }

  /** The proxy. */
  public readonly kind: ProxyKind;

  /** @internal */
  public readonly _options: HaproxyBackendProps | TwemproxyBackendProps;

  private constructor(kind: ProxyKind, options: HaproxyBackendProps | TwemproxyBackendProps) {
    this.kind = kind;
    // a copy (not frozen: the jsii runtimes tag the objects they hand over): changing the object
    // afterwards changes nothing; an untyped caller's non-object is kept for the construct's props error
    this._options = isPlainObject(options) ? { ...options } : options;
  }

  /** The backend as JSON, as error messages show it (e.g. `{"kind":"haproxy","mode":"http"}`). */
  public toJSON(): any {
    return { kind: this.kind, ...(typeof this._options === 'object' ? this._options : {}) };
  }
}

/** The module implementing a backend. */
export function backendModule(backend: ProxyBackend): BackendModule<any> {
  return backend.kind === ProxyKind.TWEMPROXY ? TWEMPROXY_MODULE : HAPROXY_MODULE;
}

/**
 * The checks an untyped caller needs before anything reads the props: the flat props removed in
 * favour of `backend` (each with what to write instead), and the backend's options' runtime types
 * (an option of the other backend, or of none, included).
 */
export function checkBackendTypes(problems: Problems, props: object, backend: ProxyBackend): void {
  checkRemovedProps(problems, props, REMOVED_PROPS, (instead) => `no such prop (the flat proxy props were removed): ${instead}`);
  const options: unknown = backend._options ?? {};
  if (!isPlainObject(options)) {
    problems.add('backend', options, `ProxyBackend.${backend.kind}() given an object of options, or nothing`);
    return;
  }
  const { shape } = backendModule(backend);
  checkShape(problems, 'backend', options, shape);
  for (const [key, v] of Object.entries(options)) {
    if (v !== undefined && !(key in shape)) problems.add(`backend.${key}`, v, unknownOption(backend.kind, key));
  }
}

/** What an option a backend does not have should be (an untyped caller's mix-up): the other backend's, or one of its own. */
export function unknownOption(kind: ProxyKind, key: string): string {
  const [own, other] = kind === ProxyKind.TWEMPROXY ? [TWEMPROXY_MODULE, HAPROXY_MODULE] : [HAPROXY_MODULE, TWEMPROXY_MODULE];
  if (key in other.shape) return `unset: an option of ProxyBackend.${other.kind}(), not of ProxyBackend.${kind}()`;
  return `unset: ProxyBackend.${kind}() has no such option (it has ${Object.keys(own.shape).join(', ')})`;
}
