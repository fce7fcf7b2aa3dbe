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
import { POD_SECURITY_ANNOTATION, PodSecurityLevel, weakestLevel } from './security';

/** A pure function that edits a freshly rendered pod spec in place. */
export type PodSpecTransform = (podSpec: any, manifest: any) => void;

interface RenderState {
  readonly transforms: PodSpecTransform[];
  readonly levels: PodSecurityLevel[];
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
    const created: RenderState = { transforms: [], levels: [] };
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
      if (created.levels.length > 0) {
        json.metadata = json.metadata ?? {};
        json.metadata.annotations = sortKeys({
          ...(json.metadata.annotations ?? {}),
          [POD_SECURITY_ANNOTATION]: weakestLevel(...created.levels),
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
 * Declares the Pod Security Standards profile a pattern needs on this workload. The workload is
 * annotated with the least strict level declared by any pattern on it; the synth driver checks
 * that the rendered pods really pass it.
 */
export function declarePodSecurity(workload: IConstruct, level: PodSecurityLevel): void {
  stateOf(workload).levels.push(level);
}

/** Whether a pattern of this library has registered render state on the object. */
export function isManaged(obj: ApiObject): boolean {
  return STATE.has(obj);
}
