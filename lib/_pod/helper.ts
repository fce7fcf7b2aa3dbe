/**
 * What every helper pattern (LogSidecar, ProxyAmbassador, Adapter, DebugSidecar) shares: the
 * props for attaching to any cdk8s-plus workload, their validation, and adding the helper's
 * containers as regular sidecars or as native sidecars (Kubernetes 1.29+).
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { addPodChecks } from './checks';
import { addContainer, checkResourceOptions, checkSecurityOptions, ContainerOptions } from './container';
import { ApiObject } from 'cdk8s';
import { checkPodSecurity } from './pss';
import { labelWorkload, RecommendedLabels } from './labels';
import { declarePodSecurity, patternPart } from './render';
import { Problems } from './rules';
import { ContainerSecurityOptions, declaredLevel, Hardening, ResourceOptions } from './security';
import { kubernetesVersionOf, NATIVE_SIDECAR_MINOR, parseMinor } from './version';

/** Props every helper pattern takes. */
export interface HelperProps {
  /** The workload to attach to: a cdk8s-plus Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob. */
  readonly workload: kplus.AbstractPod;
  /**
   * Emit the helper as a native sidecar: an init container with `restartPolicy: Always`, started
   * before the app and stopped after it, which does not keep a Job from completing. Needs a
   * target Kubernetes version of 1.29 or later (`setKubernetesVersion`).
   * @default false
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  readonly nativeSidecar?: boolean;
  /**
   * How the helper's containers are hardened.
   * @default Hardening.RESTRICTED
   */
  readonly hardening?: Hardening;
  /**
   * Resources of each helper container. Per resource, CPU and memory: set either the request or
   * the limit and both come from here (an unset one is left out); set neither and both keep the default.
   * @default - 10m CPU and 32Mi memory requested, 64Mi memory limit (a LogSidecar's Fluent Bit agent: 20m, 64Mi, 128Mi)
   */
  readonly resources?: ResourceOptions;
  /**
   * Security settings of the helper's containers.
   * @default - user 65532 (a ProxyAmbassador's HAProxy: the image's user 99), read-only root filesystem, ALL capabilities dropped, seccomp RuntimeDefault
   */
  readonly securityContext?: ContainerSecurityOptions;
  /**
   * Kubernetes recommended labels of the objects the helper creates (ConfigMaps). The workload
   * itself is not relabelled beyond the recommended labels its controller metadata lacks (never
   * `component`, never its pod template or selector, never a bare Pod's labels).
   * @default - name, instance, version and part-of from the workload's own recommended labels, else its name and chart; component the helper's role; managed-by 'cdk8s'
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
   */
  readonly labels?: RecommendedLabels;
}

/** Whether the workload's pods run to completion (then only a native sidecar lets them finish). */
export function runsToCompletion(w: kplus.AbstractPod): boolean {
  return w instanceof kplus.Job || w instanceof kplus.CronJob || (w.restartPolicy !== undefined && w.restartPolicy !== kplus.RestartPolicy.ALWAYS);
}

/**
 * Validates the shared helper props: the workload, hardening, resources and security settings,
 * and native sidecars (needed on workloads that run to completion; possible from Kubernetes 1.29).
 */
export function checkHelperProps(problems: Problems, scope: Construct, props: HelperProps): void {
  if (props.workload === undefined || typeof (props.workload as any).addContainer !== 'function') {
    problems.add('workload', props.workload === undefined ? undefined : String(props.workload), 'a cdk8s-plus Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob');
  }
  if (props.hardening !== undefined && !Object.values(Hardening).includes(props.hardening)) {
    problems.add('hardening', props.hardening, `one of ${Object.values(Hardening).map((h) => JSON.stringify(h)).join(', ')}`);
  }
  checkResourceOptions(problems, 'resources', props.resources);
  checkSecurityOptions(problems, 'securityContext', props.securityContext);
  const workload = props.workload !== undefined && typeof (props.workload as any).addContainer === 'function' ? props.workload : undefined;
  if (workload && runsToCompletion(workload) && !props.nativeSidecar) {
    problems.add('nativeSidecar', props.nativeSidecar ?? false, `true when the workload runs to completion (a Job, a CronJob or a Pod whose restartPolicy is not Always): a regular sidecar keeps running after the app exits, so the pod never completes; native sidecars need a target Kubernetes version of 1.${NATIVE_SIDECAR_MINOR} or later (the target is ${kubernetesVersionOf(scope)})`);
  }
  if (props.nativeSidecar) {
    const version = kubernetesVersionOf(scope);
    const minor = parseMinor(version);
    if (minor === undefined || minor < NATIVE_SIDECAR_MINOR) {
      problems.add('nativeSidecar', true, `false, or a target Kubernetes version of 1.${NATIVE_SIDECAR_MINOR} or later (the target is ${version}; native sidecars are alpha and off by default in 1.28 and absent before): call setKubernetesVersion(app or chart, '1.29') before adding charts`);
    }
  }
}

/** Options for {@link attachHelperContainer}. */
export interface AttachOptions {
  /** The helper's props (workload, nativeSidecar, hardening, resources, securityContext). */
  readonly helper: HelperProps;
  /** Resources when neither the container nor the helper props set any. */
  readonly defaultResources: ResourceOptions;
  /** A startup probe for the native sidecar form (e.g. a TCP check on the helper's port). */
  readonly startupProbe?: Record<string, unknown>;
}

/**
 * Adds one helper container to the workload, as a sidecar or a native sidecar, and wires the
 * pod-wide checks and the Pod Security declaration of the workload.
 */
export function attachHelperContainer(scope: Construct, c: ContainerOptions, o: AttachOptions): kplus.Container {
  const h = o.helper;
  const hardening = h.hardening ?? Hardening.RESTRICTED;
  const container = addContainer(scope, h.workload, {
    ...c,
    resources: c.resources ?? h.resources,
    securityContext: { ...h.securityContext, ...c.securityContext },
  }, {
    placement: h.nativeSidecar ? 'native-sidecar' : 'container',
    hardening,
    defaultResources: o.defaultResources,
    startupProbe: o.startupProbe,
  });
  addPodChecks(h.workload);
  labelWorkload(h.workload);
  const level = declaredLevel({
    hardening,
    hostPort: (c.ports ?? []).some((p) => p.hostPort !== undefined),
    addedCapabilities: [...(h.securityContext?.addCapabilities ?? []), ...(c.securityContext?.addCapabilities ?? [])],
  });
  declarePodSecurity(h.workload, level, [c.name]);
  // The helper's own container must pass the profile it declares, whatever the user's containers need.
  scope.node.addValidation({
    validate: () => checkPodSecurity(level, patternPart(ApiObject.of(h.workload).toJson(), [c.name]))
      .map((v) => `container ${JSON.stringify(c.name)} does not pass the Pod Security profile "${level}" it declares: ${v.check}: ${v.message}`),
  });
  return container;
}
