/**
 * The Kubernetes version a chart targets. It decides what may be emitted (native sidecars need
 * 1.29 or later) and which schema the synth driver validates against.
 */
import { IConstruct } from 'constructs';
import type { KubernetesVersion } from '../synth/schema';

/** Context key holding the target Kubernetes version ("1.27" ... "1.36"). */
export const KUBERNETES_VERSION_CONTEXT = 'pod-patterns/kubernetes-version';
/** The version cdk8s-plus-27 targets, and ours by default. */
export const DEFAULT_KUBERNETES_VERSION = '1.27';
/** The minor versions a chart may target. */
export const MIN_MINOR = 27;
export const MAX_MINOR = 36;
/** The first minor version where native sidecars (init containers with restartPolicy Always) are on by default. */
export const NATIVE_SIDECAR_MINOR = 29;

/** Parses "1.NN" (or "1.NN.P") into its minor number; undefined when not a supported version. */
export function parseMinor(version: unknown): number | undefined {
  if (typeof version !== 'string') return undefined;
  const m = /^1\.(\d+)(\.\d+)?$/.exec(version);
  if (!m) return undefined;
  const minor = Number(m[1]);
  return minor >= MIN_MINOR && minor <= MAX_MINOR ? minor : undefined;
}

/** What a valid target version looks like, for error messages. */
export const VERSION_EXPECTED = `a Kubernetes version from "1.${MIN_MINOR}" to "1.${MAX_MINOR}"`;

/**
 * Sets the target Kubernetes version of a scope (an App or a Chart) and everything below it.
 * Call it before adding children to the scope.
 */
export function setKubernetesVersion(scope: IConstruct, version: KubernetesVersion): void {
  if (parseMinor(version) === undefined) {
    throw new Error(`[${scope.node.path || '<app>'}] kubernetesVersion: received ${JSON.stringify(version)}; expected ${VERSION_EXPECTED}`);
  }
  scope.node.setContext(KUBERNETES_VERSION_CONTEXT, version);
}

const JSII_RTTI = Symbol.for('jsii.rtti');

/** The cdk8s-plus major a construct's class comes from (jsii's runtime type info names it), if any. */
export function plusMajorOf(c: unknown): number | undefined {
  const ctor = (c as any)?.constructor;
  if (typeof ctor !== 'function') return majorOfFqn(ctor?.[JSII_RTTI]?.fqn);
  // asked for every construct added (trackAdditions): once per class
  let major = MAJOR_OF_CLASS.get(ctor);
  if (major === undefined) MAJOR_OF_CLASS.set(ctor, (major = majorOfFqn(ctor[JSII_RTTI]?.fqn) ?? null));
  return major ?? undefined;
}

/** The cdk8s-plus major of each class asked about (null: none); a class's jsii type info does not change. */
const MAJOR_OF_CLASS = new WeakMap<object, number | null>();

/**
 * Whether `c` is an instance of a cdk8s-plus class itself, not of a subclass (which may render
 * otherwise): its class, not only an ancestor, carries jsii's type info of a cdk8s-plus type.
 */
export function ofPlusClass(c: unknown): boolean {
  const ctor = (c as any)?.constructor;
  return typeof ctor === 'function' && Object.prototype.hasOwnProperty.call(ctor, JSII_RTTI) && majorOfFqn(ctor[JSII_RTTI]?.fqn) !== undefined;
}

function majorOfFqn(fqn: unknown): number | undefined {
  const m = typeof fqn === 'string' ? /^cdk8s-plus-(\d+)\./.exec(fqn) : null;
  return m ? Number(m[1]) : undefined;
}

/** The nearest chart above (or at) a construct, else the root. */
function chartScopeOf(scope: IConstruct): IConstruct {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if ((c as any)[Symbol.for('cdk8s.Chart')] === true) return c;
  }
  return scope.node.root;
}

