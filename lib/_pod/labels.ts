/**
 * The Kubernetes recommended labels, decided once for every pattern.
 *
 * Every object a pattern creates carries `app.kubernetes.io/name`, `instance`, `component` (the
 * pattern's role), `part-of` and `managed-by: cdk8s` (and `version` when known). A helper attached
 * to a user's workload labels its own objects (ConfigMaps) as part of that workload's application:
 * name, instance, version and part-of come from the workload's own recommended labels, else from
 * its name and chart; component is the helper's role.
 *
 * The user's workload itself is labelled only where that is safe: missing recommended labels
 * (never `component`, which is the user's to say) are added to the metadata of a controller
 * (Deployment, StatefulSet, DaemonSet, Job, CronJob), which nothing selects on. Pod labels are
 * never touched: neither a bare Pod's labels nor a controller's pod template labels, which the
 * controller's selector (immutable on Deployments, StatefulSets and DaemonSets) and Services,
 * NetworkPolicies or PodDisruptionBudgets select on; adding a label there could make other
 * selectors match the pods, and a changed pod template rolls every pod.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
import { ApiObject, ApiObjectMetadataDefinition, Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { Problems, RULES } from './rules';
import { resolveWorkload, Workload } from './workload';

/** The recommended label keys, by field of {@link RecommendedLabels}. */
export const RECOMMENDED_LABEL_KEYS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  version: 'app.kubernetes.io/version',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

/** A field of {@link RecommendedLabels}. */
export type RecommendedLabelField = keyof typeof RECOMMENDED_LABEL_KEYS;
const FIELDS = Object.keys(RECOMMENDED_LABEL_KEYS) as RecommendedLabelField[];

/** The value of `app.kubernetes.io/managed-by` on every object the patterns create. */
export const MANAGED_BY = 'cdk8s';

/** The role of each pattern: the `app.kubernetes.io/component` of the objects it creates. */
export const PATTERN_ROLES = {
  sharedVolumePod: 'shared-volume-pod',
  warSidecarPod: 'war-sidecar-pod',
  logSidecar: 'log-sidecar',
  proxyAmbassador: 'proxy-ambassador',
  adapter: 'adapter',
  debugSidecar: 'debug-sidecar',
  podSecurityNamespace: 'pod-security-namespace',
} as const;

/** A pattern role (see {@link PATTERN_ROLES}). */
export type PatternRole = (typeof PATTERN_ROLES)[keyof typeof PATTERN_ROLES];

/**
 * Overrides of the Kubernetes recommended labels (`app.kubernetes.io/*`) a pattern puts on the
 * objects it creates. Each value must be a valid label value.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export interface RecommendedLabels {
  /**
   * `app.kubernetes.io/name`: the name of the application.
   * @default - the workload's own `app.kubernetes.io/name` label, else the workload's name
   */
  readonly name?: string;
  /**
   * `app.kubernetes.io/instance`: a name identifying this instance of the application.
   * @default - the workload's own `app.kubernetes.io/instance` label, else the workload's name
   */
  readonly instance?: string;
  /**
   * `app.kubernetes.io/version`: the version of the application.
   * @default - the workload's own `app.kubernetes.io/version` label, else none
   */
  readonly version?: string;
  /**
   * `app.kubernetes.io/component`: the object's role in the application.
   * @default - the pattern's role: `shared-volume-pod`, `war-sidecar-pod`, `log-sidecar`,
   * `proxy-ambassador`, `adapter`, `debug-sidecar` or `pod-security-namespace`
   */
  readonly component?: string;
  /**
   * `app.kubernetes.io/part-of`: the higher-level application this one is part of.
   * @default - the workload's own `app.kubernetes.io/part-of` label, else the chart's name
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/managed-by`: the tool that manages the object.
   * @default 'cdk8s'
   */
  readonly managedBy?: string;
}

