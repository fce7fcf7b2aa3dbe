import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PATTERN_ROLES, RecommendedLabels, resolveRecommendedLabels } from './_pod/labels';
import { renderingOf } from './_pod/rendering';
import { PSS_MAX_MINOR, PSS_MIN_MINOR, strictestPassingLevel } from './_pod/pss';
import { podMetadataOf, podSpecOf, sortKeys } from './_pod/inject';
import { POD_SECURITY_NAMESPACE_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES } from './_pod/rules';
import { compareLevels, describeLevels, isPodSecurityLevel, POD_SECURITY_MODES, PodSecurityLevel, PodSecurityMode, weakestLevel } from './_pod/pod-security';
import { POD_SECURITY_ANNOTATION } from './_pod/security';
import { kubernetesVersionOf, parseMinor } from './_pod/version';

export { PodSecurityLevel, PodSecurityMode } from './_pod/pod-security';
/** The Pod Security Admission modes, each a pair of namespace labels `<mode>` and `<mode>-version`. */
export { POD_SECURITY_MODES };

/** The Pod Security Admission label prefix. */
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io';

/** Kinds whose objects carry a pod spec. */
const POD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);
const VERSION = /^v1\.([1-9]\d*)$/;

/** Props of a {@link PodSecurityNamespace}. */
export interface PodSecurityNamespaceProps {
  /**
   * The namespace's name.
   * @default - the chart's namespace (`new Chart(app, id, { namespace })`)
   */
  readonly name?: string;
  /**
   * The Pod Security Standards level enforced: the API server rejects pods that do not pass it.
   * @default - computed when rendered: the least strict level the pods of the namespace declare
   * (annotation `pod-patterns.dev/pod-security`; for a pod that declares none, the strictest level
   * it passes), or `restricted` when the namespace has no pods
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * The level audited: violations are recorded in the API server's audit log.
   * @default - the enforced level
   */
  readonly audit?: PodSecurityLevel;
  /**
   * The level warned about. Enforcement only checks Pods; warnings also cover the pod templates of
   * Deployments, Jobs and the other workload kinds, so `kubectl apply` and GitOps tools show them
   * when a workload's pods would be rejected.
   * @default - the enforced level
   */
  readonly warn?: PodSecurityLevel;
  /**
   * The version of the Pod Security Standards the levels refer to, "v1.27" to "v1.37". It is the
   * version the library's Pod Security check evaluates the namespace's pods at, so what the labels
   * say is what was checked; `latest` is refused (the API server resolves it to its own version,
   * which synth cannot know).
   * @default - the chart's target Kubernetes version when rendered (`setKubernetesVersion`, else
   * 1.NN for the newest cdk8s-plus-NN of the chart's workloads, else 1.27), e.g. "v1.33"
   */
  readonly version?: string;
  /**
   * Kubernetes recommended labels of the Namespace.
   * @default - name and instance the namespace's name; component 'pod-security-namespace'; part-of the chart's name; managed-by 'cdk8s'
   */
  readonly labels?: RecommendedLabels;
}

/** The Pod Security Admission labels of a namespace, by mode. */
export interface PodSecurityLevels {
  /** The level enforced (`pod-security.kubernetes.io/enforce`): pods that violate it are rejected. */
  readonly enforce: PodSecurityLevel;
  /** The level audited (`pod-security.kubernetes.io/audit`): violations are recorded in the audit log. */
  readonly audit: PodSecurityLevel;
  /** The level warned about (`pod-security.kubernetes.io/warn`): violations are returned to the client as warnings. */
  readonly warn: PodSecurityLevel;
}

/**
 * The Namespace object a chart's pods land in, labelled for Pod Security Admission with the level
 * its pods declare: `pod-security.kubernetes.io/enforce`, `audit` and `warn`, each with its
 * `-version` (the chart's target Kubernetes version), which is the policy version the pods of a
 * namespace are checked at.
 *
 * The level is computed when the Namespace is rendered, from every pod-bearing object of the app
 * whose namespace is this one, so workloads added after it count too. A level given in props
 * that is stricter than a pod of the namespace needs fails synth.
 *
 * Every other object of the same chart depends on the Namespace, so it comes first in the chart's
 * file (`kubectl apply -f` creates it before the objects that live in it). The Namespace is a
 * cluster-scoped object: it has no `metadata.namespace`, whatever the chart's namespace.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/
 */
export class PodSecurityNamespace extends Construct {
  /** The Pod Security Admission label prefix (the TypeScript `POD_SECURITY_LABEL_PREFIX`). */
  public static readonly LABEL_PREFIX: string = POD_SECURITY_LABEL_PREFIX;

  /** The Pod Security Admission modes, in label order (the TypeScript `POD_SECURITY_MODES`). */
  public static readonly MODES: PodSecurityMode[] = [...POD_SECURITY_MODES];

  /** The namespace's name. */
  public readonly name: string;
  /** The Kubernetes recommended labels of the Namespace. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The Namespace object. */
  public readonly apiObject: ApiObject;
  private readonly given: Partial<Record<PodSecurityMode, PodSecurityLevel>>;
  /** The Pod Security Standards version given in props, if any. */
  private readonly givenVersion?: string;

