/**
 * Reading rendered pods: where the pod spec and the pod's metadata sit in a manifest of any
 * pod-bearing kind. Edits of pods are made by the one injection step (inject.ts) only; this
 * module re-exports its read-only helpers for the modules and tests that read manifests.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { injectPart, PodSecurityDeclaration } from './inject';
import { PodSecurityLevel } from './security';

export { patternPart, podMetadataOf, podSpecOf, sortKeys, PodSecurityDeclaration, POD_TEMPLATE_KINDS } from './inject';

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
