/**
 * The one injection step: the only code that edits a pod template, and the only place that
 * replaces an ApiObject's `toJson` to change what it renders (the synth driver, lib/synth/collect.ts,
 * only memoizes renderings while validations run, and restores the function after).
 *
 * Every pattern builds its part of a pod as plain data ({@link PodPart}: Kubernetes container
 * specs typed with the L1 types of imports/k8s.ts, volumes, pod-level settings, pod-template
 * annotations, its Pod Security declaration) and registers it here with {@link injectPart}. The
 * first registration on an ApiObject wraps its `toJson` once; the wrapper renders the object as
 * its own library wrote it (cdk8s-plus of any major, an L1 object, an `Include`d one) and then
 * applies every registered part, the same way for every kind that carries a pod template.
 *
 * Why `toJson` is wrapped rather than JSON patches used: cdk8s-plus-27 renders through the
 * Kubernetes 1.27 L1 types, which drop any field they do not know, even fields added by
 * `ApiObject.addJsonPatch` (native sidecars' `restartPolicy`), so edits must come after it.
 *
 * Order, per rendering:
 * 1. the object's own rendering (its library's `toJson`);
 * 2. each part, in the order the parts were registered (construction order), and within a part:
 *    a. pod-level settings (`shareProcessNamespace`, `securityContext`: a later part's setting wins),
 *    b. volumes, appended,
 *    c. edits of existing containers (`containerEdits`: env and volume mounts appended,
 *       securityContext / resources / startup, readiness and liveness probes replaced),
 *    d. init containers: a helper's native sidecars go before the user's init containers (after the
 *       helpers' placed there before them), or right after a named init container
 *       (`initContainerPlacement`); other parts' init containers are appended,
 *    e. containers: appended, or placed before the app (`containersFirst`: a helper the app waits
 *       for, after the ones placed there before it),
 *    f. pod-template annotations, merged (the template's metadata; a bare Pod's own metadata), then
 *       the SHA-256 of each generated ConfigMap the part mounts (`configMaps`, read when rendered,
 *       so an edit of the ConfigMap changes the pod template and rolls the pods), then
 *       `kubectl.kubernetes.io/default-container` (`defaultContainer`) unless already set;
 * 3. the pod spec's and template metadata's keys sorted, as cdk8s sorts them;
 * 4. last, the Pod Security annotation on the object's metadata, computed from the final pod:
 *    the least strict of the parts' declarations and of what the other containers already need.
 *
 * Services, the one other kind a pattern edits (an adapter that takes over the port a Service
 * targets), go through the same wrapper with {@link injectServicePortEdit}: after the object's own
 * rendering (a cdk8s-plus Service of any major, an L1 KubeService, an `Include`d one), each edit,
 * in registration order, points the TCP ports aimed at one container port (`targetPort`, else
 * `port`, as Kubernetes reads it) at another.
 *
 * The parts are read when rendered, so a tweak of exposed part data (e.g. pushing to a
 * sidecar's `env`) before synthesis is written. Rendering is pure: twice gives the same bytes.
 * Checks run on the result; none writes back into it.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../_k8s';
import { configDataHash } from '../_config-hash';
import { strictestPassingLevel } from './pss';
import { PropsError } from './rules';
import { kubernetesVersionOf } from './version';
import { PodSecurityLevel, weakestLevel } from './pod-security';
import { POD_SECURITY_ANNOTATION } from './security';
import { renderingOf } from './rendering';
import { withFastRendering } from './cdk8s-render';
import * as l1 from './l1-json';

/**
 * A container exactly as it is written into the pod: the Kubernetes L1 container type, plus the
 * native-sidecar `restartPolicy` the 1.27 L1 types lack.
 */
export interface ContainerSpec extends k8s.Container {
  /**
   * `Always` for a native sidecar: an init container that keeps running beside the app (Kubernetes 1.29+).
   * @default - none
   */
  readonly restartPolicy?: string;
  /**
   * Seconds the container's `preStop` hook sleeps with the kubelet's own sleep action
   * (`lifecycle.preStop.sleep.seconds`, on by default from Kubernetes 1.30; the 1.27 L1 types lack it).
   * @default - none
   */
  readonly preStopSleepSeconds?: number;
}

