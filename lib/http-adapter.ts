/**
 * The adapter pattern for an API that changed while its clients did not: an HTTP compatibility
 * adapter in the app's pod takes the clients' traffic on the port the Service exposes and forwards
 * it to the app on loopback, translating on the way (URLs, headers, JSON bodies, a legacy content
 * type). The proxy is nginx with its JavaScript module (njs).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/#how-pods-manage-multiple-containers
 */
import { ApiObject, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from './_k8s';
import { APP_CONTAINER_PROPS, attachHelper, checkHelperProps } from './_pod/helper';
import { configMapHash, ContainerSpec, effectiveTargetPort, injectServicePortEdit } from './_pod/inject';
import { PortProtocol } from './_pod/port-protocol';
import { helperLabels, helperObjectMetadata, PATTERN_ROLES } from './_pod/labels';
import { HTTP_COMPAT_ADAPTER_SHAPE } from './_pod/prop-types';
import { assertPropTypes, isSize, Problems, RULES } from './_pod/rules';
import { containerNames, podView, resolveAppContainer, resolveService, servicePorts, volumeNames } from './_pod/workload';
import { UNPRIVILEGED_PORT_RULE } from './_proxy/common';
import { NJS_MODULE_PATH, renderNginxConfig, ResolvedUrlRule } from './_http-adapter/nginx';
import { renderNjsModule } from './_http-adapter/njs';
import {
  DEFAULT_HTTP_ADAPTER_NAME, DEFAULT_MAX_BODY_SIZE, HTTP_ADAPTER_CONFIG_DIR, HTTP_ADAPTER_IMAGE, HTTP_ADAPTER_NGINX_FILE, HTTP_ADAPTER_NJS_FILE, HTTP_ADAPTER_PORT_NAME,
  HTTP_ADAPTER_STOP_SECONDS, HTTP_ADAPTER_TMP_DIR, HTTP_ADAPTER_USER_ID, httpAdapterConfigHashAnnotation, HttpCompatAdapterProps,
} from './_http-adapter/props';
import { UnmatchedRequests } from './_http-adapter/rules';
import { checkAppPaths, checkHeaderRules, checkUrlRules } from './_http-adapter/validate';

export { HeaderDirection, HeaderOperation, HeaderRule, HttpMethod, JsonOperation, JsonRule, UnmatchedRequests, UrlAction, UrlMatch, UrlRule, UrlRuleOptions } from './_http-adapter/rules';
export { NJS_MODULE_PATH } from './_http-adapter/nginx';
export {
  HTTP_ADAPTER_IMAGE, HTTP_ADAPTER_USER_ID, HTTP_ADAPTER_STOP_SECONDS, DEFAULT_HTTP_ADAPTER_NAME, HTTP_ADAPTER_CONFIG_DIR, HTTP_ADAPTER_NGINX_FILE, HTTP_ADAPTER_NJS_FILE,
  HTTP_ADAPTER_TMP_DIR, DEFAULT_MAX_BODY_SIZE, HTTP_ADAPTER_PORT_NAME, httpAdapterConfigHashAnnotation,
} from './_http-adapter/props';
export type { HttpCompatAdapterProps } from './_http-adapter/props';

const MAX_NAME_LENGTH = 63 - '-config'.length;

/** The ports a rendered container's probes target (a cdk8s-plus container's default startup probe included). */
function probesOf(c: any): Array<{ name: string; port: unknown }> {
  return ['readinessProbe', 'livenessProbe', 'startupProbe'].flatMap((name) => {
    const p = c?.[name];
    const port = p?.httpGet?.port ?? p?.tcpSocket?.port ?? p?.grpc?.port;
    return port === undefined ? [] : [{ name, port }];
  });
}

/** Startup probe of the native-sidecar form: nginx listens on the port clients use. */
const STARTUP_PROBE_TIMING = { periodSeconds: 1, failureThreshold: 30, timeoutSeconds: 1 } as const;

/** Size limit of the adapter's /tmp emptyDir (pid file, nginx's temp paths; bodies it buffers stay in memory up to maxBodySize). */
const TMP_SIZE_LIMIT = '16Mi';

/**
 * An HTTP compatibility adapter attached to any workload (a cdk8s-plus 27 to 33 Pod, Deployment,
 * StatefulSet, DaemonSet, Job or CronJob, an L1 object, an `Include`d manifest): nginx + njs in the app's
 * pod, on the port clients use, forwarding to the app on loopback and translating URLs (exact,
 * prefix and regex rules; rewrites or 301/308 redirects; method restrictions), headers both ways
 * and JSON bodies both ways. Its configuration is a ConfigMap whose hash is stamped on the pod
 * template, so changing a rule rolls the pods.
 */
export class HttpCompatAdapter extends Construct {
  /** The adapter image (the TypeScript `HTTP_ADAPTER_IMAGE`). */
  public static readonly IMAGE: string = HTTP_ADAPTER_IMAGE;

  /** The adapter's user id (the TypeScript `HTTP_ADAPTER_USER_ID`). */
  public static readonly USER_ID: number = HTTP_ADAPTER_USER_ID;

  /** Seconds the adapter needs to stop (the TypeScript `HTTP_ADAPTER_STOP_SECONDS`). */
  public static readonly STOP_SECONDS: number = HTTP_ADAPTER_STOP_SECONDS;

  /** The default name of the adapter container (the TypeScript `DEFAULT_HTTP_ADAPTER_NAME`). */
  public static readonly DEFAULT_NAME: string = DEFAULT_HTTP_ADAPTER_NAME;

  /** Where the ConfigMap is mounted (the TypeScript `HTTP_ADAPTER_CONFIG_DIR`). */
  public static readonly CONFIG_DIR: string = HTTP_ADAPTER_CONFIG_DIR;

  /** The nginx configuration file (the TypeScript `HTTP_ADAPTER_NGINX_FILE`). */
  public static readonly NGINX_FILE: string = HTTP_ADAPTER_NGINX_FILE;

  /** The njs module file (the TypeScript `HTTP_ADAPTER_NJS_FILE`). */
  public static readonly NJS_FILE: string = HTTP_ADAPTER_NJS_FILE;

  /** The adapter's writable directory (the TypeScript `HTTP_ADAPTER_TMP_DIR`). */
  public static readonly TMP_DIR: string = HTTP_ADAPTER_TMP_DIR;

  /** The default largest request body (the TypeScript `DEFAULT_MAX_BODY_SIZE`). */
  public static readonly DEFAULT_MAX_BODY_SIZE: Size = DEFAULT_MAX_BODY_SIZE;

  /** The adapter's port name (the TypeScript `HTTP_ADAPTER_PORT_NAME`). */
  public static readonly PORT_NAME: string = HTTP_ADAPTER_PORT_NAME;

  /** The njs module's path in the image (the TypeScript `NJS_MODULE_PATH`). */
  public static readonly NJS_MODULE_PATH: string = NJS_MODULE_PATH;

  /**
   * The adapter container: the Kubernetes container spec written into the pod, field for field
   * (tweak it before synthesis).
   */
  public readonly sidecar: ContainerSpec;
  /** The name of the app container (moved to `appPort`). */
  public readonly appContainerName: string;
  /** The ConfigMap holding nginx.conf and the njs module. */
  public readonly configMap: kplus.ConfigMap;
  /** The volumes written into the pod: the ConfigMap's (read-only at /etc/nginx/http-adapter) and the /tmp emptyDir. */
  public readonly volumes: k8s.Volume[];
  /** The Kubernetes recommended labels of the ConfigMap (component `adapter`). */
  public readonly labels: Readonly<Record<string, string>>;
  /** The generated nginx.conf. */
  public readonly nginxConfig: string;
  /** The generated njs module. */
  public readonly njsModule: string;
  /** The port clients use. */
  public readonly port: number;
  /** The app's loopback port. */
  public readonly appPort: number;
  /** The adapter's command line. */
  public readonly command: string[];
  /** The pod-template annotation carrying the configuration hash. */
  private readonly hashAnnotation: string;

  /**
   * The SHA-256 of the ConfigMap's content (both files) as it renders now: what the pod template
   * gets (an edit of `configMap` counts).
   */
  public get configHash(): string {
    return configMapHash(ApiObject.of(this.configMap));
  }

  /** The pod-template annotations the adapter sets (the configuration hash), as they render now. */
  public get annotations(): Readonly<Record<string, string>> {
    return { [this.hashAnnotation]: this.configHash };
  }

  constructor(scope: Construct, id: string, props: HttpCompatAdapterProps) {
    super(scope, id);
    assertPropTypes(this.node.path, props, HTTP_COMPAT_ADAPTER_SHAPE);
    const problems = new Problems();
    const workload = checkHelperProps(problems, this, props, { cannotHoldApp: 'the app does not call the HttpCompatAdapter: clients do, through the Service, which sends them traffic only once the pod is ready' });
    const labels = helperLabels(problems, PATTERN_ROLES.adapter, props, workload);
    const view = workload && podView(workload);

    const name = props.name ?? DEFAULT_HTTP_ADAPTER_NAME;
    const configVolume = `${name}-config`;
    const tmpVolume = `${name}-tmp`;
    if (problems.check('name', name, RULES.dnsLabel) && name.length > MAX_NAME_LENGTH) {
      problems.add('name', name, `at most ${MAX_NAME_LENGTH} characters, so that its "<name>-config" volume name stays a DNS label`);
    } else if (RULES.dnsLabel.test(name) && view) {
      const volumes = volumeNames(view);
      if (containerNames(view).includes(name)) problems.add('name', name, 'a container name not used by another container of the workload');
      else if (volumes.has(configVolume) || volumes.has(tmpVolume)) problems.add('name', name, `a name whose "${configVolume}" and "${tmpVolume}" volumes are not already in the workload`);
    }
    const image = props.image ?? HTTP_ADAPTER_IMAGE;
    if (problems.check('image', image, RULES.image)) problems.check('image', image, RULES.pinnedImage);

    // Ports: the adapter takes over `port`; the app moves to loopback `appPort`.
    const portOk = problems.check('port', props.port, UNPRIVILEGED_PORT_RULE);
    const appPortOk = problems.check('appPort', props.appPort, RULES.port);
    if (portOk && appPortOk && props.port === props.appPort) problems.add('appPort', props.appPort, `a port other than port (${props.port}): the adapter listens on port, the app on 127.0.0.1:appPort`);

    // The app container, as the pod renders it now (whatever library wrote it).
    const app = resolveAppContainer(problems, workload, { container: props.appContainer, name: props.appContainerName }, APP_CONTAINER_PROPS, true, view);
    if (view) {
      for (const c of [...view.initContainers, ...view.containers]) {
        for (const cp of c.ports ?? []) {
          if ((cp.protocol ?? 'TCP') !== 'TCP') continue;
          const isApp = app !== undefined && c.name === app.name;
          if (portOk && cp.containerPort === props.port) {
            problems.add('port', props.port, isApp
              ? `a port the app container ${JSON.stringify(c.name)} no longer declares: the adapter takes it over and the app moves to 127.0.0.1:${props.appPort} (declare no port on the app: it listens on loopback only)`
              : `a port no other container of the workload declares (container ${JSON.stringify(c.name)} does)`);
          } else if (appPortOk && cp.containerPort === props.appPort && !isApp) {
            problems.add('appPort', props.appPort, `a port no other container of the workload declares (container ${JSON.stringify(c.name)} does)`);
          }
        }
      }
    }

    // The kubelet probes the pod's address, where the app on loopback does not listen.
    if (app && appPortOk) {
      for (const probe of probesOf(app).filter((x) => x.port === props.appPort)) {
        problems.add('appPort', props.appPort, `a port no probe of the app container ${JSON.stringify(app.name)} targets (its ${probe.name} does): the kubelet probes the pod's address, where the app on 127.0.0.1:${props.appPort} cannot be reached; probe port ${props.port} on a path the adapter passes through (cdk8s-plus adds a TCP startup probe on a declared port: declare no port on the app)`);
      }
    }

    // Rules
    checkAppPaths(problems, props.appPaths);
    const url = checkUrlRules(problems, props.rules ?? [], Array.isArray(props.appPaths) ? props.appPaths : undefined);
    const headers = checkHeaderRules(problems, props.headers);
    const unmatched = props.unmatched ?? UnmatchedRequests.PASS_THROUGH;
    if (!Object.values(UnmatchedRequests).includes(unmatched)) problems.add('unmatched', unmatched, `one of ${Object.values(UnmatchedRequests).map((u) => JSON.stringify(u)).join(', ')}`);
    const maxBodySize = props.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
    let maxBodyBytes = 0;
    if (!isSize(maxBodySize)) problems.add('maxBodySize', maxBodySize, 'a cdk8s Size, e.g. Size.mebibytes(1)');
    else {
      maxBodyBytes = Math.round(maxBodySize.toKibibytes() * 1024);
      if (!(maxBodyBytes >= 1024 && maxBodyBytes <= 64 * 1024 * 1024)) problems.add('maxBodySize', `${maxBodyBytes} bytes`, 'from 1 KiB to 64 MiB (the adapter holds a mapped body in memory, several times over)');
    }

    // Service: any library's, read as it renders now
    const service = props.service !== undefined ? resolveService(problems, 'service', props.service) : undefined;
    if (service && portOk && appPortOk) {
      const tcp = servicePorts(service).filter((sp) => (sp.protocol ?? 'TCP') === 'TCP');
      const targets = tcp.map(effectiveTargetPort);
      // a named targetPort reaches the adapter when it is the adapter's port name
      if (!targets.some((t) => t === props.port || t === props.appPort || t === HTTP_ADAPTER_PORT_NAME)) {
        problems.add('service', service.construct.node.path, `a Service with a port whose targetPort is port (${props.port}) or appPort (${props.appPort}) (its targetPorts: ${targets.join(', ') || 'none'})`);
      }
    }
    problems.throwIfAny(this.node.path);

    this.labels = labels;
    this.appContainerName = app.name;
    this.port = props.port;
    this.appPort = props.appPort;
    const rules: ResolvedUrlRule[] = url.rules;
    this.nginxConfig = renderNginxConfig({
      port: this.port,
      appPort: this.appPort,
      urlRules: rules,
      headerRules: headers,
      unmatched,
      configDir: HTTP_ADAPTER_CONFIG_DIR,
      njsFile: HTTP_ADAPTER_NJS_FILE,
      tmpDir: HTTP_ADAPTER_TMP_DIR,
      maxBodyBytes,
    });
    this.njsModule = renderNjsModule(url.njs, maxBodyBytes);
    this.command = ['nginx', '-e', 'stderr', '-c', `${HTTP_ADAPTER_CONFIG_DIR}/${HTTP_ADAPTER_NGINX_FILE}`];

    // in the workload's namespace (a pod can only mount ConfigMaps of its own namespace)
    this.configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: helperObjectMetadata(workload!.apiObject, labels),
      data: { [HTTP_ADAPTER_NGINX_FILE]: this.nginxConfig, [HTTP_ADAPTER_NJS_FILE]: this.njsModule },
    });
    // A changed ConfigMap alone restarts nothing: the hash on the pod template rolls the pods
    // (computed by the injection step from the ConfigMap as rendered, so a later edit of it counts too).
    const hashAnnotation = httpAdapterConfigHashAnnotation(name);
    this.hashAnnotation = hashAnnotation;

    const attached = attachHelper(this, workload!, props, {
      containers: [{
        name,
        image,
        command: [...this.command],
        ports: [{ number: this.port, name: HTTP_ADAPTER_PORT_NAME, protocol: PortProtocol.TCP }],
        securityContext: { runAsUser: HTTP_ADAPTER_USER_ID, runAsGroup: HTTP_ADAPTER_USER_ID, ...props.securityContext },
        defaultResources: { cpu: { request: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) } },
        startupProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(this.port) }, ...STARTUP_PROBE_TIMING },
        volumeMounts: [
          { mountPath: HTTP_ADAPTER_CONFIG_DIR, name: configVolume, readOnly: true },
          { mountPath: HTTP_ADAPTER_TMP_DIR, name: tmpVolume },
        ],
      }],
      volumes: [
        { name: configVolume, configMap: { name: this.configMap.name } },
        { name: tmpVolume, emptyDir: { sizeLimit: k8s.Quantity.fromString(TMP_SIZE_LIMIT) } },
      ],
      configMaps: [{ volume: configVolume, configMap: ApiObject.of(this.configMap), annotation: hashAnnotation }],
      // clients call the adapter (through the Service), not the app: nothing to hold; it stops with the app
      lifecycle: { holdAppByDefault: false, outlivesApp: false, stopSeconds: HTTP_ADAPTER_STOP_SECONDS },
    });
    this.sidecar = attached.containers[0];
    this.volumes = attached.volumes;

    // Service ports that targeted the app now target the adapter (an edit of the Service as it is
    // written, through the injection step, for a Service of any library).
    if (service) injectServicePortEdit(service.apiObject, { owner: this.node.path, fromTargetPort: this.appPort, toTargetPort: this.port });
  }
}
