/**
 * Pod-wide checks over a rendered pod spec: what no single container's props can show. They run
 * as construct validations (before any file is written; cdk8s prefixes the construct path) and,
 * in our synth driver, over every pod-bearing object of the app.
 */
import { IConstruct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { normalizePath, parseQuantity, problem, RULES, show } from './rules';
import { podSpecOf } from './inject';
import { renderingOf } from './rendering';

type Json = Record<string, any>;

const CHECKED = new WeakSet<ApiObject>();

/** Containers that run at the same time as the app: regular ones and native sidecars. */
function concurrent(spec: Json): Array<{ c: Json; at: string }> {
  const out: Array<{ c: Json; at: string }> = [];
  (spec.initContainers ?? []).forEach((c: Json, i: number) => {
    if (c.restartPolicy === 'Always') out.push({ c, at: `initContainers[${i}]` });
  });
  (spec.containers ?? []).forEach((c: Json, i: number) => out.push({ c, at: `containers[${i}]` }));
  return out;
}

function all(spec: Json): Array<{ c: Json; at: string }> {
  return [
    ...(spec.initContainers ?? []).map((c: Json, i: number) => ({ c, at: `initContainers[${i}]` })),
    ...(spec.containers ?? []).map((c: Json, i: number) => ({ c, at: `containers[${i}]` })),
  ];
}

function checkResources(errors: string[], at: string, r: Json | undefined): void {
  if (!r) return;
  for (const kind of ['requests', 'limits'] as const) {
    for (const [res, q] of Object.entries(r[kind] ?? {})) {
      if (!RULES.quantity.test(q)) errors.push(problem(`${at}.resources.${kind}.${res}`, q, RULES.quantity.expected));
    }
  }
  for (const [res, req] of Object.entries(r.requests ?? {})) {
    const lim = r.limits?.[res];
    if (lim === undefined) continue;
    const a = parseQuantity(req as string);
    const b = parseQuantity(lim as string);
    if (a !== undefined && b !== undefined && a > b) {
      errors.push(problem(`${at}.resources.requests.${res}`, req, `at most the limit ${show(lim)}`));
    }
  }
}

/** Checks one rendered pod spec; returns every problem found (empty when valid). */
export function checkPodSpec(spec: Json): string[] {
  const errors: string[] = [];
  const containers = all(spec);
  if ((spec.containers ?? []).length === 0) errors.push(problem('containers', spec.containers ?? [], 'at least one container'));

  // volumes: names valid and unique
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v: Json, i: number) => {
    if (!RULES.dnsLabel.test(v.name)) errors.push(problem(`volumes[${i}].name`, v.name, RULES.dnsLabel.expected));
    else if (volumes.has(v.name)) errors.push(problem(`volumes[${i}].name`, v.name, 'a volume name not used by another volume of the pod'));
    volumes.add(v.name);
  });

  const names = new Map<string, string>();
  for (const { c, at } of containers) {
    if (!RULES.dnsLabel.test(c.name)) errors.push(problem(`${at}.name`, c.name, RULES.dnsLabel.expected));
    else if (names.has(c.name)) errors.push(problem(`${at}.name`, c.name, `a container name not used by another container of the pod (${names.get(c.name)} has it)`));
    else names.set(c.name, at);

    if (!RULES.image.test(c.image)) errors.push(problem(`${at}.image`, c.image, RULES.image.expected));
    else if (!RULES.pinnedImage.test(c.image)) errors.push(problem(`${at}.image`, c.image, RULES.pinnedImage.expected));

    const portNames = new Set<string>();
    (c.ports ?? []).forEach((p: Json, j: number) => {
      if (!RULES.port.test(p.containerPort)) errors.push(problem(`${at}.ports[${j}].containerPort`, p.containerPort, RULES.port.expected));
      if (p.hostPort !== undefined && !RULES.port.test(p.hostPort)) errors.push(problem(`${at}.ports[${j}].hostPort`, p.hostPort, RULES.port.expected));
      if (p.name !== undefined) {
        if (!RULES.portName.test(p.name)) errors.push(problem(`${at}.ports[${j}].name`, p.name, RULES.portName.expected));
        else if (portNames.has(p.name)) errors.push(problem(`${at}.ports[${j}].name`, p.name, 'a port name not used by another port of the container'));
        portNames.add(p.name);
      }
    });

    const paths = new Set<string>();
    (c.volumeMounts ?? []).forEach((m: Json, j: number) => {
      if (!volumes.has(m.name)) errors.push(problem(`${at}.volumeMounts[${j}].name`, m.name, `the name of a volume declared in the pod (${[...volumes].map((v) => show(v)).join(', ') || 'none declared'})`));
      if (!RULES.absolutePath.test(m.mountPath)) errors.push(problem(`${at}.volumeMounts[${j}].mountPath`, m.mountPath, RULES.absolutePath.expected));
      else if (normalizePath(m.mountPath) === '/') errors.push(problem(`${at}.volumeMounts[${j}].mountPath`, m.mountPath, 'a mount path other than "/" (a volume over the container\'s root hides its whole filesystem)'));
      else if (paths.has(normalizePath(m.mountPath))) errors.push(problem(`${at}.volumeMounts[${j}].mountPath`, m.mountPath, 'a mount path not used by another mount of the same container'));
      if (typeof m.mountPath === 'string') paths.add(normalizePath(m.mountPath));
    });

    (c.env ?? []).forEach((e: Json, j: number) => {
      if (!RULES.envName.test(e.name)) errors.push(problem(`${at}.env[${j}].name`, e.name, RULES.envName.expected));
    });
    checkResources(errors, at, c.resources);
  }

  // ports: containers running at the same time share one network namespace
  const bound = new Map<string, string>();
  const hostBound = new Map<string, string>();
  for (const { c, at } of concurrent(spec)) {
    (c.ports ?? []).forEach((p: Json, j: number) => {
      const proto = p.protocol ?? 'TCP';
      const key = `${p.containerPort}/${proto}`;
      const owner = bound.get(key);
      if (owner && owner !== c.name) {
        errors.push(problem(`${at}.ports[${j}].containerPort`, p.containerPort, `a port not already bound by container "${owner}" (${proto}); containers of a pod share one network namespace`));
      } else bound.set(key, c.name);
      if (p.hostPort !== undefined) {
        const hkey = `${p.hostPort}/${proto}`;
        const howner = hostBound.get(hkey);
        if (howner) errors.push(problem(`${at}.ports[${j}].hostPort`, p.hostPort, `a host port not already used by container "${howner}" (${proto})`));
        else hostBound.set(hkey, c.name);
      }
    });
  }
  return errors;
}

/** Checks the pod spec of a rendered manifest; [] for kinds without a pod. */
export function checkManifestPod(manifest: Json): string[] {
  const spec = podSpecOf(manifest);
  return spec ? checkPodSpec(spec) : [];
}

/**
 * Adds the pod-wide checks to a workload's validations, once per workload. They run on the
 * rendered object before anything is written, as validations of `at` (the construct the user
 * gave: its path names the workload in messages).
 */
export function addPodChecks(workload: IConstruct, at: IConstruct = workload): void {
  const obj = ApiObject.of(workload);
  if (CHECKED.has(obj)) return;
  CHECKED.add(obj);
  at.node.addValidation({ validate: () => checkManifestPod(renderingOf(obj)) });
}

/** Whether the object already carries the pod-wide checks as a construct validation. */
export function hasPodChecks(obj: ApiObject): boolean {
  return CHECKED.has(obj);
}