/** Edits of a container already in the pod (the user's app container, or a container a pattern owns). */
export interface ContainerEdit {
  /** The container's name. */
  readonly name: string;
  /** Environment variables appended. */
  readonly env?: k8s.EnvVar[];
  /** Volume mounts appended. */
  readonly volumeMounts?: k8s.VolumeMount[];
  /** Replaces the container's security context (an empty object removes it). */
  readonly securityContext?: k8s.SecurityContext;
  /** Replaces the container's resources (an empty object removes them). */
  readonly resources?: k8s.ResourceRequirements;
  /** Replaces the container's startup probe. */
  readonly startupProbe?: k8s.Probe;
  /** Replaces the container's readiness probe. */
  readonly readinessProbe?: k8s.Probe;
  /** Replaces the container's liveness probe. */
  readonly livenessProbe?: k8s.Probe;
  /** Sets the container's restart policy (`Always`: a native sidecar). */
  readonly restartPolicy?: string;
}

/** Pod-level settings a part sets. */
export interface PodSettings {
  /** `spec.shareProcessNamespace`. */
  readonly shareProcessNamespace?: boolean;
  /** Replaces `spec.securityContext` (an empty object removes it). */
  readonly securityContext?: k8s.PodSecurityContext;
}

/** A pattern's Pod Security declaration for its part. */
export interface PodSecurityDeclaration {
  /** The profile the pattern's part of the pod needs. */
  readonly level: PodSecurityLevel;
  /** The containers the pattern added; undefined when the pattern owns the whole pod. */
  readonly containers?: readonly string[];
}

/** One pattern's part of a pod, as plain data. */
export interface PodPart {
  /** Who adds it (a construct path), for messages. */
  readonly owner: string;
  /** Pod-level settings. */
  readonly pod?: PodSettings;
  /** Volumes appended to the pod. */
  readonly volumes?: readonly k8s.Volume[];
  /** Edits of containers already in the pod. */
  readonly containerEdits?: readonly ContainerEdit[];
  /** Init containers appended (native sidecars carry `restartPolicy: Always`). */
  readonly initContainers?: readonly ContainerSpec[];
  /** Containers appended. */
  readonly containers?: readonly ContainerSpec[];
  /** Pod-template annotations merged. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** The profile this part needs. */
  readonly podSecurity?: PodSecurityDeclaration;
  /**
   * Where the part's init containers go: `{ first: true }` before the user's init containers (a
   * helper's native sidecars, by default), `{ after: name }` right after the named init container.
   * Undefined: appended.
   */
  readonly initContainerPlacement?: InitContainerPlacement;
  /** Place the part's containers before the app's (a helper the app waits for, below native sidecars). */
  readonly containersFirst?: boolean;
  /** ConfigMaps the part generated and mounts: each one's content hash goes on the pod template. */
  readonly configMaps?: readonly GeneratedConfigMap[];
  /** The container `kubectl logs` and `kubectl exec` pick (`kubectl.kubernetes.io/default-container`), unless one is set. */
  readonly defaultContainer?: string;
  /** How the part's containers start and stop, for the grace-period budget and the lifecycle diagram. */
  readonly lifecycle?: PartLifecycle;
}

/** Where a part's init containers go. */
export interface InitContainerPlacement {
  /** Before every init container the user wrote (after other helpers placed there). */
  readonly first?: boolean;
  /** Right after this init container (after other helpers placed after it). */
  readonly after?: string;
}

/** A ConfigMap a part generated, and the name of the pod volume that mounts it. */
export interface GeneratedConfigMap {
  /** The pod volume that mounts it. */
  readonly volume: string;
  /** The ConfigMap object: its rendered `data` and `binaryData` are hashed. */
  readonly configMap: ApiObject;
  /** The annotation key holding its hash (named by configHashAnnotationName, lib/_config-hash.ts). */
  readonly annotation: string;
}