  constructor(scope: Construct, id: string, props: PodSecurityNamespaceProps = {}) {
    super(scope, id);
    assertPropTypes(this.node.path, props, POD_SECURITY_NAMESPACE_SHAPE);
    const problems = new Problems();
    const chart = Chart.of(this);
    const name = props.name ?? chart.namespace;
    if (name === undefined) {
      problems.add('name', undefined, `the namespace's name, or a chart with a namespace (chart ${JSON.stringify(chart.node.path)} has none)`);
    } else {
      problems.check('name', name, RULES.dnsLabel);
    }
    for (const mode of POD_SECURITY_MODES) {
      const level = props[mode];
      if (level !== undefined && !isPodSecurityLevel(level)) problems.add(mode, level, `one of ${describeLevels()}`);
    }
    const version = props.version;
    const versionMinor = Number(VERSION.exec(version ?? '')?.[1]);
    if (version !== undefined && !(versionMinor >= PSS_MIN_MINOR && versionMinor <= PSS_MAX_MINOR)) {
      problems.add('version', version, `a Pod Security Standards version the check evaluates: "v1.${PSS_MIN_MINOR}" to "v1.${PSS_MAX_MINOR}" (not "latest": the API server resolves it to its own version)`);
    }
    const labels = resolveRecommendedLabels(problems, PATTERN_ROLES.podSecurityNamespace, props.labels, {
      name,
      label: () => undefined,
      chart,
      what: 'namespace',
      ownComponent: true,
    });
    problems.throwIfAny(this.node.path);

    this.name = name!;
    this.givenVersion = version;
    this.labels = labels;
    this.given = { enforce: props.enforce, audit: props.audit, warn: props.warn };
    this.apiObject = new NamespaceObject(this, 'Resource', this);
    // Every object of the chart depends on the Namespace: it comes first in the chart's output.
    chart.node.addDependency(this);

    if (props.enforce !== undefined) {
      this.node.addValidation({ validate: () => this.tooStrict(props.enforce!) });
    }
  }

  /**
   * The Pod Security Standards version of the labels ("v1.27", ...), which the pods are checked at: the one given, else the
   * chart's target now (workloads added later count: a chart of cdk8s-plus-33 workloads targets 1.33).
   */
  public get version(): string {
    return this.givenVersion ?? `v1.${parseMinor(kubernetesVersionOf(this))}`;
  }

  /** The levels of each mode, computed now from the pods of the namespace (see the props' defaults). */
  public levels(): PodSecurityLevels {
    const enforce = this.given.enforce ?? this.requiredLevel();
    return { enforce, audit: this.given.audit ?? enforce, warn: this.given.warn ?? enforce };
  }

  /** The Pod Security Admission labels, computed now. */
  public podSecurityLabels(): Record<string, string> {
    const levels = this.levels();
    const out: Record<string, string> = {};
    for (const mode of POD_SECURITY_MODES) {
      out[`${POD_SECURITY_LABEL_PREFIX}/${mode}`] = levels[mode];
      out[`${POD_SECURITY_LABEL_PREFIX}/${mode}-version`] = this.version;
    }
    return out;
  }

  /** The least strict level the pods of the namespace need; `restricted` when there are none. */
  public requiredLevel(): PodSecurityLevel {
    return weakestLevel(...this.podLevels().map((p) => p.level));
  }

  /** Each pod-bearing object of the app in this namespace, with the level its pods need. */
  private podLevels(): Array<{ obj: ApiObject; level: PodSecurityLevel }> {
    return this.node.root.node.findAll()
      .filter((c: IConstruct): c is ApiObject => ApiObject.isApiObject(c) && POD_KINDS.has(c.kind) && c.metadata.namespace === this.name)
      .map((obj) => {
        const manifest = renderingOf(obj); // only read
        const declared = manifest.metadata?.annotations?.[POD_SECURITY_ANNOTATION];
        const level = isPodSecurityLevel(declared)
          ? declared
          : strictestPassingLevel({ metadata: podMetadataOf(manifest), spec: podSpecOf(manifest) }, this.version);
        return { obj, level };
      });
  }

  private tooStrict(enforce: PodSecurityLevel): string[] {
    return this.podLevels()
      .filter((p) => compareLevels(p.level, enforce) < 0)
      .map((p) => `enforce: received ${JSON.stringify(enforce)}; expected "${p.level}" or less strict: the pods of ${p.obj.kind} ${JSON.stringify(p.obj.name)} (${p.obj.node.path}) in namespace ${JSON.stringify(this.name)} need "${p.level}"`);
  }
}

/** The Namespace object: cluster-scoped, with the Pod Security labels computed when rendered. */
class NamespaceObject extends ApiObject {
  constructor(scope: Construct, id: string, private readonly owner: PodSecurityNamespace) {
    super(scope, id, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: owner.name, labels: { ...owner.labels } } });
  }

  public toJson(): any {
    const json = super.toJson();
    delete json.metadata.namespace;
    json.metadata.labels = sortKeys({ ...json.metadata.labels, ...this.owner.podSecurityLabels() });
    return json;
  }
}
