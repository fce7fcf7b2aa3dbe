/**
 * The NGINX exporter preset's `stub_status` server: which nginx container gets it, where nginx
 * includes it, and the checks that refuse what cannot work. Without a `stub_status` server, the
 * exporter retries and then exits, so the preset adds one itself (a ConfigMap file mounted into
 * the directory nginx includes inside `http {}`) or refuses at synth.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as k8s from './_k8s';
import { stubStatusHashAnnotation } from './_config-hash';
import { GeneratedConfigMap } from './_pod/inject';
import { APP_CONTAINER_PROPS } from './_pod/helper';
import { helperObjectMetadata } from './_pod/labels';
import { Problems, RULES } from './_pod/rules';
import { podView, resolveAppContainer, resolveWorkload, Workload } from './_pod/workload';

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
export { STUB_STATUS_HASH_ANNOTATION_SUFFIX } from './_config-hash';

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
  readonly appContainer?: unknown;
  readonly appContainerName?: unknown;
  readonly confDirectory?: unknown;
  readonly name: string;
}

/** What the preset mounts, resolved. */
export interface ResolvedStubStatus {
  /** The workload nginx runs in. */
  readonly workload: Workload;
  /** The nginx container's name. */
  readonly containerName: string;
  /** The directory nginx includes inside `http {}`. */
  readonly directory: string;
}

/**
 * Checks the stub_status props (problems under their own names) and resolves the nginx container
 * (the shared resolver, on the pod as it stands: any workload kind) and the directory; undefined
 * with `PROVIDED` or on a problem. A wrong appContainer/appContainerName is reported by the
 * helper props' own check. `resolved` is the workload the caller resolved from the same props.
 */
export function checkStubStatus(problems: Problems, p: StubStatusInput, resolved?: Workload): ResolvedStubStatus | undefined {
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
  // `resolved`: the workload the preset resolved from the same props just before (its rendering is reused)
  const workload = resolved ?? resolveWorkload(new Problems(), 'workload', p.workload);
  if (!workload) return undefined;
  const view = podView(workload);
  const ref = { container: p.appContainer as any, name: p.appContainerName as any };
  const container = resolveAppContainer(new Problems(), workload, ref, APP_CONTAINER_PROPS, false, view);
  if (!container) {
    if (ref.container === undefined && ref.name === undefined) {
      const names = view.containers.filter((c) => !view.injected.has(c.name)).map((c) => JSON.stringify(c.name)).join(', ') || 'none yet';
      problems.add('appContainer', undefined, `the nginx container (appContainer or appContainerName), to mount the stub_status server into (the workload's containers: ${names}), or stubStatus: NginxStubStatus.PROVIDED when nginx already serves stub_status`);
    }
    return undefined;
  }
  let directory = NGINX_CONF_DIRECTORY;
  if (p.confDirectory !== undefined) {
    if (!problems.check('confDirectory', p.confDirectory, RULES.absolutePath)) return undefined;
    directory = (p.confDirectory as string).replace(/\/+$/, '') || '/';
  } else {
    const image = String(container.image);
    if (!(NGINX_IMAGES_WITH_CONF_D as readonly string[]).includes(imageRepository(image))) {
      problems.add('stubStatus', NginxStubStatus.MOUNT, `NginxStubStatus.PROVIDED (your nginx config serves nginxStubStatusServerBlock on statusPort), or confDirectory: the directory whose *.conf files nginx includes inside http {}: the image ${JSON.stringify(image)} of container ${JSON.stringify(container.name)} is not one known to include ${NGINX_CONF_DIRECTORY}/*.conf (${NGINX_IMAGES_WITH_CONF_D.map((i) => JSON.stringify(i)).join(', ')})`);
      return undefined;
    }
  }
  const target = `${directory}/${NGINX_STUB_STATUS_FILE}`;
  const taken = (container.volumeMounts ?? []).find((m: any) => String(m.mountPath).replace(/\/+$/, '') === target);
  if (taken) {
    problems.add('stubStatus', NginxStubStatus.MOUNT, `NginxStubStatus.PROVIDED: container ${JSON.stringify(container.name)} already mounts ${JSON.stringify(taken.name)} at ${target}`);
    return undefined;
  }
  return { workload, containerName: container.name, directory };
}

/** The stub_status server's share of the adapter's part: the nginx container's mount, its volume, its hash. */
export interface StubStatusPart {
  /** The ConfigMap holding the server block. */
  readonly configMap: kplus.ConfigMap;
  /** The ConfigMap volume. */
  readonly volume: k8s.Volume;
  /** The nginx container (the part's app container). */
  readonly appContainerName: string;
  /** The mount of the server block into nginx's conf directory (read-only, `subPath`). */
  readonly volumeMount: k8s.VolumeMount;
  /** The generated ConfigMap, for the injection step's hash on the pod template. */
  readonly configMaps: readonly GeneratedConfigMap[];
}

/**
 * Creates the ConfigMap with the server block (in `scope`, the workload's namespace) and returns
 * what the adapter's part adds: the volume, the mount as `<directory>/stub-status.conf` into the
 * nginx container (an app-container edit, read-only, `subPath`), and the hash annotation so that
 * a changed port or path rolls the pods (nginx reads conf.d only at start).
 */
export function stubStatusPart(scope: Construct, r: ResolvedStubStatus, o: { name: string; serverBlock: string; labels: Readonly<Record<string, string>> }): StubStatusPart {
  const configMap = new kplus.ConfigMap(scope, 'StubStatus', {
    metadata: helperObjectMetadata(r.workload.apiObject, o.labels),
    data: { [NGINX_STUB_STATUS_FILE]: o.serverBlock },
  });
  const volume: k8s.Volume = { name: `${o.name}-stub-status`, configMap: { name: configMap.name } };
  return {
    configMap,
    volume,
    appContainerName: r.containerName,
    volumeMount: { mountPath: `${r.directory}/${NGINX_STUB_STATUS_FILE}`, name: volume.name, readOnly: true, subPath: NGINX_STUB_STATUS_FILE },
    configMaps: [{ volume: volume.name, configMap: ApiObject.of(configMap), annotation: stubStatusHashAnnotation(o.name) }],
  };
}