/** What an object already says about itself: its name and its labels. */
export interface LabelSource {
  /** The object's name; undefined when cdk8s will generate it (generated names are valid label values). */
  readonly name?: string;
  /** Reads one of the object's labels. */
  readonly label: (key: string) => string | undefined;
  /** The chart the object belongs to (the default `part-of`); undefined while only validating props. */
  readonly chart?: Chart;
  /** What the object is, in error messages ("workload", "pod"). */
  readonly what: string;
  /**
   * Whether the object's own `app.kubernetes.io/component` is inherited: true for the pattern's own
   * object (a pod the pattern creates), false for a user's workload (its component is its own role).
   */
  readonly ownComponent: boolean;
}

/** An object with a name and metadata: an ApiObject, or a cdk8s-plus resource of any major. */
export interface Labelled extends IConstruct {
  readonly name: string;
  readonly metadata: ApiObjectMetadataDefinition;
}

/** The label source of an object (a workload's ApiObject, or a pod a pattern created). */
export function labelSourceOf(resource: Labelled, what: string, ownComponent: boolean): LabelSource {
  return {
    name: resource.name,
    label: (k) => resource.metadata.getLabel(k),
    chart: Chart.of(resource),
    what,
    ownComponent,
  };
}

/** Each chart's label value, computed once (it depends on the chart's path alone, fixed when the chart is created). */
const CHART_LABEL_VALUES = new WeakMap<Chart, string>();

/** The default `app.kubernetes.io/part-of`: the chart's name, as a label value. */
export function chartLabelValue(chart: Chart): string {
  let value = CHART_LABEL_VALUES.get(chart);
  if (value === undefined) {
    value = Names.toLabelValue(chart);
    CHART_LABEL_VALUES.set(chart, value);
  }
  return value;
}

/**
 * Resolves the recommended labels of a pattern's objects: `labels` overrides, then what the
 * source object says (its own recommended labels; `component` only when `ownComponent`), then the
 * defaults. Problems go to `problems` under `labels.<field>`; returns the labels, keys sorted.
 */
export function resolveRecommendedLabels(
  problems: Problems,
  role: PatternRole | undefined,
  labels: RecommendedLabels | undefined,
  source: LabelSource,
): Record<string, string> {
  const given: Record<string, unknown> = labels !== undefined && labels !== null && typeof labels === 'object' ? { ...labels } : {};
  if (labels !== undefined && (labels === null || typeof labels !== 'object' || Array.isArray(labels))) {
    problems.add('labels', labels, `an object with any of the fields ${FIELDS.join(', ')}`);
  }
  for (const key of Object.keys(given)) {
    if (!(FIELDS as string[]).includes(key)) {
      problems.add('labels', key, `one of the fields ${FIELDS.join(', ')} (set other labels on the objects' metadata)`);
      delete given[key];
    }
  }
  const own = (field: RecommendedLabelField) => source.label(RECOMMENDED_LABEL_KEYS[field]);
  const defaults: Record<RecommendedLabelField, { value: string | undefined; from: string }> = {
    name: own('name') !== undefined ? { value: own('name'), from: `the ${source.what}'s own label` } : { value: source.name, from: `the ${source.what}'s name` },
    instance: own('instance') !== undefined ? { value: own('instance'), from: `the ${source.what}'s own label` } : { value: source.name, from: `the ${source.what}'s name` },
    version: { value: own('version'), from: `the ${source.what}'s own label` },
    component: source.ownComponent && own('component') !== undefined ? { value: own('component'), from: `the ${source.what}'s own label` } : { value: role, from: 'the role' },
    partOf: own('partOf') !== undefined ? { value: own('partOf'), from: `the ${source.what}'s own label` } : { value: source.chart && chartLabelValue(source.chart), from: 'the chart' },
    managedBy: source.ownComponent && own('managedBy') !== undefined ? { value: own('managedBy'), from: `the ${source.what}'s own label` } : { value: MANAGED_BY, from: 'the default' },
  };
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = given[field] !== undefined ? given[field] : defaults[field].value;
    if (value === undefined) continue;
    if (given[field] !== undefined) {
      if (!problems.check(`labels.${field}`, value, RULES.labelValue)) continue;
    } else if (!RULES.labelValue.test(value)) {
      problems.add(`labels.${field}`, value, `${RULES.labelValue.expected} (the default, ${defaults[field].from}, is not one: set labels.${field})`);
      continue;
    }
    out[RECOMMENDED_LABEL_KEYS[field]] = value as string;
  }
  return sortedRecord(out);
}

