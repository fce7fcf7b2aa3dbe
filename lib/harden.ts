import * as kplus from 'cdk8s-plus-27';
import { addPodSpecTransform, sortKeys } from './_pod/render';
import { HARDEN_CONTAINER_SHAPE } from './_pod/prop-types';
import { assertPropTypes, Problems, RULES } from './_pod/rules';
import { ContainerSecurityOptions, containerSecurityContext, Hardening, podSecurityContext } from './_pod/security';

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
 * is written into the rendered pod spec. It also sets the pod-level security context (user,
 * group, fsGroup, seccomp), replacing cdk8s-plus's.
 *
 * A workload with a helper attached declares the Pod Security profile the whole pod needs: with
 * your containers hardened, that is `restricted`.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function hardenContainer(workload: kplus.AbstractPod, container: kplus.Container | string, options: HardenContainerOptions = {}): void {
  const path = workload !== null && typeof workload === 'object' && (workload as any).node?.path !== undefined ? `${workload.node.path} hardenContainer` : 'hardenContainer';
  assertPropTypes(path, { workload, container, options }, HARDEN_CONTAINER_SHAPE);
  const name = typeof container === 'string' ? container : container.name;
  const problems = new Problems();
  if (!workload.containers.some((c) => c.name === name) && !workload.initContainers.some((c) => c.name === name)) {
    problems.add('container', name, `the name of a container of the workload (${[...workload.initContainers, ...workload.containers].map((c) => JSON.stringify(c.name)).join(', ') || 'none yet'})`);
  }
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    if (options[key] !== undefined) problems.check(key, options[key], RULES.userId);
  }
  if (options.runAsUser === 0) problems.add('runAsUser', 0, 'a non-zero user id');
  (options.addCapabilities ?? []).forEach((cap, i) => problems.check(`addCapabilities[${i}]`, cap, RULES.capability) && problems.check(`addCapabilities[${i}]`, cap, RULES.knownCapability));
  problems.throwIfAny(`${workload.node.path} hardenContainer`);

  const ids = { runAsUser: options.runAsUser, runAsGroup: options.runAsGroup, fsGroup: options.fsGroup };
  const pod = podSecurityContext(Hardening.RESTRICTED, ids);
  const securityContext = containerSecurityContext(Hardening.RESTRICTED, options, ids);
  addPodSpecTransform(workload, (spec) => {
    spec.securityContext = sortKeys(pod);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      if (c.name === name) c.securityContext = sortKeys(securityContext);
    }
  });
}