/** A part's start and stop behaviour. */
export interface PartLifecycle {
  /** The app container the part's containers serve. */
  readonly appContainer?: string;
  /** Seconds the app takes to drain after the pod is told to stop (the helper outlives it). */
  readonly appDrainSeconds: number;
  /** Where the drain comes from (`appDrain`, the app's preStop sleep, the default), for messages. */
  readonly drainFrom: string;
  /** Seconds each of the part's containers takes to stop once it gets SIGTERM. */
  readonly stopSeconds: number;
  /** Whether the part's containers wait out the app's drain before they stop (preStop, or native sidecar order). */
  readonly outlivesApp: boolean;
}

/** The annotation naming the container `kubectl logs`, `exec` and `attach` pick by default. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * The SHA-256 of a rendered ConfigMap's content, as {@link configDataHash} computes it over its
 * `data` (keys sorted, `key NUL value NUL`); `binaryData` entries, if any, follow with their keys
 * prefixed `binaryData/`.
 */
export function configMapHash(configMap: ApiObject): string {
  const json = renderingOf(configMap); // only read
  const binary = Object.fromEntries(Object.entries(json.binaryData ?? {}).map(([k, v]) => [`binaryData/${k}`, String(v)]));
  return configDataHash({ ...(json.data ?? {}), ...binary });
}

/** An edit of a Service's ports: the TCP ports aimed at one container port are aimed at another. */
export interface ServicePortEdit {
  /** Who adds it (a construct path), for messages. */
  readonly owner: string;
  /** The container port the ports aim at now (their `targetPort`, or their `port` when they have none). */
  readonly fromTargetPort: number;
  /** The container port they aim at after the edit (written as `targetPort`). */
  readonly toTargetPort: number;
}

interface InjectionState {
  /** The object's own rendering, before any part. */
  readonly render: () => any;
  /** Whether that rendering is its class's `toJson` (no function of the object's own replaced it before the first part). */
  readonly classRender: boolean;
  readonly parts: PodPart[];
  readonly serviceEdits: ServicePortEdit[];
}

const STATE = new WeakMap<ApiObject, InjectionState>();

/** The kinds whose manifests carry a pod (or a pod template), and where. */
export const POD_TEMPLATE_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

