/**
 * Finding the user's app container in a workload, for helpers that attach to it (LogSidecar,
 * DebugSidecar): given as a cdk8s-plus container, by name, or the workload's only container.
 */
import * as kplus from 'cdk8s-plus-27';
import { Problems, RULES } from './_pod/rules';

/** How the app container was given. */
export interface AppContainerRef {
  /** The container itself. */
  readonly container?: kplus.Container;
  /** Its name. */
  readonly name?: string;
}

/** Prop names used in messages. */
export interface AppContainerPropNames {
  readonly container: string;
  readonly name: string;
}

function containersOf(workload: kplus.AbstractPod | undefined): kplus.Container[] {
  if (!workload || typeof (workload as any).addContainer !== 'function') return [];
  return [...workload.containers];
}

/**
 * Resolves the app container, recording a problem when it cannot be found. With neither prop
 * given, the workload's only regular container is used; when `required` is false and there is
 * not exactly one, the result is undefined without a problem.
 */
export function resolveAppContainer(
  problems: Problems,
  workload: kplus.AbstractPod | undefined,
  ref: AppContainerRef,
  names: AppContainerPropNames,
  required: boolean,
): kplus.Container | undefined {
  // an invalid workload is reported by checkHelperProps; nothing more to say about its containers
  if (!workload || typeof (workload as any).addContainer !== 'function') return undefined;
  const containers = containersOf(workload);
  const listed = containers.map((c) => JSON.stringify(c.name)).join(', ') || 'none';
  if (ref.container !== undefined && ref.name !== undefined) {
    problems.add(names.name, ref.name, `unset when ${names.container} is set (give one of them)`);
    return undefined;
  }
  if (ref.container !== undefined) {
    if (!containers.includes(ref.container)) {
      problems.add(names.container, (ref.container as any)?.name, `a container of the workload (it has ${listed})`);
      return undefined;
    }
    return ref.container;
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
