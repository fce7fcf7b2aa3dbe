/**
 * The one resolver every helper, `hardenContainer` and the checks use to find what they attach
 * to: the pod-bearing ApiObject behind whatever construct the user gives, and the user's app
 * container in it.
 *
 * Accepted (typed as `IConstruct`, which jsii can express, so any of these passes tsc uncast):
 * - a cdk8s-plus workload of any major (27 to 33): Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob;
 * - a cdk8s L1 object of a pod-bearing kind (`KubeDeployment`, ... from the user's own imports);
 * - any ApiObject of such a kind, e.g. one cdk8s `Include` created from a YAML file;
 * - a construct holding exactly one such object (an `Include` of a file with one Deployment).
 *
 * The pod is read from the object's current rendering (its own library's, plus the parts
 * injected so far), so every kind and library is read the same way. A container a pattern added
 * is never taken for the app.
 *
 * A helper that edits a Service (an adapter taking over the port it targets) resolves it here
 * too ({@link resolveService}): a cdk8s-plus Service of any major, an L1 KubeService, an
 * `Include`d one, read from its current rendering alike.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { currentManifest, injectedContainerNames, partsOf, podMetadataOf, podSpecOf, POD_TEMPLATE_KINDS, rendersWithClassToJson, withParts } from './inject';
import { Problems, RULES } from './rules';
import { ofPlusClass, plusMajorOf } from './version';
import { hasBuiltInResolvers, withFastRendering } from './cdk8s-render';

export { plusMajorOf };

/** What a helper attaches to, resolved. */
export interface Workload {
  /** The construct the user gave. */
  readonly construct: IConstruct;
  /** The pod-bearing object: the one the injection step edits. */
  readonly apiObject: ApiObject;
  /** Its kind ("Deployment", ...). */
  readonly kind: string;
  /** The cdk8s-plus major it comes from (27 ... 33), when it is a cdk8s-plus workload. */
  readonly plusMajor?: number;
}

/** A container given by reference: anything with the container's name (a cdk8s-plus Container of any major). */
export interface NamedContainer {
  /** The container's name. */
  readonly name: string;
}

/** What a valid `workload` prop is, for messages. */
export const WORKLOAD_EXPECTED = 'a workload: a cdk8s-plus (27 to 33) Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob, a cdk8s L1 object (KubeDeployment, ...), an ApiObject whose kind carries a pod template (e.g. from Include), or a construct holding exactly one of them';

function isPodObject(c: IConstruct): c is ApiObject {
  return ApiObject.isApiObject(c) && POD_TEMPLATE_KINDS.includes(c.kind);
}

function describeObject(o: ApiObject): string {
  return `${o.kind} ${JSON.stringify(o.name)} (${o.node.path})`;
}

function describeValue(v: unknown): unknown {
  if (v === undefined || v === null || typeof v !== 'object') return v;
  if (Construct.isConstruct(v)) return v.node.path;
  return String(v);
}

/** The workload an ApiObject is the resource of (its cdk8s-plus construct), or the object itself. */
function ownerOf(obj: ApiObject): IConstruct {
  const scope = obj.node.scope;
  return scope !== undefined && plusMajorOf(scope) !== undefined ? scope : obj;
}

/**
 * Resolves a `workload` prop, recording a problem (under `prop`) when it names no single
 * pod-bearing object. Works on plain JavaScript values too.
 */
export function resolveWorkload(problems: Problems, prop: string, value: unknown): Workload | undefined {
  if (value === undefined || value === null || typeof value !== 'object' || !Construct.isConstruct(value)) {
    problems.add(prop, describeValue(value), WORKLOAD_EXPECTED);
    return undefined;
  }
  if (ApiObject.isApiObject(value)) {
    if (!POD_TEMPLATE_KINDS.includes(value.kind)) {
      problems.add(prop, `${value.kind} ${value.node.path}`, `${WORKLOAD_EXPECTED} (kind ${value.kind} carries no pod)`);
      return undefined;
    }
    return { construct: ownerOf(value), apiObject: value, kind: value.kind, plusMajor: plusMajorOf(value.node.scope) };
  }
  const found = value.node.findAll().filter(isPodObject);
  if (found.length !== 1) {
    const held = found.length === 0 ? 'none' : `${found.length}: ${found.map(describeObject).join(', ')}; pass the one to attach to`;
    problems.add(prop, value.node.path, `${WORKLOAD_EXPECTED} (${value.node.path} holds ${held})`);
    return undefined;
  }
  const obj = found[0];
  return { construct: value, apiObject: obj, kind: obj.kind, plusMajor: plusMajorOf(value) ?? plusMajorOf(obj.node.scope) };
}