/** The pod spec inside a rendered manifest of any pod-bearing kind, or undefined. */
export function podSpecOf(manifest: any): any | undefined {
  switch (manifest?.kind) {
    case 'Pod':
      return manifest.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return manifest.spec?.template?.spec;
    case 'CronJob':
      return manifest.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** The pod's metadata (the template's for workloads) inside a rendered manifest. */
export function podMetadataOf(manifest: any): any | undefined {
  switch (manifest?.kind) {
    case 'Pod':
      return manifest.metadata;
    case 'CronJob':
      return manifest.spec?.jobTemplate?.spec?.template?.metadata;
    default:
      return manifest?.spec?.template?.metadata;
  }
}

/** The pod template object of a manifest (created when missing), where metadata lives. */
function templateOf(manifest: any): any | undefined {
  switch (manifest?.kind) {
    case 'Pod':
      return manifest;
    case 'CronJob':
      return manifest.spec?.jobTemplate?.spec?.template;
    default:
      return manifest?.spec?.template;
  }
}

/** Returns keys sorted recursively, as cdk8s renders them. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as any)[k]);
    return out as T;
  }
  return value;
}

/** Drops undefined values and empty lists (Kubernetes reads an empty list as an absent one). */
function clean(value: any): any {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}

/**
 * `sortKeys(clean(value))` in one pass: undefined values and empty lists dropped, keys sorted.
 * Only for values made for the call (what an L1 `toJson_*` function returns): a list or object
 * that is already so is returned as it is (no copy, as nothing else holds it), any other is made anew.
 */
export function cleanSorted(value: any): any {
  if (Array.isArray(value)) {
    let out: any[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = cleanSorted(value[i]);
      if (v !== value[i] && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(v);
    }
    return out ?? value;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    let i = 1;
    while (i < keys.length && keys[i - 1] < keys[i]) i++;
    const sorted = i >= keys.length;
    if (!sorted) keys.sort();
    // made only once something differs (each value is cleaned once)
    let out: Record<string, unknown> | undefined = sorted ? undefined : {};
    for (let j = 0; j < keys.length; j++) {
      const v = value[keys[j]];
      const drop = v === undefined || (Array.isArray(v) && v.length === 0);
      const c = drop ? undefined : cleanSorted(v);
      if (out === undefined && (drop || c !== v)) {
        out = {};
        for (let m = 0; m < j; m++) out[keys[m]] = value[keys[m]];
      }
      if (out !== undefined && !drop) out[keys[j]] = c;
    }
    return out ?? value;
  }
  return value;
}

/** A container spec as Kubernetes JSON: exactly what is written for it. */
export function containerJson(c: ContainerSpec): Record<string, any> {
  const json: Record<string, any> = { ...l1.toJson_Container(c), restartPolicy: c.restartPolicy };
  // the sleep action is merged into what the L1 types rendered of the lifecycle (they lack it)
  if (c.preStopSleepSeconds !== undefined) json.lifecycle = { ...json.lifecycle, preStop: { sleep: { seconds: c.preStopSleepSeconds } } };
  return cleanSorted(json);
}

/** A volume as Kubernetes JSON. */
export function volumeJson(v: k8s.Volume): Record<string, any> {
  return cleanSorted(k8s.toJson_Volume(v));
}

/**
 * The object itself when its keys are in order (alphabetical, as cdk8s renders them), else a
 * fresh object with the same keys and values in order (edits append keys at the end). Why fresh,
 * as {@link without} too: re-ordering or deleting an object's keys in place turns it into one of
 * V8's slow "dictionary" objects, which every later reader (the checks, the schema validator, the
 * YAML writer) reads at about half the speed.
 */
function tidy<T extends Record<string, any>>(obj: T): T {
  const keys = Object.keys(obj);
  let i = 1;
  while (i < keys.length && keys[i - 1] < keys[i]) i++;
  if (i >= keys.length) return obj;
  const out: Record<string, any> = {};
  for (const k of keys.sort()) out[k] = obj[k];
  return out as T;
}

/** A fresh copy of the object without `key` (see {@link tidy}). */
function without(obj: Record<string, any>, key: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of Object.keys(obj)) if (k !== key) out[k] = obj[k];
  return out;
}

/** A container with an edit applied (fresh when keys were added or removed, see {@link tidy}). */
function editedContainer(container: any, e: ContainerEdit): any {
  let c = container;
  if (e.env && e.env.length > 0) c.env = [...(c.env ?? []), ...e.env.map((x) => clean(l1.toJson_EnvVar(x)))];
  if (e.volumeMounts && e.volumeMounts.length > 0) c.volumeMounts = [...(c.volumeMounts ?? []), ...e.volumeMounts.map((x) => clean(l1.toJson_VolumeMount(x)))];
  if (e.securityContext !== undefined) {
    const sc = cleanSorted(l1.toJson_SecurityContext(e.securityContext));
    if (Object.keys(sc).length > 0) c.securityContext = sc;
    else if ('securityContext' in c) c = without(c, 'securityContext');
  }
  if (e.resources !== undefined) {
    const r = cleanSorted(l1.toJson_ResourceRequirements(e.resources));
    if (Object.keys(r).length > 0) c.resources = r;
    else if ('resources' in c) c = without(c, 'resources');
  }
  if (e.startupProbe !== undefined) c.startupProbe = cleanSorted(l1.toJson_Probe(e.startupProbe));
  if (e.readinessProbe !== undefined) c.readinessProbe = cleanSorted(l1.toJson_Probe(e.readinessProbe));
  if (e.livenessProbe !== undefined) c.livenessProbe = cleanSorted(l1.toJson_Probe(e.livenessProbe));
  if (e.restartPolicy !== undefined) c.restartPolicy = e.restartPolicy;
  return tidy(c);
}

/** Names of the containers placed ahead, per rendering (front init containers, after-X init containers, leading containers). */
interface Placed {
  readonly firstInit: Set<string>;
  readonly afterInit: Set<string>;
  readonly firstContainers: Set<string>;
}

/** Inserts `items` at `at`, recording their names. */
function insertAt(list: any[], at: number, items: any[], names: Set<string>): any[] {
  for (const c of items) names.add(c.name);
  return [...list.slice(0, at), ...items, ...list.slice(at)];
}

/** The index after the leading run of containers whose names are in `names`, from `from`. */
function skip(list: any[], from: number, names: Set<string>): number {
  let i = from;
  while (i < list.length && names.has(list[i].name)) i++;
  return i;
}

/** Applies one part to a rendered manifest's pod, in the order documented above. */
function applyPart(manifest: any, part: PodPart, placed: Placed): void {
  let spec = podSpecOf(manifest);
  if (!spec) return;
  if (part.pod?.shareProcessNamespace !== undefined) spec.shareProcessNamespace = part.pod.shareProcessNamespace;
  if (part.pod?.securityContext !== undefined) {
    const sc = cleanSorted(l1.toJson_PodSecurityContext(part.pod.securityContext));
    if (Object.keys(sc).length > 0) spec.securityContext = sc;
    else if ('securityContext' in spec) spec = templateOf(manifest).spec = without(spec, 'securityContext');
  }
  if (part.volumes && part.volumes.length > 0) spec.volumes = [...(spec.volumes ?? []), ...part.volumes.map(volumeJson)];
  for (const e of part.containerEdits ?? []) {
    for (const list of [spec.initContainers, spec.containers]) {
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) if (list[i].name === e.name) list[i] = editedContainer(list[i], e);
    }
  }
  if (part.initContainers && part.initContainers.length > 0) {
    const list: any[] = spec.initContainers ?? [];
    const items = part.initContainers.map(containerJson);
    const placement = part.initContainerPlacement;
    const after = placement?.after !== undefined ? list.findIndex((c) => c.name === placement.after) : -1;
    if (after >= 0) spec.initContainers = insertAt(list, skip(list, after + 1, placed.afterInit), items, placed.afterInit);
    else if (placement?.first) spec.initContainers = insertAt(list, skip(list, 0, placed.firstInit), items, placed.firstInit);
    else spec.initContainers = [...list, ...items];
  }
  if (part.containers && part.containers.length > 0) {
    const list: any[] = spec.containers ?? [];
    const items = part.containers.map(containerJson);
    spec.containers = part.containersFirst ? insertAt(list, skip(list, 0, placed.firstContainers), items, placed.firstContainers) : [...list, ...items];
  }
  const annotations: Record<string, string> = { ...(part.annotations ?? {}) };
  for (const g of part.configMaps ?? []) annotations[g.annotation] = configMapHash(g.configMap);
  const existing = templateOf(manifest)?.metadata?.annotations ?? {};
  if (part.defaultContainer !== undefined && existing[DEFAULT_CONTAINER_ANNOTATION] === undefined && annotations[DEFAULT_CONTAINER_ANNOTATION] === undefined) {
    annotations[DEFAULT_CONTAINER_ANNOTATION] = part.defaultContainer;
  }
  if (Object.keys(annotations).length > 0) {
    const template = templateOf(manifest);
    template.metadata = template.metadata ?? {};
    template.metadata.annotations = { ...(template.metadata.annotations ?? {}), ...annotations };
  }
}