/**
 * The recommended labels a helper adds to the user's workload: those the workload lacks, derived
 * from the workload alone (never `component`). Empty for a bare Pod, whose labels are pod labels.
 */
export function workloadLabels(workload: ApiObject): Record<string, string> {
  if (workload.kind === 'Pod') return {};
  const source = labelSourceOf(workload, 'workload', false);
  const labels = resolveRecommendedLabels(new Problems(), undefined, undefined, source);
  const missing: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (workload.metadata.getLabel(k) === undefined) missing[k] = v;
  return missing;
}

/**
 * Adds to a user's workload the recommended labels it lacks (see {@link workloadLabels}): on a
 * controller's own metadata only, never on pod labels, pod templates or selectors.
 */
export function labelWorkload(workload: ApiObject): void {
  for (const [k, v] of Object.entries(workloadLabels(workload))) workload.metadata.addLabel(k, v);
}

/** The metadata of an object a helper creates for a workload: the workload's namespace, the helper's labels. */
export function helperObjectMetadata(workload: Labelled, labels: Readonly<Record<string, string>>): { namespace?: string; labels: Record<string, string> } {
  const namespace = workload.metadata.namespace;
  return namespace !== undefined ? { namespace, labels: { ...labels } } : { labels: { ...labels } };
}

/**
 * Resolves a helper's labels from its props (problems under `labels.*`); empty when the workload
 * is not a workload (checkHelperProps reports that). `resolved`: the workload the caller's
 * checkHelperProps resolved from the same props (else resolved here).
 */
export function helperLabels(problems: Problems, role: PatternRole, props: { readonly workload: unknown; readonly labels?: RecommendedLabels }, resolved?: Workload): Record<string, string> {
  const w = resolved ?? resolveWorkload(new Problems(), 'workload', props.workload);
  if (!w) {
    if (props.labels !== undefined) resolveRecommendedLabels(problems, role, props.labels, { label: () => undefined, what: 'workload', ownComponent: false });
    return {};
  }
  return resolveRecommendedLabels(problems, role, props.labels, labelSourceOf(w.apiObject, 'workload', false));
}

/** Validates a pattern pod's `labels` against its `metadata` before the pod exists. */
export function checkPatternPodLabels(problems: Problems, labels: RecommendedLabels | undefined, metadata: { name?: string; labels?: Record<string, string> } | undefined): void {
  // invalid values in metadata.labels are reported as such (checkPatternPodProps), not again here
  const label = (k: string) => (RULES.labelValue.test(metadata?.labels?.[k]) ? metadata?.labels?.[k] : undefined);
  resolveRecommendedLabels(problems, undefined, labels, { name: metadata?.name, label, what: 'pod', ownComponent: true });
}

/**
 * Puts the recommended labels on a pod a pattern created (its own labels: `labels` overrides, then
 * the pod's `metadata.labels`, then the defaults); returns them. Validated by {@link checkPatternPodLabels}.
 */
export function labelPatternPod(pod: kplus.Pod, role: PatternRole, labels: RecommendedLabels | undefined): Record<string, string> {
  const resolved = resolveRecommendedLabels(new Problems(), role, labels, labelSourceOf(pod, 'pod', true));
  for (const [k, v] of Object.entries(resolved)) pod.metadata.addLabel(k, v);
  return resolved;
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}

/**
 * The Kubernetes recommended labels for one of your own objects (a Service, a ConfigMap, your
 * Deployment), in the same convention as the patterns' objects: the fields given (`instance`
 * defaults to `name`), `part-of` the chart's name and `managed-by: cdk8s` unless given. Throws a
 * PropsError naming `scope` when a value is not a valid label value.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export function recommendedLabels(scope: IConstruct, labels: RecommendedLabels): Record<string, string> {
  const problems = new Problems();
  const given = labels ?? {};
  const resolved = resolveRecommendedLabels(problems, undefined, { instance: given.name, ...given }, {
    label: () => undefined,
    chart: Chart.of(scope),
    what: 'object',
    ownComponent: true,
  });
  problems.throwIfAny(`${scope.node.path} recommendedLabels`);
  return resolved;
}