/** What a valid Service prop is, for messages. */
export const SERVICE_EXPECTED = 'a Service: a cdk8s-plus (27 to 33) Service, a cdk8s L1 KubeService, an ApiObject of kind Service (e.g. from Include), or a construct holding exactly one of them';

/** A Service a helper edits, resolved. */
export interface ServiceObject {
  /** The construct the user gave. */
  readonly construct: IConstruct;
  /** The Service object: the one the injection step edits. */
  readonly apiObject: ApiObject;
}

/**
 * Resolves a Service prop (a cdk8s-plus Service of any major, an L1 KubeService, an `Include`d
 * Service, or a construct holding exactly one), recording a problem (under `prop`) otherwise.
 * Works on plain JavaScript values too.
 */
export function resolveService(problems: Problems, prop: string, value: unknown): ServiceObject | undefined {
  if (value === undefined || value === null || typeof value !== 'object' || !Construct.isConstruct(value)) {
    problems.add(prop, describeValue(value), SERVICE_EXPECTED);
    return undefined;
  }
  if (ApiObject.isApiObject(value)) {
    if (value.kind !== 'Service') {
      problems.add(prop, `${value.kind} ${value.node.path}`, `${SERVICE_EXPECTED} (kind ${value.kind} is not a Service)`);
      return undefined;
    }
    return { construct: value, apiObject: value };
  }
  const found = value.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Service');
  if (found.length !== 1) {
    const held = found.length === 0 ? 'none' : `${found.length}: ${found.map(describeObject).join(', ')}; pass the one to edit`;
    problems.add(prop, value.node.path, `${SERVICE_EXPECTED} (${value.node.path} holds ${held})`);
    return undefined;
  }
  return { construct: value, apiObject: found[0] };
}

/** A Service's ports as it renders now (every edit registered so far applied); empty when it cannot render yet. */
export function servicePorts(s: ServiceObject): readonly any[] {
  return currentManifest(s.apiObject)?.spec?.ports ?? [];
}

/** A workload's pod as it stands now: its own containers and what patterns injected so far. */
export interface PodView {
  readonly containers: readonly any[];
  readonly initContainers: readonly any[];
  readonly volumes: readonly any[];
  /** Pod-template annotations (a bare Pod's own). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly restartPolicy?: string;
  /** The names of the containers patterns added. */
  readonly injected: ReadonlySet<string>;
}

/**
 * The view each resolution made, with the number of parts its object had then. A `Workload` is
 * one resolution: each helper constructor (and each `hardenContainer` call) resolves its own and
 * lets it go when it returns, and no user code runs while it builds, so the only change its pod
 * can see meanwhile is a part injected by the library itself (which the count detects: parts are
 * only ever added). A view is therefore reused within one constructor and never across two: user
 * code between two constructors may change a cdk8s-plus workload (addContainer, mount, env)
 * without adding a part or a construct, and the next constructor resolves, and renders, afresh.
 * A resolution that has attached its part is retired ({@link retireWorkload}): should it be kept
 * past its constructor, every later read renders the pod again.
 */
const VIEWS = new WeakMap<Workload, { readonly parts: number; readonly view: PodView } | typeof RETIRED>();
/** A retired resolution's entry in VIEWS: it renders on every read. */
const RETIRED = 'retired';

/** Ends a resolution's reuse of its rendering (attachHelper calls it once its part is injected). */
export function retireWorkload(w: Workload): void {
  VIEWS.set(w, RETIRED);
}

/**
 * The L1 field names the Kubernetes JSON spells otherwise, among those of a pod (the renames
 * every cdk8s-plus major's L1 `toJson_*` functions make, 27 to 33).
 */
