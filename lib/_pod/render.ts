/**
 * The one rendering hook every pattern shares.
 *
 * cdk8s-plus-27 renders pods through the Kubernetes 1.27 L1 types, which drop any field they do
 * not know (even fields added by JSON patches), and it cannot express several fields we need
 * (capabilities without the `CAP_` prefix, seccomp profiles, native sidecars' `restartPolicy`).
 * So each pattern registers pure transforms here; they run on the workload's rendered JSON, after
 * cdk8s-plus and the L1 filter, every time the object is rendered (by `App.synth()`,
 * `Testing.synth()` or our synth driver alike). Transforms must be deterministic and only read
 * construct state: synthesizing twice gives the same bytes.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { strictestPassingLevel } from './pss';
import { POD_SECURITY_ANNOTATION, PodSecurityLevel, weakestLevel } from './security';

/** A pure function that edits a freshly rendered pod spec in place. */
export type PodSpecTransform = (podSpec: any, manifest: any) => void;

/** One pattern's Pod Security declaration on a workload. */
export interface PodSecurityDeclaration {
  /** The profile the pattern's part of the pod needs. */
  readonly level: PodSecurityLevel;
  /** The containers the pattern added; undefined when the pattern owns the whole pod. */
  readonly containers?: readonly string[];
}

interface RenderState {
  readonly transforms: PodSpecTransform[];
  readonly declarations: PodSecurityDeclaration[];
}

const STATE = new WeakMap<ApiObject, RenderState>();

/** The pod spec inside a rendered manifest of any pod-bearing kind, or undefined. */
export function podSpecOf(manifest: any): any | undefined {
  switch (manifest?.kind) {
    case 'Pod':
      return manifest.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
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

/** Returns keys sorted recursively, as cdk8s renders them, so our edits keep the output tidy. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as any)[k]);
    return out as T;
  }
  return value;
}

/** Re-orders an object's own keys alphabetically, in place (edits append keys at the end). */
function sortInPlace(obj: Record<string, unknown>): void {
  const entries = Object.keys(obj).sort().map((k) => [k, obj[k]] as const);
  for (const [k] of entries) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
}

function stateOf(workload: IConstruct): RenderState {
  const obj = ApiObject.of(workload);
  let state = STATE.get(obj);
  if (!state) {
    const created: RenderState = { transforms: [], declarations: [] };
    state = created;
    STATE.set(obj, created);
    const render = obj.toJson.bind(obj);
    obj.toJson = () => {
      const json = render();
      const spec = podSpecOf(json);
      if (spec) {
        for (const t of created.transforms) t(spec, json);
        sortInPlace(spec);
      }
      if (created.declarations.length > 0) {
        json.metadata = json.metadata ?? {};
        json.metadata.annotations = sortKeys({
          ...(json.metadata.annotations ?? {}),
          [POD_SECURITY_ANNOTATION]: requiredLevel(created.declarations, json),
        });
        sortInPlace(json.metadata);
      }
      return json;
    };
  }
  return state;
}

/** Registers a transform on a workload's rendered pod spec; transforms run in registration order. */
export function addPodSpecTransform(workload: IConstruct, transform: PodSpecTransform): void {
  stateOf(workload).transforms.push(transform);
}

/**
 * Declares the Pod Security Standards profile a pattern needs on this workload: for the whole
 * pod (patterns that own their pod) or for the containers it added (helpers on a user's workload).
 * The workload is annotated with the profile the whole pod needs: the least strict of the
 * declarations and, where helpers sit next to the user's own containers, of what those containers
 * already need. The synth driver checks that the rendered pod really passes it; `patternPart`
 * lets a helper check its own containers against its own declaration.
 */
export function declarePodSecurity(workload: IConstruct, level: PodSecurityLevel, containers?: readonly string[]): void {
  stateOf(workload).declarations.push({ level, containers });
}

/** The profile the whole rendered pod needs, given the patterns' declarations. */
function requiredLevel(declarations: readonly PodSecurityDeclaration[], manifest: any): PodSecurityLevel {
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
  return weakestLevel(...levels, strictestPassingLevel(userPart));
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
