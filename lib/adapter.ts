/**
 * The adapter pattern: a helper container that turns the app's native output into the interface
 * the outside expects. The reference case is a Prometheus exporter that reads the app on
 * localhost (or a file on a shared volume) and serves metrics on a named port, announced with the
 * conventional `prometheus.io/*` pod-template annotations and, when the workload has a Service,
 * on that Service too.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
 */
import { Construct, IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import {
  checkStubStatus, NGINX_CONF_DIRECTORY, NGINX_IMAGES_WITH_CONF_D, NGINX_STUB_STATUS_FILE, NginxStubStatus, ResolvedStubStatus, STUB_STATUS_HASH_ANNOTATION_SUFFIX, stubStatusPart,
} from './_nginx-stub-status';
import { APP_CONTAINER_PROPS, attachHelper, checkHelperProps, HelperProps } from './_pod/helper';
import { IntOrString, Volume } from './_k8s';
import { PortProtocol } from './_pod/port-protocol';
import { ContainerSpec } from './_pod/inject';
import { helperLabels, PATTERN_ROLES } from './_pod/labels';
import {
  ADAPTER_SHAPE, NGINX_EXPORTER_ARGS_SHAPE, NGINX_EXPORTER_SHAPE, NGINX_STUB_STATUS_SHAPE, REDIS_EXPORTER_ARGS_SHAPE, REDIS_EXPORTER_SHAPE,
} from './_pod/prop-types';
import { assertPropTypes, Problems, Rule, RULES } from './_pod/rules';
import { DEFAULT_RESOURCES } from './_pod/security';
import { containerNames, podView, resolveAppContainer, Workload } from './_pod/workload';

export {
  imageRepository, NGINX_CONF_DIRECTORY, NGINX_IMAGES_WITH_CONF_D, NGINX_STUB_STATUS_FILE, NginxStubStatus, STUB_STATUS_HASH_ANNOTATION_SUFFIX,
} from './_nginx-stub-status';

/** The pod-template annotations a Prometheus `kubernetes_sd_configs` pod job conventionally reads. */
export const PROMETHEUS_ANNOTATIONS = {
  /** `"true"`: scrape this pod. */
  scrape: 'prometheus.io/scrape',
  /** The port to scrape. */
  port: 'prometheus.io/port',
  /** The HTTP path to scrape. */
  path: 'prometheus.io/path',
} as const;

/** Default name of the adapter container. */
export const DEFAULT_ADAPTER_NAME = 'adapter';
/** Default name of the port the adapter serves on (an IANA service name). */
export const DEFAULT_METRICS_PORT_NAME = 'metrics';
/** Default HTTP path the adapter serves on. */
export const DEFAULT_METRICS_PATH = '/metrics';

/**
 * The NGINX Prometheus exporter, pinned to the version Debian 12 ships as
 * `prometheus-nginx-exporter` (0.11.0), so the integration test runs the same release. 0.11.0
 * takes single-dash flags (`-nginx.scrape-uri`); 1.0 and later take double dashes.
 */
export const NGINX_EXPORTER_IMAGE = 'nginx/nginx-prometheus-exporter:0.11.0';
/** The NGINX exporter's conventional port. */
export const NGINX_EXPORTER_PORT = 9113;
/** Default loopback port of the nginx `server` that exposes `stub_status` (8080 is nginx-unprivileged's own). */
export const DEFAULT_STUB_STATUS_PORT = 8081;
/** Default path of nginx's `stub_status` location. */
export const DEFAULT_STUB_STATUS_PATH = '/stub_status';
/**
 * How many times the NGINX exporter retries reaching `stub_status` at start. 0.11.0 exits at once
 * when nginx does not answer yet (and does not listen on its metrics port before it has), so
 * without retries a sidecar that starts before nginx is ready crash-loops.
 */
export const DEFAULT_NGINX_EXPORTER_RETRIES = 30;
/** Interval between the NGINX exporter's start-up retries (a Go duration). */
export const NGINX_EXPORTER_RETRY_INTERVAL = '1s';

/** The Redis exporter, pinned to the version Debian 12 ships as `prometheus-redis-exporter` (1.45.0). */
export const REDIS_EXPORTER_IMAGE = 'oliver006/redis_exporter:v1.45.0';
/** The Redis exporter's conventional port. */
export const REDIS_EXPORTER_PORT = 9121;
/** Redis's default port. */
export const DEFAULT_REDIS_PORT = 6379;

/** An HTTP path that is safe in a URL, an annotation and an nginx `location`. */
const HTTP_PATH: Rule = {
  test: (v: unknown) => typeof v === 'string' && /^\/[A-Za-z0-9\-._~/%:@!&*+,=]*$/.test(v),
  expected: 'an HTTP path starting with "/", made of letters, digits and "-._~/%:@!&*+,=" (no spaces, query, fragment, quotes, "$" or ";"), e.g. "/metrics"',
};

/** Props every adapter takes, presets included. */
export interface AdapterCommonProps extends HelperProps {
  /**
   * Name of the adapter container, a DNS-1123 label unique in the pod.
   * @default 'adapter' ('nginx-exporter' and 'redis-exporter' for the presets)
   */
  readonly name?: string;
  /**
   * Environment variables of the adapter. For secrets, push an L1 `EnvVar` with `valueFrom` to
   * `sidecar.env` instead.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Name of the port the adapter serves on, an IANA service name (at most 15 characters). The
   * Service port gets the same name.
   * @default 'metrics'
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
   */
  readonly portName?: string;
  /**
   * The HTTP path the adapter serves on (`prometheus.io/path`).
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * The workload's Service: the adapter's port is added to it, named `portName`, with the
   * adapter's port number as targetPort. Every port the Service already has must be named
   * (Kubernetes requires names on the ports of a multi-port Service). A cdk8s-plus Service of
   * any major (27 to 33).
   * @default - no Service is changed
   */
  readonly service?: IConstruct;
  /**
   * The port number on the Service.
   * @default - the adapter's port
   */
  readonly servicePort?: number;
  /**
   * Annotate the pod template with `prometheus.io/scrape: "true"`, `prometheus.io/port` and
   * `prometheus.io/path`. The convention scrapes one port per pod.
   * @default true
   */
  readonly prometheusAnnotations?: boolean;
}

/** Props of an {@link Adapter}. */
export interface AdapterProps extends AdapterCommonProps {
  /** The adapter's image, pinned by tag (not "latest") or digest. */
  readonly image: string;
  /**
   * The entrypoint.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint: where to read the app (e.g. `http://127.0.0.1:<port>/...` or a
   * file on a volume the pod has, mounted by pushing to `sidecar.volumeMounts`) and where to serve.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /** The port the adapter listens on, on all of the pod's addresses. */
  readonly port: number;
  /**
   * With `nativeSidecar`, gate the app's start on a TCP startup probe of the adapter's port. Turn
   * it off for adapters that only listen once the app answers (the app would never start).
   * @default true
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  readonly startupProbe?: boolean;
}

/** Props of {@link Adapter.nginxExporter}. */
export interface NginxExporterProps extends AdapterCommonProps {
  /**
   * The exporter image. Its flags must be 0.x's single-dash ones.
   * @default NGINX_EXPORTER_IMAGE ('nginx/nginx-prometheus-exporter:0.11.0')
   */
  readonly image?: string;
  /**
   * The port the exporter listens on.
   * @default 9113
   */
  readonly port?: number;
  /**
   * The loopback port of nginx's `stub_status` server: the one given to
   * {@link nginxStubStatusServerBlock}.
   * @default 8081
   * @see https://nginx.org/en/docs/http/ngx_http_stub_status_module.html
   */
  readonly statusPort?: number;
  /**
   * The path of nginx's `stub_status` location.
   * @default '/stub_status'
   */
  readonly statusPath?: string;
  /**
   * How many times the exporter retries reaching nginx at start, one second apart, before it exits.
   * @default 30
   */
  readonly connectRetries?: number;
  /**
   * Where nginx's `stub_status` comes from. `MOUNT`: the preset adds
   * {@link nginxStubStatusServerBlock} on `statusPort` as a ConfigMap file mounted (read-only,
   * `subPath`) as `<confDirectory>/stub-status.conf` into the nginx container, and stamps its
   * hash on the pod template; it refuses an image it does not know to include that directory
   * unless `confDirectory` is given. The nginx container is `appContainer` (or
   * `appContainerName`, or the workload's only container), on any workload kind. `PROVIDED`:
   * your nginx config already serves it (then leave `appContainer` unset).
   * @default NginxStubStatus.MOUNT
   */
  readonly stubStatus?: NginxStubStatus;
  /**
   * With `stubStatus` MOUNT: the directory whose `*.conf` files nginx includes inside `http {}`.
   * @default '/etc/nginx/conf.d' for the nginx and nginxinc/nginx-unprivileged images; required for other images
   */
  readonly confDirectory?: string;
}

/** Props of {@link Adapter.redisExporter}. */
export interface RedisExporterProps extends AdapterCommonProps {
  /**
   * The exporter image.
   * @default REDIS_EXPORTER_IMAGE ('oliver006/redis_exporter:v1.45.0')
   */
  readonly image?: string;
  /**
   * The port the exporter listens on.
   * @default 9121
   */
  readonly port?: number;
  /**
   * The port Redis listens on in the pod. A password goes in `REDIS_PASSWORD`, best from a Secret
   * added to `sidecar.env`.
   * @default 6379
   */
  readonly redisPort?: number;
}

/** Options of {@link nginxStubStatusServerBlock}. */
export interface NginxStubStatusOptions {
  /** The loopback port the `server` listens on. */
  readonly port: number;
  /**
   * The path of the `stub_status` location.
   * @default '/stub_status'
   */
  readonly path?: string;
}

/**
 * The nginx `server` block that exposes `stub_status` on `127.0.0.1:<port>` only: reachable from
 * the pod's other containers, not from the pod's network address. Put it in a ConfigMap mounted
 * as a file into nginx's `conf.d` (with `subPath`, so the image's default.conf stays).
 */
export function nginxStubStatusServerBlock(o: NginxStubStatusOptions): string {
  assertPropTypes('nginxStubStatusServerBlock', o, NGINX_STUB_STATUS_SHAPE);
  const path = o.path ?? DEFAULT_STUB_STATUS_PATH;
  return [
    '# nginx stub_status for the metrics adapter: loopback only, never exposed outside the pod.',
    'server {',
    `    listen 127.0.0.1:${o.port};`,
    '    access_log off;',
    `    location = ${path} {`,
    '        stub_status;',
    '        allow 127.0.0.1;',
    '        deny all;',
    '    }',
    '    location / {',
    '        return 404;',
    '    }',
    '}',
    '',
  ].join('\n');
}

/** Options of {@link nginxExporterArgs}. */
export interface NginxExporterArgsOptions {
  /** The loopback port of the `stub_status` server. */
  readonly statusPort: number;
  /** @default '/stub_status' */
  readonly statusPath?: string;
  /** The port the exporter listens on. @default 9113 */
  readonly port?: number;
  /** The path the exporter serves metrics on. @default '/metrics' */
  readonly path?: string;
  /** Start-up retries. @default 30 */
  readonly connectRetries?: number;
}

/** The NGINX exporter 0.11.0 command line (single-dash flags) for a `stub_status` on loopback. */
export function nginxExporterArgs(o: NginxExporterArgsOptions): string[] {
  assertPropTypes('nginxExporterArgs', o, NGINX_EXPORTER_ARGS_SHAPE);
  return [
    `-nginx.scrape-uri=http://127.0.0.1:${o.statusPort}${o.statusPath ?? DEFAULT_STUB_STATUS_PATH}`,
    `-nginx.retries=${o.connectRetries ?? DEFAULT_NGINX_EXPORTER_RETRIES}`,
    `-nginx.retry-interval=${NGINX_EXPORTER_RETRY_INTERVAL}`,
    `-web.listen-address=:${o.port ?? NGINX_EXPORTER_PORT}`,
    `-web.telemetry-path=${o.path ?? DEFAULT_METRICS_PATH}`,
  ];
}

/** Options of {@link redisExporterArgs}. */
export interface RedisExporterArgsOptions {
  /** @default 6379 */
  readonly redisPort?: number;
  /** @default 9121 */
  readonly port?: number;
  /** @default '/metrics' */
  readonly path?: string;
}

/** The Redis exporter command line for a Redis in the same pod. */
export function redisExporterArgs(o: RedisExporterArgsOptions = {}): string[] {
  assertPropTypes('redisExporterArgs', o, REDIS_EXPORTER_ARGS_SHAPE);
  return [
    `--redis.addr=redis://localhost:${o.redisPort ?? DEFAULT_REDIS_PORT}`,
    `--web.listen-address=:${o.port ?? REDIS_EXPORTER_PORT}`,
    `--web.telemetry-path=${o.path ?? DEFAULT_METRICS_PATH}`,
  ];
}

/** Why an Adapter does not hold the app until it is ready. */
const ADAPTER_HOLD_REASON = 'an Adapter is called by Prometheus, not by the app, so the app need not wait for it (and the exporter images have no shell to run the hook)';
/** Seconds an exporter takes to stop on SIGTERM (the Go exporters exit at once). */
export const ADAPTER_STOP_SECONDS = 1;

const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Validates an adapter's props into `problems`; returns the workload resolved. */
function checkAdapterProps(problems: Problems, scope: Construct, p: AdapterProps): Workload | undefined {
  const workload = checkHelperProps(problems, scope, p, { cannotHoldApp: ADAPTER_HOLD_REASON });
  helperLabels(problems, PATTERN_ROLES.adapter, p, workload);
  const view = workload && podView(workload);
  // the adapter reads the app over localhost or a shared volume: an app container given is still checked
  if (p.appContainer !== undefined || p.appContainerName !== undefined) {
    resolveAppContainer(problems, workload, { container: p.appContainer, name: p.appContainerName }, APP_CONTAINER_PROPS, false, view);
  }
  const name = p.name ?? DEFAULT_ADAPTER_NAME;
  const port = p.port;
  const portName = p.portName ?? DEFAULT_METRICS_PORT_NAME;
  const path = p.path ?? DEFAULT_METRICS_PATH;

  if (problems.check('name', name, RULES.dnsLabel) && view) {
    const taken = containerNames(view).includes(name);
    if (taken) problems.add('name', name, 'a container name not used by another container of the workload');
  }
  if (problems.check('image', p.image, RULES.image)) problems.check('image', p.image, RULES.pinnedImage);
  if (p.command !== undefined && !isStringList(p.command)) problems.add('command', p.command, 'a list of strings');
  if (p.args !== undefined && !isStringList(p.args)) problems.add('args', p.args, 'a list of strings');
  for (const key of Object.keys(p.env ?? {})) problems.check('env', key, RULES.envName);
  problems.check('port', port, RULES.port);
  problems.check('portName', portName, RULES.portName);
  problems.check('path', path, HTTP_PATH);
  if (p.startupProbe !== undefined && typeof p.startupProbe !== 'boolean') problems.add('startupProbe', p.startupProbe, 'true or false');

  const annotate = p.prometheusAnnotations ?? true;
  if (typeof annotate !== 'boolean') problems.add('prometheusAnnotations', annotate, 'true or false');
  else if (annotate && view) {
    const existing: Readonly<Record<string, string>> = view.annotations;
    const wanted = adapterAnnotations(port, path);
    const clash = Object.entries(wanted).find(([k, v]) => existing[k] !== undefined && existing[k] !== v);
    if (clash) {
      problems.add('prometheusAnnotations', true, `false when the pod template already has ${clash[0]}: ${JSON.stringify(existing[clash[0]])} (another adapter or the user set it; the annotation convention scrapes one port per pod)`);
    }
  }

  if (p.servicePort !== undefined) {
    problems.check('servicePort', p.servicePort, RULES.port);
    if (p.service === undefined) problems.add('servicePort', p.servicePort, 'unset unless service is set');
  }
  if (p.service !== undefined) {
    if (!isPlusService(p.service)) {
      problems.add('service', (p.service as any)?.node?.path ?? String(p.service), 'a cdk8s-plus Service (of any major, 27 to 33)');
    } else {
      const servicePort = p.servicePort ?? port;
      const ports = p.service.ports;
      const unnamed = ports.filter((sp) => sp.name === undefined).map((sp) => sp.port);
      if (unnamed.length > 0) {
        problems.add('service', p.service.node.path, `a Service whose ports all have names (port${unnamed.length > 1 ? 's' : ''} ${unnamed.join(', ')} ${unnamed.length > 1 ? 'have' : 'has'} none): Kubernetes requires a name on every port of a multi-port Service`);
      }
      const sameName = ports.find((sp) => sp.name === portName);
      if (sameName) problems.add('portName', portName, `a name not used by another port of the Service (port ${sameName.port} has it)`);
      const samePort = ports.find((sp) => sp.port === servicePort && (sp.protocol ?? 'TCP') === 'TCP');
      if (samePort) problems.add(p.servicePort !== undefined ? 'servicePort' : 'port', servicePort, `a port number the Service does not already use (its port ${JSON.stringify(samePort.name ?? '')} has it); set servicePort`);
    }
  }
  return workload;
}

/** What the adapter uses of a cdk8s-plus Service (the same in every major). */
interface PlusService extends IConstruct {
  readonly ports: ReadonlyArray<{ readonly port: number; readonly name?: string; readonly protocol?: string }>;
  bind(port: number, options: { name: string; targetPort: number; protocol: any }): void;
}

function isPlusService(s: unknown): s is PlusService {
  return typeof s === 'object' && s !== null && typeof (s as any).bind === 'function' && Array.isArray((s as any).ports)
    && /^cdk8s-plus-\d+\.Service$/.test(String((s as any).constructor?.[Symbol.for('jsii.rtti')]?.fqn));
}

/** The nginx exporter preset's resolved stub_status server, handed to the Adapter it creates. */
const STUB_STATUS = new WeakMap<AdapterProps, { resolved: ResolvedStubStatus; serverBlock: string }>();

/**
 * The workload a preset (nginxExporter, redisExporter) resolved when it checked the props it
 * creates (with checkAdapterProps, as the constructor would: no problem found), handed with them
 * to the Adapter it constructs next, with no user code in between (no one else ever sees those
 * props): the Adapter neither checks them again nor renders the pod again (see podView).
 */
const CHECKED = new WeakMap<AdapterProps, Workload>();

/** The `prometheus.io/*` annotations for a port and path. */
function adapterAnnotations(port: number, path: string): Record<string, string> {
  return {
    [PROMETHEUS_ANNOTATIONS.scrape]: 'true',
    [PROMETHEUS_ANNOTATIONS.port]: String(port),
    [PROMETHEUS_ANNOTATIONS.path]: path,
  };
}

/** The construct path a child `id` of `scope` will have (for presets that validate before creating it). */
function childPath(scope: Construct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/**
 * A helper container that adapts the app's output for the outside, attached to any workload (a
 * cdk8s-plus 27 to 33 Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob, an L1 object, an
 * `Include`d manifest). It listens on a named port,
 * annotates the pod template for Prometheus and adds its port to the workload's Service.
 *
 * Presets: {@link Adapter.nginxExporter} (nginx `stub_status` to Prometheus) and
 * {@link Adapter.redisExporter}.
 */
export class Adapter extends Construct {
  /** The Prometheus pod-template annotations (the TypeScript `PROMETHEUS_ANNOTATIONS`). */
  public static readonly PROMETHEUS_ANNOTATIONS: { [field: string]: string } = { ...PROMETHEUS_ANNOTATIONS };

  /** The default name of the adapter container (the TypeScript `DEFAULT_ADAPTER_NAME`). */
  public static readonly DEFAULT_NAME: string = DEFAULT_ADAPTER_NAME;

  /** The default name of the metrics port (the TypeScript `DEFAULT_METRICS_PORT_NAME`). */
  public static readonly DEFAULT_METRICS_PORT_NAME: string = DEFAULT_METRICS_PORT_NAME;

  /** The default metrics path (the TypeScript `DEFAULT_METRICS_PATH`). */
  public static readonly DEFAULT_METRICS_PATH: string = DEFAULT_METRICS_PATH;

  /** Seconds the adapter needs to stop (the TypeScript `ADAPTER_STOP_SECONDS`). */
  public static readonly STOP_SECONDS: number = ADAPTER_STOP_SECONDS;

  /** The NGINX exporter image (the TypeScript `NGINX_EXPORTER_IMAGE`). */
  public static readonly NGINX_EXPORTER_IMAGE: string = NGINX_EXPORTER_IMAGE;

  /** The NGINX exporter's port (the TypeScript `NGINX_EXPORTER_PORT`). */
  public static readonly NGINX_EXPORTER_PORT: number = NGINX_EXPORTER_PORT;

  /** The default nginx stub_status port (the TypeScript `DEFAULT_STUB_STATUS_PORT`). */
  public static readonly DEFAULT_STUB_STATUS_PORT: number = DEFAULT_STUB_STATUS_PORT;

  /** The default nginx stub_status path (the TypeScript `DEFAULT_STUB_STATUS_PATH`). */
  public static readonly DEFAULT_STUB_STATUS_PATH: string = DEFAULT_STUB_STATUS_PATH;

  /** The NGINX exporter's default connect retries (the TypeScript `DEFAULT_NGINX_EXPORTER_RETRIES`). */
  public static readonly DEFAULT_NGINX_EXPORTER_RETRIES: number = DEFAULT_NGINX_EXPORTER_RETRIES;

  /** The NGINX exporter's retry interval (the TypeScript `NGINX_EXPORTER_RETRY_INTERVAL`). */
  public static readonly NGINX_EXPORTER_RETRY_INTERVAL: string = NGINX_EXPORTER_RETRY_INTERVAL;

  /** The Redis exporter image (the TypeScript `REDIS_EXPORTER_IMAGE`). */
  public static readonly REDIS_EXPORTER_IMAGE: string = REDIS_EXPORTER_IMAGE;

  /** The Redis exporter's port (the TypeScript `REDIS_EXPORTER_PORT`). */
  public static readonly REDIS_EXPORTER_PORT: number = REDIS_EXPORTER_PORT;

  /** The default Redis port (the TypeScript `DEFAULT_REDIS_PORT`). */
  public static readonly DEFAULT_REDIS_PORT: number = DEFAULT_REDIS_PORT;

  /** nginx's conf.d directory (the TypeScript `NGINX_CONF_DIRECTORY`). */
  public static readonly NGINX_CONF_DIRECTORY: string = NGINX_CONF_DIRECTORY;

  /** The nginx images whose conf.d the preset extends (the TypeScript `NGINX_IMAGES_WITH_CONF_D`). */
  public static readonly NGINX_IMAGES_WITH_CONF_D: string[] = [...NGINX_IMAGES_WITH_CONF_D];

  /** The stub_status file added to conf.d (the TypeScript `NGINX_STUB_STATUS_FILE`). */
  public static readonly NGINX_STUB_STATUS_FILE: string = NGINX_STUB_STATUS_FILE;

  /** The annotation suffix carrying the stub_status config hash (the TypeScript `STUB_STATUS_HASH_ANNOTATION_SUFFIX`). */
  public static readonly STUB_STATUS_HASH_ANNOTATION_SUFFIX: string = STUB_STATUS_HASH_ANNOTATION_SUFFIX;

  /**
   * nginx `stub_status` to Prometheus metrics: the NGINX exporter reading
   * `http://127.0.0.1:<statusPort><statusPath>` and serving on 9113. By default the preset adds
   * {@link nginxStubStatusServerBlock} to the nginx container's conf.d itself (`stubStatus`), or
   * refuses at synth when it cannot: without it the exporter retries, then exits.
   *
   * The exporter only listens once nginx answers, so as a native sidecar it gets no startup
   * probe (nginx would never start); it retries reaching nginx instead.
   */
  public static nginxExporter(scope: Construct, id: string, props: NginxExporterProps): Adapter {
    assertPropTypes(childPath(scope, id), props, NGINX_EXPORTER_SHAPE);
    const statusPort = props.statusPort ?? DEFAULT_STUB_STATUS_PORT;
    const statusPath = props.statusPath ?? DEFAULT_STUB_STATUS_PATH;
    const port = props.port ?? NGINX_EXPORTER_PORT;
    const connectRetries = props.connectRetries ?? DEFAULT_NGINX_EXPORTER_RETRIES;
    const {
      statusPort: _s, statusPath: _p, connectRetries: _r, stubStatus: _m, confDirectory: _d, ...common
    } = props;
    const adapterProps: AdapterProps = {
      ...common,
      name: props.name ?? 'nginx-exporter',
      image: props.image ?? NGINX_EXPORTER_IMAGE,
      port,
      args: nginxExporterArgs({ statusPort, statusPath, port, path: props.path, connectRetries }),
      startupProbe: false,
    };
    const problems = new Problems();
    const workload = checkAdapterProps(problems, scope, adapterProps);
    if (problems.check('statusPort', statusPort, RULES.port)) {
      if (statusPort === port) problems.add('statusPort', statusPort, `a port other than the exporter's (${port})`);
      const view = workload && podView(workload);
      const owner = view ? [...view.initContainers, ...view.containers].find((c) => (c.ports ?? []).some((cp: any) => cp.containerPort === statusPort)) : undefined;
      if (owner) problems.add('statusPort', statusPort, `a port no container of the workload declares (container "${owner.name}" does): the stub_status server listens on its own loopback port`);
    }
    problems.check('statusPath', statusPath, HTTP_PATH);
    problems.check('connectRetries', connectRetries, RULES.nonNegativeInt);
    const stub = checkStubStatus(problems, { ...props, name: adapterProps.name! }, workload);
    problems.throwIfAny(childPath(scope, id));
    if (stub) STUB_STATUS.set(adapterProps, { resolved: stub, serverBlock: nginxStubStatusServerBlock({ port: statusPort, path: statusPath }) });
    if (workload) CHECKED.set(adapterProps, workload);
    const adapter = new Adapter(scope, id, adapterProps);
    return adapter;
  }

  /** Redis to Prometheus metrics: the Redis exporter reading `redis://localhost:<redisPort>` and serving on 9121. */
  public static redisExporter(scope: Construct, id: string, props: RedisExporterProps): Adapter {
    assertPropTypes(childPath(scope, id), props, REDIS_EXPORTER_SHAPE);
    const redisPort = props.redisPort ?? DEFAULT_REDIS_PORT;
    const port = props.port ?? REDIS_EXPORTER_PORT;
    const { redisPort: _r, ...common } = props;
    const adapterProps: AdapterProps = {
      ...common,
      name: props.name ?? 'redis-exporter',
      image: props.image ?? REDIS_EXPORTER_IMAGE,
      port,
      args: redisExporterArgs({ redisPort, port, path: props.path }),
    };
    const problems = new Problems();
    const workload = checkAdapterProps(problems, scope, adapterProps);
    if (problems.check('redisPort', redisPort, RULES.port) && redisPort === port) {
      problems.add('redisPort', redisPort, `a port other than the exporter's (${port})`);
    }
    problems.throwIfAny(childPath(scope, id));
    if (workload) CHECKED.set(adapterProps, workload);
    return new Adapter(scope, id, adapterProps);
  }

  /**
   * The adapter container: the Kubernetes container spec written into the pod, field for field
   * (tweak it before synthesis: push to its `volumeMounts`, or to its `env` for values from Secrets).
   */
  public readonly sidecar: ContainerSpec;
  /**
   * The Kubernetes recommended labels this helper resolves (it creates no object of its own) (`app.kubernetes.io/*`,
   * component `adapter`); label objects you add for it (a ServiceMonitor, say) with them too.
   */
  public readonly labels: Readonly<Record<string, string>>;
  /** The port the adapter listens on. */
  public readonly port: number;
  /** The name of that port (on the container and the Service). */
  public readonly portName: string;
  /** The HTTP path the adapter serves on. */
  public readonly path: string;
  /** The port number on the Service, when a Service was given. */
  public readonly servicePort?: number;
  /** The pod-template annotations the adapter set (empty when `prometheusAnnotations` is false). */
  public readonly annotations: Readonly<Record<string, string>>;
  /** {@link Adapter.nginxExporter} with `stubStatus` MOUNT: the ConfigMap holding the stub_status server block. */
  public readonly stubStatusConfigMap?: kplus.ConfigMap;
  /** {@link Adapter.nginxExporter} with `stubStatus` MOUNT: the ConfigMap volume mounted into the nginx container, as written. */
  public readonly stubStatusVolume?: Volume;

  constructor(scope: Construct, id: string, props: AdapterProps) {
    super(scope, id);
    assertPropTypes(this.node.path, props, ADAPTER_SHAPE);
    const checked = CHECKED.get(props);
    CHECKED.delete(props);
    const problems = new Problems();
    const workload = checked ?? checkAdapterProps(problems, this, props);
    problems.throwIfAny(this.node.path);
    this.labels = helperLabels(new Problems(), PATTERN_ROLES.adapter, props, workload);

    this.port = props.port;
    this.portName = props.portName ?? DEFAULT_METRICS_PORT_NAME;
    this.path = props.path ?? DEFAULT_METRICS_PATH;
    const startupProbe = props.startupProbe ?? true;
    this.annotations = (props.prometheusAnnotations ?? true) ? adapterAnnotations(this.port, this.path) : {};
    // the nginx exporter preset's stub_status server: a ConfigMap mounted into the nginx container, in the same part
    const stubInput = STUB_STATUS.get(props);
    const stub = stubInput && stubStatusPart(this, stubInput.resolved, { name: props.name ?? DEFAULT_ADAPTER_NAME, serverBlock: stubInput.serverBlock, labels: this.labels });
    this.stubStatusConfigMap = stub?.configMap;
    this.stubStatusVolume = stub?.volume;
    this.sidecar = attachHelper(this, workload!, props, {
      ...(stub ? { volumes: [stub.volume], appContainerName: stub.appContainerName, appContainer: { volumeMounts: [stub.volumeMount] } } : {}),
      containers: [{
        name: props.name ?? DEFAULT_ADAPTER_NAME,
        image: props.image,
        command: props.command,
        args: props.args,
        env: props.env,
        ports: [{ number: this.port, name: this.portName, protocol: PortProtocol.TCP }],
        defaultResources: DEFAULT_RESOURCES.helper,
        startupProbe: startupProbe ? { failureThreshold: 30, periodSeconds: 1, tcpSocket: { port: IntOrString.fromNumber(this.port) } } : undefined,
      }],
      annotations: this.annotations,
      configMaps: stub?.configMaps,
      lifecycle: { holdAppByDefault: false, outlivesApp: false, stopSeconds: ADAPTER_STOP_SECONDS },
    }).containers[0];

    if (props.service) {
      this.servicePort = props.servicePort ?? this.port;
      (props.service as PlusService).bind(this.servicePort, { name: this.portName, targetPort: this.port, protocol: 'TCP' });
    }
  }
}
