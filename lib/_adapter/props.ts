/**
 * What every adapter shares (lib/adapter.ts): the common props, their defaults and the check of an
 * adapter's props against its workload and Service.
 */
import { Construct, IConstruct } from 'constructs';
import { APP_CONTAINER_PROPS, checkHelperProps, HelperProps } from '../_pod/helper';
import { helperLabels, PATTERN_ROLES } from '../_pod/labels';
import { Problems, Rule, RULES } from '../_pod/rules';
import { containerNames, podView, resolveAppContainer, Workload } from '../_pod/workload';

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

/** An HTTP path that is safe in a URL, an annotation and an nginx `location`. */
export const HTTP_PATH: Rule = {
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

/** Why an Adapter does not hold the app until it is ready. */
const ADAPTER_HOLD_REASON = 'an Adapter is called by Prometheus, not by the app, so the app need not wait for it (and the exporter images have no shell to run the hook)';
/** Seconds an exporter takes to stop on SIGTERM (the Go exporters exit at once). */
export const ADAPTER_STOP_SECONDS = 1;

const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Validates an adapter's props into `problems`; returns the workload resolved. */
export function checkAdapterProps(problems: Problems, scope: Construct, p: AdapterProps): Workload | undefined {
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
export interface PlusService extends IConstruct {
  readonly ports: ReadonlyArray<{ readonly port: number; readonly name?: string; readonly protocol?: string }>;
  bind(port: number, options: { name: string; targetPort: number; protocol: any }): void;
}

function isPlusService(s: unknown): s is PlusService {
  return typeof s === 'object' && s !== null && typeof (s as any).bind === 'function' && Array.isArray((s as any).ports)
    && /^cdk8s-plus-\d+\.Service$/.test(String((s as any).constructor?.[Symbol.for('jsii.rtti')]?.fqn));
}

/** The `prometheus.io/*` annotations for a port and path. */
export function adapterAnnotations(port: number, path: string): Record<string, string> {
  return {
    [PROMETHEUS_ANNOTATIONS.scrape]: 'true',
    [PROMETHEUS_ANNOTATIONS.port]: String(port),
    [PROMETHEUS_ANNOTATIONS.path]: path,
  };
}