const JSON_NAMES = new Map(Object.entries({
  datasetUuid: 'datasetUUID', diskUri: 'diskURI', hostIp: 'hostIP', hostIpc: 'hostIPC', hostPid: 'hostPID', pdId: 'pdID',
  setHostnameAsFqdn: 'setHostnameAsFQDN', storagePolicyId: 'storagePolicyID', targetWwNs: 'targetWWNs', volumeId: 'volumeID',
}));

/** Thrown inside {@link jsonOf} for a value only cdk8s's rendering can tell (it then renders the object). */
const NOT_PLAIN = Symbol('not plain');

/**
 * An L1 value (a cdk8s-plus model's pod spec) as cdk8s renders it with its built-in resolvers
 * (`resolve`, then the L1 `toJson_*` functions, then `sanitizeValue`): a `Lazy` produced, an
 * object with `resolve()` resolved, a number-or-string union (IntOrString, Quantity) its value,
 * L1 names in JSON spelling, null and undefined fields dropped. Key order is not cdk8s's (a view
 * is only read). Any other object of a class: {@link NOT_PLAIN}.
 */
function jsonOf(v: any): any {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  if (v instanceof Lazy) return jsonOf(v.produce());
  if (typeof v.resolve === 'function') return jsonOf(v.resolve());
  if (Array.isArray(v)) return v.map(jsonOf);
  if (v.constructor !== Object) {
    const value = v.value;
    if (typeof value === 'number' || typeof value === 'string') return value;
    throw NOT_PLAIN;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = jsonOf(v[k]);
    if (x !== undefined && x !== null) out[JSON_NAMES.get(k) ?? k] = x;
  }
  return out;
}

/**
 * The pod of a cdk8s-plus workload (any major) as its object renders it, made from the model
 * without rendering the whole object: the model's pod spec (`_toPodSpec()`, what its rendering
 * puts in the pod; a bare Pod's scheduling fields aside, which no view reads) and pod metadata,
 * in a manifest of the object's kind; undefined when only a rendering can tell: not a cdk8s-plus
 * class's own instance, an object with JSON patches or a `toJson` of its own, resolvers of the
 * user's, a value {@link jsonOf} cannot tell, or a model that throws (the rendering then reports
 * it, or finds the pod without containers).
 */
function modelManifest(w: Workload): any | undefined {
  if (w.plusMajor === undefined) return undefined;
  const obj = w.apiObject;
  const plus: any = obj.node.scope;
  const patches = (obj as any).patches; // ApiObject's JSON patches (private in its typings)
  if (!ofPlusClass(plus) || !ofPlusClass(obj) || typeof plus._toPodSpec !== 'function' || !Array.isArray(patches) || patches.length > 0) return undefined;
  try {
    if (!rendersWithClassToJson(obj) || !hasBuiltInResolvers(obj)) return undefined;
    const kind = obj.kind;
    const metadata = jsonOf(withFastRendering(() => (kind === 'Pod' ? obj.metadata.toJson() : plus.podMetadata.toJson())));
    const spec = jsonOf(plus._toPodSpec());
    if (kind === 'Pod') return { kind, metadata, spec };
    const template = { metadata, spec };
    return kind === 'CronJob' ? { kind, spec: { jobTemplate: { spec: { template } } } } : { kind, spec: { template } };
  } catch {
    return undefined;
  }
}

/**
 * The workload's pod now (empty lists when it cannot render yet, e.g. a cdk8s-plus workload
 * without containers), rendered once per resolution until a part is injected (see VIEWS above):
 * from the cdk8s-plus model where it tells the same ({@link modelManifest}), else by rendering
 * the object. Read-only: it is reused within the constructor, so no caller edits it (not frozen:
 * freezing cost more than the reads it guarded).
 */
export function podView(w: Workload): PodView {
  const parts = partsOf(w.apiObject).length;
  const memo = VIEWS.get(w);
  if (memo !== undefined && memo !== RETIRED && memo.parts === parts) return memo.view;
  const model = modelManifest(w);
  const manifest = model !== undefined ? withParts(w.apiObject, model) : currentManifest(w.apiObject);
  const spec = podSpecOf(manifest) ?? {};
  const view: PodView = {
    containers: spec.containers ?? [],
    initContainers: spec.initContainers ?? [],
    volumes: spec.volumes ?? [],
    annotations: podMetadataOf(manifest)?.annotations ?? {},
    restartPolicy: spec.restartPolicy,
    injected: injectedContainerNames(w.apiObject),
  };
  if (memo !== RETIRED) VIEWS.set(w, { parts, view });
  return view;
}

