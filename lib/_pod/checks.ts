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

/** A list of the pod spec, or none when it is not one (the schema check reports its type). */
function listOf(v: unknown): Json[] {
  return Array.isArray(v) ? v : [];
}

/** The field of a container of the pod in messages: `initContainers[i]` or `containers[i]`. */
function containerAt(init: boolean, i: number): string {
  return init ? `initContainers[${i}]` : `containers[${i}]`;
}

function checkResources(errors: string[], at: string | (() => string), r: Json | undefined): void {
  if (!r) return;
  const where = () => (typeof at === 'string' ? at : at());
  for (const kind of ['requests', 'limits'] as const) {
    const quantities = r[kind];
    if (!quantities) continue;
    for (const res of Object.keys(quantities)) {
      const q = quantities[res];
      if (!RULES.quantity.test(q)) errors.push(problem(`${where()}.resources.${kind}.${res}`, q, RULES.quantity.expected));
    }
  }
  const requests = r.requests;
  if (!requests) return;
  for (const res of Object.keys(requests)) {
    const req = requests[res];
    const lim = r.limits?.[res];
    if (lim === undefined) continue;
    const a = parseQuantity(req as string);
    const b = parseQuantity(lim as string);
    if (a !== undefined && b !== undefined && a > b) {
      errors.push(problem(`${where()}.resources.requests.${res}`, req, `at most the limit ${show(lim)}`));
    }
  }
}

/** Checks one container of the pod (its `volumes` declared), appending to `errors`. */
function checkContainer(errors: string[], c: Json, init: boolean, i: number, volumes: Set<string>, names: Map<string, string>): void {
  let atText: string | undefined;
  const at = () => (atText ??= containerAt(init, i)); // made for a message only
  if (!RULES.dnsLabel.test(c.name)) errors.push(problem(`${at()}.name`, c.name, RULES.dnsLabel.expected));
  else if (names.has(c.name)) errors.push(problem(`${at()}.name`, c.name, `a container name not used by another container of the pod (${names.get(c.name)} has it)`));
  else names.set(c.name, at());

  if (!RULES.image.test(c.image)) errors.push(problem(`${at()}.image`, c.image, RULES.image.expected));
  else if (!RULES.pinnedImage.test(c.image)) errors.push(problem(`${at()}.image`, c.image, RULES.pinnedImage.expected));

  const ports = listOf(c.ports);
  if (ports.length > 0) {
    const portNames = new Set<string>();
    for (let j = 0; j < ports.length; j++) {
      const p = ports[j];
      if (!RULES.port.test(p.containerPort)) errors.push(problem(`${at()}.ports[${j}].containerPort`, p.containerPort, RULES.port.expected));
      if (p.hostPort !== undefined && !RULES.port.test(p.hostPort)) errors.push(problem(`${at()}.ports[${j}].hostPort`, p.hostPort, RULES.port.expected));
      if (p.name !== undefined) {
        if (!RULES.portName.test(p.name)) errors.push(problem(`${at()}.ports[${j}].name`, p.name, RULES.portName.expected));
        else if (portNames.has(p.name)) errors.push(problem(`${at()}.ports[${j}].name`, p.name, 'a port name not used by another port of the container'));
        portNames.add(p.name);
      }
    }
  }

  const mounts = listOf(c.volumeMounts);
  if (mounts.length > 0) {
    const paths = new Set<string>();
    for (let j = 0; j < mounts.length; j++) {
      const m = mounts[j];
      if (!volumes.has(m.name)) errors.push(problem(`${at()}.volumeMounts[${j}].name`, m.name, `the name of a volume declared in the pod (${[...volumes].map((v) => show(v)).join(', ') || 'none declared'})`));
      const normal = typeof m.mountPath === 'string' ? normalizePath(m.mountPath) : undefined;
      if (!RULES.absolutePath.test(m.mountPath)) errors.push(problem(`${at()}.volumeMounts[${j}].mountPath`, m.mountPath, RULES.absolutePath.expected));
      else if (normal === '/') errors.push(problem(`${at()}.volumeMounts[${j}].mountPath`, m.mountPath, 'a mount path other than "/" (a volume over the container\'s root hides its whole filesystem)'));
      else if (paths.has(normal!)) errors.push(problem(`${at()}.volumeMounts[${j}].mountPath`, m.mountPath, 'a mount path not used by another mount of the same container'));
      if (normal !== undefined) paths.add(normal);
    }
  }

  const env = listOf(c.env);
  for (let j = 0; j < env.length; j++) {
    if (!RULES.envName.test(env[j].name)) errors.push(problem(`${at()}.env[${j}].name`, env[j].name, RULES.envName.expected));
  }
  checkResources(errors, at, c.resources);
}

/** Records the ports of a container running beside the others; appends a clash to `errors`. */
function bindPorts(errors: string[], c: Json, init: boolean, i: number, bound: Map<string, string>, hostBound: Map<string, string>): void {
  const ports = listOf(c.ports);
  for (let j = 0; j < ports.length; j++) {
    const p = ports[j];
    const proto = p.protocol ?? 'TCP';
    const key = `${p.containerPort}/${proto}`;
    const owner = bound.get(key);
    if (owner && owner !== c.name) {
      errors.push(problem(`${containerAt(init, i)}.ports[${j}].containerPort`, p.containerPort, `a port not already bound by container "${owner}" (${proto}); containers of a pod share one network namespace`));
    } else bound.set(key, c.name);
    if (p.hostPort !== undefined) {
      const hkey = `${p.hostPort}/${proto}`;
      const howner = hostBound.get(hkey);
      if (howner) errors.push(problem(`${containerAt(init, i)}.ports[${j}].hostPort`, p.hostPort, `a host port not already used by container "${howner}" (${proto})`));
      else hostBound.set(hkey, c.name);
    }
  }
}

/** Checks one rendered pod spec; returns every problem found (empty when valid). */
export function checkPodSpec(spec: Json): string[] {
  const errors: string[] = [];
  const initContainers = listOf(spec.initContainers);
  const containers = listOf(spec.containers);
  if (containers.length === 0) errors.push(problem('containers', spec.containers ?? [], 'at least one container'));

  // volumes: names valid and unique
  const volumes = new Set<string>();
  const declared = listOf(spec.volumes);
  for (let i = 0; i < declared.length; i++) {
    const v = declared[i];
    if (!RULES.dnsLabel.test(v.name)) errors.push(problem(`volumes[${i}].name`, v.name, RULES.dnsLabel.expected));
    else if (volumes.has(v.name)) errors.push(problem(`volumes[${i}].name`, v.name, 'a volume name not used by another volume of the pod'));
    volumes.add(v.name);
  }

  const names = new Map<string, string>();
  for (let i = 0; i < initContainers.length; i++) checkContainer(errors, initContainers[i], true, i, volumes, names);
  for (let i = 0; i < containers.length; i++) checkContainer(errors, containers[i], false, i, volumes, names);

  // ports: containers running at the same time (regular ones and native sidecars) share one network namespace
  const bound = new Map<string, string>();
  const hostBound = new Map<string, string>();
  for (let i = 0; i < initContainers.length; i++) if (initContainers[i].restartPolicy === 'Always') bindPorts(errors, initContainers[i], true, i, bound, hostBound);
  for (let i = 0; i < containers.length; i++) bindPorts(errors, containers[i], false, i, bound, hostBound);
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
