/**
 * The adapter's presets (lib/adapter.ts): the NGINX and Redis Prometheus exporters, their pinned
 * images, ports and defaults, their props, and the command lines and nginx config they write.
 */
import { NginxStubStatus } from '../_nginx-stub-status';
import { NGINX_EXPORTER_ARGS_SHAPE, NGINX_STUB_STATUS_SHAPE, REDIS_EXPORTER_ARGS_SHAPE } from '../_pod/prop-types';
import { assertPropTypes } from '../_pod/rules';
import { AdapterCommonProps, DEFAULT_METRICS_PATH } from './props';

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