/** Where a rendered Service port sends its traffic: its `targetPort`, else its `port` (as Kubernetes defaults it). */
export function effectiveTargetPort(port: any): number | string | undefined {
  return port?.targetPort ?? port?.port;
}

/** Applies one Service port edit to a rendered Service. */
function applyServiceEdit(manifest: any, edit: ServicePortEdit): void {
  const ports: any[] = manifest?.spec?.ports ?? [];
  for (let i = 0; i < ports.length; i++) {
    const port = ports[i];
    if ((port.protocol ?? 'TCP') !== 'TCP' || effectiveTargetPort(port) !== edit.fromTargetPort) continue;
    port.targetPort = edit.toTargetPort;
    ports[i] = tidy(port);
  }
}

/** The object's own rendering (or `json`, a rendering of its pod made otherwise) with every part applied, without the Pod Security annotation. */
function renderParts(state: InjectionState, base?: any): any {
  return withFastRendering(() => applyParts(state, base ?? state.render()));
}

/** Applies every part (and Service edit) to a rendering, in the order documented above. */
function applyParts(state: InjectionState, json: any): any {
  const placed: Placed = { firstInit: new Set(), afterInit: new Set(), firstContainers: new Set() };
  for (const part of state.parts) applyPart(json, part, placed);
  if (json?.kind === 'Service') for (const edit of state.serviceEdits) applyServiceEdit(json, edit);
  const spec = podSpecOf(json);
  if (spec) {
    const template = templateOf(json);
    template.spec = tidy(spec);
    const meta = template.metadata;
    if (meta) {
      if (meta.annotations) meta.annotations = sortKeys(meta.annotations);
      template.metadata = tidy(meta);
    }
  }
  return json;
}