/**
 * Whether the pod has a container (or init container) named `name` that no pattern added,
 * answered without rendering where a rendering cannot differ: a cdk8s-plus workload (any major)
 * whose object carries no JSON patch renders every container of its model under its name (the
 * parts only add containers and edit others). `true` when found so; undefined when only a
 * rendering can tell (not found, another kind of object, a patch, a model not as expected).
 */
export function foundInModel(w: Workload, name: string): true | undefined {
  const plus: any = w.plusMajor !== undefined ? w.apiObject.node.scope : undefined;
  const patches = (w.apiObject as any).patches; // ApiObject's JSON patches (private in its typings)
  if (plus === undefined || plusMajorOf(plus) === undefined || !Array.isArray(patches) || patches.length > 0) return undefined;
  const containers: unknown = plus.containers;
  const initContainers: unknown = plus.initContainers;
  if (!Array.isArray(containers) || !Array.isArray(initContainers)) return undefined;
  if (!containers.some((c) => c?.name === name) && !initContainers.some((c) => c?.name === name)) return undefined;
  return injectedContainerNames(w.apiObject).has(name) ? undefined : true;
}

/** Every container name of the pod (init containers included). */
export function containerNames(view: PodView): string[] {
  return [...view.initContainers, ...view.containers].map((c) => c.name);
}

/** Every volume name of the pod: declared, or mounted by one of its containers. */
export function volumeNames(view: PodView): Set<string> {
  return new Set([
    ...view.volumes.map((v) => v.name),
    ...[...view.initContainers, ...view.containers].flatMap((c) => (c.volumeMounts ?? []).map((m: any) => m.name)),
  ]);
}

/** Whether the workload's pods run to completion (then only a native sidecar lets them finish). */
export function runsToCompletion(w: Workload, view: PodView = podView(w)): boolean {
  return w.kind === 'Job' || w.kind === 'CronJob' || (view.restartPolicy !== undefined && view.restartPolicy !== 'Always');
}

/** How the app container was given. */
export interface AppContainerRef {
  /** The container itself (anything with its name). */
  readonly container?: NamedContainer;
  /** Its name. */
  readonly name?: string;
}

/** Prop names used in messages. */
export interface AppContainerPropNames {
  readonly container: string;
  readonly name: string;
}

/**
 * Resolves the user's app container (its rendered spec), recording a problem when it cannot be
 * found. With neither prop given, the pod's only regular container that no pattern added is
 * used; when `required` is false and there is not exactly one, the result is undefined without a problem.
 */
export function resolveAppContainer(
  problems: Problems,
  w: Workload | undefined,
  ref: AppContainerRef,
  names: AppContainerPropNames,
  required: boolean,
  view: PodView | undefined = w && podView(w),
): any | undefined {
  // an invalid workload is reported by resolveWorkload; nothing more to say about its containers
  if (!w || !view) return undefined;
  const containers = view.containers.filter((c) => !view.injected.has(c.name));
  const listed = containers.map((c) => JSON.stringify(c.name)).join(', ') || 'none';
  if (ref.container !== undefined && ref.name !== undefined) {
    problems.add(names.name, ref.name, `unset when ${names.container} is set (give one of them)`);
    return undefined;
  }
  if (ref.container !== undefined) {
    const name = (ref.container as any)?.name;
    const found = typeof name === 'string' ? containers.find((c) => c.name === name) : undefined;
    if (!found) problems.add(names.container, name, `a container of the workload (it has ${listed})`);
    return found;
  }
  if (ref.name !== undefined) {
    if (!problems.check(names.name, ref.name, RULES.dnsLabel)) return undefined;
    const found = containers.find((c) => c.name === ref.name);
    if (!found) problems.add(names.name, ref.name, `the name of a container of the workload (it has ${listed})`);
    return found;
  }
  if (containers.length === 1) return containers[0];
  if (required) {
    problems.add(names.container, undefined, `the app container (or ${names.name}); the workload has ${containers.length === 0 ? 'no containers yet: add the app container first' : `several containers (${listed}): name one`}`);
  }
  return undefined;
}
