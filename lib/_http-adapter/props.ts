/**
 * The HTTP compatibility adapter's props, image, ports, paths and defaults (lib/http-adapter.ts).
 */
import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { configHashAnnotationName } from '../_config-hash';
import { HelperProps } from '../_pod/helper';
import { HeaderRule, UnmatchedRequests, UrlRule } from './rules';

/**
 * nginx with njs, non-root (uid 101), listening on unprivileged ports, pid and temp files under
 * /tmp: nginx 1.27.5 with njs 0.8.10 (the module the official `-alpine` and Debian images and
 * their unprivileged builds ship in /usr/lib/nginx/modules; `-slim` variants do not have it). The
 * generated JavaScript is also valid for Debian 12's njs 0.7.9, which the integration tests run.
 */
export const HTTP_ADAPTER_IMAGE = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
/** uid and gid of the `nginx` user of the nginx-unprivileged images. */
export const HTTP_ADAPTER_USER_ID = 101;
/** Seconds the adapter's nginx takes to stop on SIGTERM (a fast shutdown). */
export const HTTP_ADAPTER_STOP_SECONDS = 1;
/** Default name of the adapter container. */
export const DEFAULT_HTTP_ADAPTER_NAME = 'http-adapter';
/** Where the adapter mounts its ConfigMap (nginx.conf and the njs module). */
export const HTTP_ADAPTER_CONFIG_DIR = '/etc/nginx/http-adapter';
/** The nginx configuration file (ConfigMap key). */
export const HTTP_ADAPTER_NGINX_FILE = 'nginx.conf';
/** The njs module (ConfigMap key). */
export const HTTP_ADAPTER_NJS_FILE = 'http-adapter.js';
/** The writable emptyDir of the adapter: pid file and nginx's temp paths. */
export const HTTP_ADAPTER_TMP_DIR = '/tmp';
/** Default largest body the adapter buffers to map: 1 MiB. */
export const DEFAULT_MAX_BODY_SIZE = Size.mebibytes(1);
/** Name of the adapter's port on its container. */
export const HTTP_ADAPTER_PORT_NAME = 'http';

/** Props of an {@link HttpCompatAdapter}. */
export interface HttpCompatAdapterProps extends HelperProps {
  /**
   * The port the clients use: the one the Service targets, which the app had before. The adapter
   * listens on it on every address of the pod.
   */
  readonly port: number;
  /**
   * The loopback port the app moves to (the app container is `appContainer`, `appContainerName`,
   * or the workload's only container no pattern added). The app must listen on 127.0.0.1:`appPort` (only the pod's
   * own containers reach it), and its probes must target `port`: the kubelet probes the pod's
   * address, and the adapter passes the probe paths through to the app.
   */
  readonly appPort: number;
  /**
   * The URL rules, tried in order (exact rules first); the first match wins.
   * @default - none: every request passes through (header rules still apply)
   */
  readonly rules?: UrlRule[];
  /**
   * Header rules, applied to every request or response.
   * @default - none
   */
  readonly headers?: HeaderRule[];
  /**
   * What happens to requests no rule matches.
   * @default UnmatchedRequests.PASS_THROUGH
   */
  readonly unmatched?: UnmatchedRequests;
  /**
   * The path prefixes the app serves (e.g. `['/v2']`): every rewrite must land under one of them.
   * @default - not checked
   */
  readonly appPaths?: string[];
  /**
   * The largest body the adapter buffers to map JSON. Larger requests to a rule with request body
   * rules get `413`; larger responses pass unchanged. Unmapped bodies stream, of any size.
   * @default - 1 MiB (`Size.mebibytes(1)`)
   */
  readonly maxBodySize?: Size;
  /**
   * The workload's Service: a cdk8s-plus Service of any major (27 to 33), a cdk8s L1
   * `KubeService`, a Service `Include`d from YAML, or a construct holding exactly one. Its TCP
   * ports that target `appPort` (their `targetPort`, else their `port`) are pointed at `port` (the
   * adapter) when it is written; ports that target `port`, or the adapter's port name `http`,
   * already reach the adapter; other ports are left as they are. One of its ports must target
   * one of them.
   * @default - no Service is changed
   */
  readonly service?: IConstruct;
  /**
   * Name of the adapter container, a DNS-1123 label unique in the pod (at most 56 characters).
   * @default 'http-adapter'
   */
  readonly name?: string;
  /**
   * The adapter's image: nginx with the njs module in /usr/lib/nginx/modules, running as a non-root user.
   * @default HTTP_ADAPTER_IMAGE ('nginxinc/nginx-unprivileged:1.27.5-alpine')
   */
  readonly image?: string;
}

/** The pod-template annotation holding the SHA-256 of an adapter's configuration. */
export function httpAdapterConfigHashAnnotation(containerName: string): string {
  return configHashAnnotationName(containerName, 'adapter');
}
