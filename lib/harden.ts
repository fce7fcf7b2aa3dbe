import { IConstruct } from 'constructs';
import { injectPart } from './_pod/inject';
import { HARDEN_CONTAINER_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES } from './_pod/rules';
import { ContainerSecurityOptions, containerSecuritySpec, Hardening, podSecuritySpec } from './_pod/security';
import { foundInModel, NamedContainer, podView, resolveWorkload } from './_pod/workload';

/** Options of {@link hardenContainer}. */
export interface HardenContainerOptions extends ContainerSecurityOptions {
  /**
   * Group that owns the pod's volumes (pod-level fsGroup).
   * @default - the container's group
   */
  readonly fsGroup?: number;
}

/**
 * Makes one of your own containers pass the Pod Security Standards `restricted` profile, as the
 * patterns' containers do: non-root numeric user, `allowPrivilegeEscalation: false`, capabilities
 * `drop: [ALL]`, seccomp RuntimeDefault, read-only root filesystem (give the image emptyDirs where
 * it writes). cdk8s-plus-27 cannot express the seccomp profile nor drop ALL capabilities, so this
 * is injected into the rendered pod spec (inject.ts). It also sets the pod-level security context (user,
 * group, fsGroup, seccomp), replacing cdk8s-plus's.
 *
 * A workload with a helper attached declares the Pod Security profile the whole pod needs: with
 * your containers hardened, that is `restricted`.
 *
 * The workload is any the helpers take: a cdk8s-plus (27 to 33) workload, a cdk8s L1 object,
 * an ApiObject from `Include`, or a construct holding exactly one of them; the container is
 * given by name or as any object with its name (a cdk8s-plus Container of any major).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function hardenContainer(workload: IConstruct, container: NamedContainer | string, options: HardenContainerOptions = {}): void {
  // the function's name alone when the workload has no construct path (an untyped caller's junk)
  const nodePath: unknown = workload !== null && typeof workload === 'object' ? (workload as any).node?.path : undefined;
  const at = typeof nodePath === 'string' ? `${nodePath} hardenContainer` : 'hardenContainer';
  assertPropTypes(at, { workload, container, options }, HARDEN_CONTAINER_SHAPE);
  const problems = new Problems();
  const name = typeof container === 'string' ? container : (container as any)?.name;
  const w = resolveWorkload(problems, 'workload', workload);
  // a name the cdk8s-plus model shows needs no rendering; any other is looked up in the rendered pod (and its message lists that pod's containers)
  if (w && (typeof name !== 'string' || foundInModel(w, name) === undefined)) {
    const view = podView(w);
    const names = [...view.initContainers, ...view.containers].map((c) => c.name).filter((n) => !view.injected.has(n));
    if (!names.includes(name)) {
      problems.add('container', name, `the name of a container of the workload (${names.map((n) => JSON.stringify(n)).join(', ') || 'none yet'})`);
    }
  }
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (options[key] !== undefined) problems.check(key, options[key], RULES.userId);
  }
  if (options.runAsUser === 0) problems.add('runAsUser', 0, 'a non-zero user id');
  (options.addCapabilities ?? []).forEach((cap, i) => problems.check(`addCapabilities[${i}]`, cap, RULES.capability) && problems.check(`addCapabilities[${i}]`, cap, RULES.knownCapability));
  problems.throwIfAny(at);

  const ids = { runAsUser: options.runAsUser, runAsGroup: options.runAsGroup, fsGroup: options.fsGroup };
  injectPart(w!.apiObject, {
    owner: at,
    pod: { securityContext: podSecuritySpec(Hardening.RESTRICTED, ids) },
    containerEdits: [{ name, securityContext: containerSecuritySpec(Hardening.RESTRICTED, options, ids) }],
  });
}
