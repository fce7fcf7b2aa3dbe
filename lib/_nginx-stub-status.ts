/**
 * The NGINX exporter preset's `stub_status` server: which nginx container gets it, where nginx
 * includes it, and the checks that refuse what cannot work. Without a `stub_status` server, the
 * exporter retries and then exits, so the preset adds one itself (a ConfigMap file mounted into
 * the directory nginx includes inside `http {}`) or refuses at synth.
 */
import { createHash } from 'crypto';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { resolveAppContainer } from './_log-app-container';
import { helperObjectMetadata } from './_pod/labels';
import { Problems, RULES } from './_pod/rules';

/** How the NGINX exporter preset gets nginx's `stub_status`. */
export enum NginxStubStatus {
  /**
   * The preset adds the `stub_status` server block (a ConfigMap mounted, with `subPath`, as
   * `<confDirectory>/stub-status.conf` into the nginx container; the directory's other files,
   * e.g. the image's default.conf, stay).
   */
  MOUNT = 'mount',
  /**
   * nginx already has a `stub_status` server on `statusPort` (e.g. your config holds
   * `nginxStubStatusServerBlock`): the preset adds nothing.
   */
  PROVIDED = 'provided',
}

/** File name of the server block in the ConfigMap and in nginx's conf directory. */
export const NGINX_STUB_STATUS_FILE = 'stub-status.conf';
/**
 * Where the official nginx images include extra server blocks: their /etc/nginx/nginx.conf has
 * `include /etc/nginx/conf.d/*.conf;` inside `http {}` (nginx and nginxinc/nginx-unprivileged,
 * Debian and Alpine variants).
 * @see https://hub.docker.com/_/nginx
 */
export const NGINX_CONF_DIRECTORY = '/etc/nginx/conf.d';
/** Image repositories known to include {@link NGINX_CONF_DIRECTORY}/*.conf inside `http {}`. */
export const NGINX_IMAGES_WITH_CONF_D = ['nginx', 'library/nginx', 'nginxinc/nginx-unprivileged'] as const;
/** The pod-template annotation holding the SHA-256 of the stub_status server block (nginx reads it only at start). */
export const STUB_STATUS_HASH_ANNOTATION_SUFFIX = 'adapter.pod-patterns.dev/stub-status-sha256';

/** The repository of an image reference, without registry, tag or digest ("docker.io/library/nginx:1.27" → "library/nginx"). */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const parts = noDigest.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  const last = parts.pop()!;
  const colon = last.lastIndexOf(':');
  return [...parts, colon >= 0 ? last.slice(0, colon) : last].join('/');
}

/** The stub_status props of the preset, as given. */
export interface StubStatusInput {
  readonly workload: unknown;
  readonly stubStatus?: unknown;
  readonly appContainer?: kplus.Container;
  readonly appContainerName?: string;
  readonly confDirectory?: unknown;
  readonly name: string;
}

/** What the preset mounts, resolved. */
export interface ResolvedStubStatus {
  readonly container: kplus.Container;
  readonly directory: string;
}

/**
 * Checks the stub_status props (problems under their own names) and resolves the nginx container
 * and the directory; undefined with `PROVIDED` or on a problem.
 */