function stateOf(obj: ApiObject): InjectionState {
  let state = STATE.get(obj);
  if (!state) {
    const classRender = !Object.prototype.hasOwnProperty.call(obj, 'toJson');
    const created: InjectionState = { render: obj.toJson.bind(obj), classRender, parts: [], serviceEdits: [] };
    state = created;
    STATE.set(obj, created);
    obj.toJson = () => {
      const json = renderParts(created);
      const declarations = created.parts.flatMap((p) => (p.podSecurity ? [p.podSecurity] : []));
      if (declarations.length > 0 && podSpecOf(json)) {
        json.metadata = json.metadata ?? {};
        json.metadata.annotations = sortKeys({ ...(json.metadata.annotations ?? {}), [POD_SECURITY_ANNOTATION]: requiredLevel(declarations, json, kubernetesVersionOf(obj)) });
        json.metadata = tidy(json.metadata);
      }
      return json;
    };
  }
  return state;
}

/** Registers a pattern's part of a pod-bearing object; parts apply in registration order. */
export function injectPart(obj: ApiObject, part: PodPart): void {
  stateOf(obj).parts.push(part);
}

/**
 * Declares the Pod Security Standards profile a pattern needs on this workload: for the whole
 * pod (patterns that own their pod) or for the containers it added (helpers on a user's
 * workload). The injection step annotates the workload, once, from the final pod: the least
 * strict of the declarations and, where helpers sit next to the user's own containers, of what
 * those containers already need.
 */
export function declarePodSecurity(workload: IConstruct, level: PodSecurityLevel, containers?: readonly string[]): void {
  const declaration: PodSecurityDeclaration = { level, containers };
  injectPart(ApiObject.of(workload), { owner: workload.node.path, podSecurity: declaration });
}

/**
 * Registers an edit of a Service's ports (`obj` is a Service: its ports aimed at
 * `fromTargetPort` get `targetPort: toTargetPort`); edits apply in registration order.
 */
export function injectServicePortEdit(obj: ApiObject, edit: ServicePortEdit): void {
  if (obj.kind !== 'Service') throw new Error(`injectServicePortEdit: ${obj.node.path} is a ${obj.kind}, not a Service`);
  stateOf(obj).serviceEdits.push(edit);
}

/** The parts registered on an object so far. */
export function partsOf(obj: ApiObject): readonly PodPart[] {
  return STATE.get(obj)?.parts ?? [];
}

