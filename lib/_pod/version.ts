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
export function setKubernetesVersion(scope: IConstruct, version: string): void {
  if (parseMinor(version) === undefined) {
    throw new Error(`[${scope.node.path || '<app>'}] kubernetesVersion: received ${JSON.stringify(version)}; expected ${VERSION_EXPECTED}`);
  }
  scope.node.setContext(KUBERNETES_VERSION_CONTEXT, version);
}

/** The target Kubernetes version of a construct: the nearest setting above it, or 1.27. */
export function kubernetesVersionOf(scope: IConstruct): string {
  const v = scope.node.tryGetContext(KUBERNETES_VERSION_CONTEXT);
  return typeof v === 'string' ? v : DEFAULT_KUBERNETES_VERSION;
}

/** The vendored schema that validates manifests for a target version: that minor's own ("1.NN"). */
export function schemaVersionFor(version: string): KubernetesVersion {
  const minor = parseMinor(version) ?? MIN_MINOR;
  return `1.${minor}` as KubernetesVersion;
}