export function checkStubStatus(problems: Problems, p: StubStatusInput): ResolvedStubStatus | undefined {
  const mode = p.stubStatus ?? NginxStubStatus.MOUNT;
  if (!(Object.values(NginxStubStatus) as unknown[]).includes(mode)) {
    problems.add('stubStatus', mode, `one of ${Object.values(NginxStubStatus).map((m) => JSON.stringify(m)).join(', ')}`);
    return undefined;
  }
  if (mode === NginxStubStatus.PROVIDED) {
    for (const key of ['appContainer', 'appContainerName', 'confDirectory'] as const) {
      if (p[key] !== undefined) problems.add(key, key === 'appContainer' ? (p.appContainer as any)?.name : p[key], 'unset unless stubStatus is NginxStubStatus.MOUNT');
    }
    return undefined;
  }
  const volumeName = `${p.name}-stub-status`;
  if (RULES.dnsLabel.test(p.name) && !RULES.dnsLabel.test(volumeName)) {
    problems.add('name', p.name, `at most ${63 - '-stub-status'.length} characters, so that its "<name>-stub-status" volume name stays a DNS label`);
  }
  const workload = p.workload as kplus.AbstractPod;
  const container = resolveAppContainer(problems, workload, { container: p.appContainer, name: p.appContainerName }, { container: 'appContainer', name: 'appContainerName' }, false);
  if (!container) {
    if (typeof (workload as any)?.addContainer === 'function' && p.appContainer === undefined && p.appContainerName === undefined) {
      const names = workload.containers.map((c) => JSON.stringify(c.name)).join(', ') || 'none yet';
      problems.add('appContainer', undefined, `the nginx container (appContainer or appContainerName), to mount the stub_status server into (the workload's containers: ${names}), or stubStatus: NginxStubStatus.PROVIDED when nginx already serves stub_status`);
    }
    return undefined;
  }
  let directory = NGINX_CONF_DIRECTORY;
  if (p.confDirectory !== undefined) {
    if (!problems.check('confDirectory', p.confDirectory, RULES.absolutePath)) return undefined;
    directory = (p.confDirectory as string).replace(/\/+$/, '') || '/';
  } else {
    const image = container.image;
    if (!(NGINX_IMAGES_WITH_CONF_D as readonly string[]).includes(imageRepository(image))) {
      problems.add('stubStatus', NginxStubStatus.MOUNT, `NginxStubStatus.PROVIDED (your nginx config serves nginxStubStatusServerBlock on statusPort), or confDirectory: the directory whose *.conf files nginx includes inside http {}: the image ${JSON.stringify(image)} of container ${JSON.stringify(container.name)} is not one known to include ${NGINX_CONF_DIRECTORY}/*.conf (${NGINX_IMAGES_WITH_CONF_D.map((i) => JSON.stringify(i)).join(', ')})`);
      return undefined;
    }
  }
  const target = `${directory}/${NGINX_STUB_STATUS_FILE}`;
  const taken = container.mounts.find((m) => m.path.replace(/\/+$/, '') === target);
  if (taken) {
    problems.add('stubStatus', NginxStubStatus.MOUNT, `NginxStubStatus.PROVIDED: container ${JSON.stringify(container.name)} already mounts ${JSON.stringify((taken.volume as any).name)} at ${target}`);
    return undefined;
  }
  return { container, directory };
}

/**
 * Creates the ConfigMap with the server block, mounts it as `<directory>/stub-status.conf` into
 * the nginx container (read-only, `subPath`), and stamps its hash on the pod template so that a
 * changed port or path rolls the pods (nginx reads conf.d only at start).
 */
export function mountStubStatus(scope: Construct, workload: kplus.AbstractPod, r: ResolvedStubStatus, o: { name: string; serverBlock: string; labels: Readonly<Record<string, string>> }): kplus.ConfigMap {
  const configMap = new kplus.ConfigMap(scope, 'StubStatus', {
    metadata: helperObjectMetadata(workload, o.labels),
    data: { [NGINX_STUB_STATUS_FILE]: o.serverBlock },
  });
  const volume = kplus.Volume.fromConfigMap(scope, 'StubStatusVolume', configMap, { name: `${o.name}-stub-status` });
  r.container.mount(`${r.directory}/${NGINX_STUB_STATUS_FILE}`, volume, { subPath: NGINX_STUB_STATUS_FILE, readOnly: true });
  const hash = createHash('sha256').update(o.serverBlock).digest('hex');
  const meta = workload instanceof kplus.Workload ? workload.podMetadata : workload.metadata;
  meta.addAnnotation(`${o.name}.${STUB_STATUS_HASH_ANNOTATION_SUFFIX}`, hash);
  return configMap;
}