/**
 * The newest cdk8s-plus major under each chart scope asked about, kept up to date as constructs
 * are added: every helper asks for its chart's version while the app is built and the synth asks
 * per object, and scanning the chart each time made building and checking N pods O(N^2) (2,000
 * pods took seconds). A scope's first question scans its subtree once; from then on, each child
 * added anywhere below it updates the answer (the `addChild` of every constructs `Node` class met in
 * a scanned tree reports to the scopes above the new child); a child removed drops the answers above it.
 */
const newestByScope = new WeakMap<IConstruct, { major: number | undefined }>();
const trackedNodeClasses = new WeakSet<object>();

function trackAdditions(node: object): void {
  const proto = Object.getPrototypeOf(node);
  if (!proto || trackedNodeClasses.has(proto) || typeof proto.addChild !== 'function' || typeof proto.tryRemoveChild !== 'function') return;
  trackedNodeClasses.add(proto);
  const addChild = proto.addChild;
  const tryRemoveChild = proto.tryRemoveChild;
  proto.addChild = function (this: any, child: IConstruct, childName: string) {
    const result = addChild.call(this, child, childName);
    const major = plusMajorOf(child);
    if (major !== undefined) {
      for (let c: IConstruct | undefined = this.host; c; c = c.node.scope) {
        const known = newestByScope.get(c);
        if (known && (known.major === undefined || major > known.major)) known.major = major;
      }
    }
    return result;
  };
  proto.tryRemoveChild = function (this: any, childName: string) {
    const removed = tryRemoveChild.call(this, childName);
    if (removed) for (let c: IConstruct | undefined = this.host; c; c = c.node.scope) newestByScope.delete(c);
    return removed;
  };
}

/** The newest cdk8s-plus major of the workloads under a scope (its chart), if any. */
function newestPlusMajorIn(scope: IConstruct): number | undefined {
  const chart = chartScopeOf(scope);
  const known = newestByScope.get(chart);
  if (known) return known.major;
  let newest: number | undefined;
  for (const c of chart.node.findAll()) {
    trackAdditions(c.node);
    const major = plusMajorOf(c);
    if (major !== undefined && (newest === undefined || major > newest)) newest = major;
  }
  newestByScope.set(chart, { major: newest });
  return newest;
}

/** Whether a target version was set explicitly (setKubernetesVersion) on the scope or above it. */
export function isKubernetesVersionSet(scope: IConstruct): boolean {
  return typeof scope.node.tryGetContext(KUBERNETES_VERSION_CONTEXT) === 'string';
}

/**
 * The target Kubernetes version of a construct: the nearest setting above it; else 1.NN for the
 * newest cdk8s-plus-NN its chart's workloads come from (a cdk8s-plus-33 Deployment targets 1.33);
 * else 1.27.
 */
export function kubernetesVersionOf(scope: IConstruct): string {
  const v = scope.node.tryGetContext(KUBERNETES_VERSION_CONTEXT);
  if (typeof v === 'string') return v;
  const major = newestPlusMajorIn(scope);
  return major !== undefined ? `1.${Math.min(Math.max(major, MIN_MINOR), MAX_MINOR)}` : DEFAULT_KUBERNETES_VERSION;
}

/**
 * The problem when a workload from cdk8s-plus-NN is validated against a version older than 1.NN
 * (cdk8s-plus-NN writes the 1.NN API), or undefined.
 */
export function workloadVersionProblem(scope: IConstruct, what: string, plusMajor: number | undefined): string | undefined {
  if (plusMajor === undefined) return undefined;
  const version = kubernetesVersionOf(scope);
  const minor = parseMinor(version);
  if (minor === undefined || minor >= plusMajor) return undefined;
  return `kubernetesVersion: received ${JSON.stringify(version)}; expected "1.${plusMajor}" or later: ${what} comes from cdk8s-plus-${plusMajor}, which writes the Kubernetes 1.${plusMajor} API (call setKubernetesVersion(app or chart, KubernetesVersion.V1_${plusMajor}), or leave the version unset to target 1.${plusMajor})`;
}

/** The vendored schema that validates manifests for a target version: that minor's own ("1.NN"). */
export function schemaVersionFor(version: string): KubernetesVersion {
  const minor = parseMinor(version) ?? MIN_MINOR;
  return `1.${minor}` as KubernetesVersion;
}
