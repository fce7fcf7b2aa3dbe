/**
 * The adapter pattern: a helper container that turns the app's native output into the interface
 * the outside expects. The reference case is a Prometheus exporter that reads the app on
 * localhost (or a file on a shared volume) and serves metrics on a named port, announced with the
 * conventional `prometheus.io/*` pod-template annotations and, when the workload has a Service,
 * on that Service too.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import {
  checkStubStatus, NGINX_CONF_DIRECTORY, NGINX_IMAGES_WITH_CONF_D, NGINX_STUB_STATUS_FILE, ResolvedStubStatus, STUB_STATUS_HASH_ANNOTATION_SUFFIX, stubStatusPart,
} from './_nginx-stub-status';
import {
  DEFAULT_NGINX_EXPORTER_RETRIES, DEFAULT_REDIS_PORT, DEFAULT_STUB_STATUS_PATH, DEFAULT_STUB_STATUS_PORT, NGINX_EXPORTER_IMAGE, NGINX_EXPORTER_PORT,
  NGINX_EXPORTER_RETRY_INTERVAL, nginxExporterArgs, NginxExporterProps, nginxStubStatusServerBlock, REDIS_EXPORTER_IMAGE, REDIS_EXPORTER_PORT,
  redisExporterArgs, RedisExporterProps,
} from './_adapter/exporters';
import {
  ADAPTER_STOP_SECONDS, adapterAnnotations, AdapterProps, checkAdapterProps, DEFAULT_ADAPTER_NAME, DEFAULT_METRICS_PATH, DEFAULT_METRICS_PORT_NAME,
  HTTP_PATH, PlusService, PROMETHEUS_ANNOTATIONS,
} from './_adapter/props';
import { attachHelper } from './_pod/helper';
import { IntOrString, Volume } from './_k8s';
import { PortProtocol } from './_pod/port-protocol';
import { ContainerSpec } from './_pod/inject';
import { helperLabels, PATTERN_ROLES } from './_pod/labels';
import { ADAPTER_SHAPE, NGINX_EXPORTER_SHAPE, REDIS_EXPORTER_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES } from './_pod/rules';
import { DEFAULT_RESOURCES } from './_pod/security';
import { podView, Workload } from './_pod/workload';

export {
  imageRepository, NGINX_CONF_DIRECTORY, NGINX_IMAGES_WITH_CONF_D, NGINX_STUB_STATUS_FILE, NginxStubStatus, STUB_STATUS_HASH_ANNOTATION_SUFFIX,
} from './_nginx-stub-status';
export * from './_adapter/exporters';
export { ADAPTER_STOP_SECONDS, DEFAULT_ADAPTER_NAME, DEFAULT_METRICS_PATH, DEFAULT_METRICS_PORT_NAME, PROMETHEUS_ANNOTATIONS } from './_adapter/props';
export type { AdapterCommonProps, AdapterProps } from './_adapter/props';

/** The nginx exporter preset's resolved stub_status server, handed to the Adapter it creates. */
const STUB_STATUS = new WeakMap<AdapterProps, { resolved: ResolvedStubStatus; serverBlock: string }>();

/**
 * The workload a preset (nginxExporter, redisExporter) resolved when it checked the props it
 * creates (with checkAdapterProps, as the constructor would: no problem found), handed with them
 * to the Adapter it constructs next, with no user code in between (no one else ever sees those
 * props): the Adapter neither checks them again nor renders the pod again (see podView).
 */
const CHECKED = new WeakMap<AdapterProps, Workload>();

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