/** The names of the containers the library added to an object (never the user's app). */
export function injectedContainerNames(obj: ApiObject): Set<string> {
  return new Set(partsOf(obj).flatMap((p) => [...(p.initContainers ?? []), ...(p.containers ?? [])].map((c) => c.name)));
}

/** What a cdk8s-plus workload (every major, 27 to 33) throws when it renders without containers. */
const NO_CONTAINERS_MESSAGE = 'PodSpec must have at least 1 container';

/**
 * The object's manifest as it stands now, every part applied (no Pod Security annotation), for
 * helpers looking at the pod while they are built. Undefined when the object cannot render yet
 * (a cdk8s-plus workload without containers); any other failure to render is reported as a
 * {@link PropsError} at the object's path, with the error it threw.
 */
export function currentManifest(obj: ApiObject): any | undefined {
  const state = STATE.get(obj);
  try {
    return state ? renderParts(state) : obj.toJson();
  } catch (e) {
    if (e instanceof Error && e.message.endsWith(NO_CONTAINERS_MESSAGE)) return undefined; // cdk8s wraps it: "Failed serializing construct at path ...: Error: ..."
    const thrown = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new PropsError(obj.node.path, [`toJson(): received the error ${JSON.stringify(thrown)}; expected the object to render (the library reads the pod as it stands to check a pattern's props)`]);
  }
}

/**
 * Whether {@link currentManifest} renders the object with its class's own `toJson` (plus the
 * injection step's parts): no function of the object's own replaced it (a synth driver's memo, a
 * user's override) before the first part was registered (one set later is not what
 * currentManifest reads either).
 */
export function rendersWithClassToJson(obj: ApiObject): boolean {
  const state = STATE.get(obj);
  return state ? state.classRender : !Object.prototype.hasOwnProperty.call(obj, 'toJson');
}

/**
 * `base`, a manifest of the object's kind holding its pod as the object's own library renders it
 * (made without rendering the whole object: lib/_pod/workload.ts), with every part registered so
 * far applied, as {@link currentManifest} applies them to the full rendering. `base` is edited.
 */
export function withParts(obj: ApiObject, base: any): any {
  const state = STATE.get(obj);
  return state ? renderParts(state, base) : base;
}

/** The profile the whole rendered pod needs, given the parts' declarations. */
function requiredLevel(declarations: readonly PodSecurityDeclaration[], manifest: any, version: string): PodSecurityLevel {
  const levels = declarations.map((d) => d.level);
  if (declarations.some((d) => d.containers === undefined)) return weakestLevel(...levels);
  const ours = new Set(declarations.flatMap((d) => d.containers ?? []));
  const spec = podSpecOf(manifest);
  const userPart = {
    metadata: podMetadataOf(manifest),
    spec: {
      ...spec,
      containers: (spec.containers ?? []).filter((c: any) => !ours.has(c.name)),
      initContainers: (spec.initContainers ?? []).filter((c: any) => !ours.has(c.name)),
    },
  };
  return weakestLevel(...levels, strictestPassingLevel(userPart, version));
}

/**
 * The part of a rendered pod that some containers make up: pod-level security settings, those
 * containers, and the volumes they mount. A helper checks its declaration against this.
 */
export function patternPart(manifest: any, containers: readonly string[]): { metadata: any; spec: any } {
  const spec = podSpecOf(manifest) ?? {};
  const names = new Set(containers);
  const pick = (list: any[] | undefined) => (list ?? []).filter((c: any) => names.has(c.name));
  const picked = [...pick(spec.initContainers), ...pick(spec.containers)];
  const mounted = new Set(picked.flatMap((c: any) => (c.volumeMounts ?? []).map((m: any) => m.name)));
  return {
    metadata: podMetadataOf(manifest),
    spec: {
      securityContext: spec.securityContext,
      initContainers: pick(spec.initContainers),
      containers: pick(spec.containers),
      volumes: (spec.volumes ?? []).filter((v: any) => mounted.has(v.name)),
    },
  };
}
