/**
 * What every helper pattern (LogSidecar, ProxyAmbassador, Adapter, DebugSidecar, and any new
 * one) shares: the props for attaching to any workload, their validation, and the one entry
 * point that attaches a helper's part of the pod.
 *
 * How a helper attaches (the internal API; use nothing else to edit a workload):
 *
 * ```ts
 * const problems = new Problems();
 * const target = checkHelperProps(problems, this, props);     // Workload | undefined; problems under the shared prop names
 * const app = resolveAppContainer(problems, target, { container: props.appContainer, name: props.appContainerName },
 *   APP_CONTAINER_PROPS, true);                               // the user's app container (its rendered spec), if the helper needs it
 * problems.throwIfAny(this.node.path);
 * const attached = attachHelper(this, target!, props, {      // builds the containers as L1 data, injects them
 *   containers: [{ name, image, args, ports, defaultResources: DEFAULT_RESOURCES.helper, volumeMounts }],
 *   volumes: [...], appContainerName: app.name, appContainer: { env: [...], volumeMounts: [...] },
 *   pod: { shareProcessNamespace: true }, annotations: { ... },
 * });
 * this.sidecar = attached.containers[0];                     // expose exactly the data that is written
 * ```
 *
 * - `checkHelperProps(problems, scope, props): Workload | undefined` validates `workload`,
 *   `nativeSidecar`, `hardening`, `resources`, `securityContext` (and resolves the workload with
 *   the shared resolver, workload.ts).
 * - `resolveAppContainer(problems, workload, ref, names, required)` (workload.ts) finds the app
 *   container; containers a pattern added are never candidates.
 * - `attachHelper(scope, workload, props, part): AttachedHelper` (the workload checkHelperProps
 *   resolved in the same constructor: its rendering is reused, see workload.ts) hardens each
 *   container, applies resources defaults, makes them native sidecars when `props.nativeSidecar`,
 *   gives writable paths their emptyDirs, and registers the whole part with the injection step
 *   (inject.ts), together with the Pod Security declaration, the pod-wide checks and the version check.
 * - `podView(workload)` (workload.ts) shows the pod as it stands, for clash checks: rendered once
 *   per resolution (per constructor) until a part is injected, never reused by another constructor.
 * - Objects a helper owns (ConfigMaps) are created by the helper in its own scope, with
 *   `helperObjectMetadata(workload.apiObject, labels)` (labels.ts: the workload's namespace and the
 *   helper's recommended labels); the pod refers to them through the part's volumes.
 * - Own-pod patterns (SharedVolumePod, WarSidecarPod) edit their cdk8s-plus-27 pod through the same
 *   step: `addContainer` (container.ts), `createPatternPod` (pod.ts), `declarePodSecurity` (inject.ts).
 */
import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../_k8s';
import { addPodChecks } from './checks';
import { checkResourceOptions, checkSecurityOptions, ContainerOptions, mergeResources, WRITABLE_PATH_SIZE_LIMIT_MIB, scratchVolumeName } from './container';
import { ContainerEdit, ContainerSpec, GeneratedConfigMap, injectPart, patternPart, PodPart, podSpecOf, PodSettings } from './inject';
import { addGraceBudgetCheck, appDrainOf, holdUntilListeningCommand, PRESTOP_SLEEP_ACTION_MINOR } from './lifecycle';
import { PodSecurityLevel } from './pod-security';
import { checkPodSecurity } from './pss';
import { labelWorkload, RecommendedLabels } from './labels';
import { readsRendering, renderingOf } from './rendering';
import { isDuration, Problems } from './rules';
import { containerSecuritySpec, ContainerSecurityOptions, declaredLevel, Hardening, ResourceOptions, resourcesSpec } from './security';
import { kubernetesVersionOf, NATIVE_SIDECAR_MINOR, parseMinor, workloadVersionProblem } from './version';
import { NamedContainer, podView, PodView, resolveWorkload, retireWorkload, runsToCompletion, volumeNames, Workload } from './workload';

export { NamedContainer, Workload } from './workload';

/** Props every helper pattern takes. */
export interface HelperProps {
  /**
   * The workload to attach to: a cdk8s-plus (27 to 33) Pod, Deployment, StatefulSet, DaemonSet,
   * Job or CronJob; a cdk8s L1 object (`KubeDeployment`, ...); an ApiObject whose kind carries a
   * pod template, such as one cdk8s `Include` made from your YAML; or a construct holding exactly
   * one such object (an `Include` of a file with one workload).
   */
  readonly workload: IConstruct;
  /**
   * The app container the helper serves (its logs, its upstream address, its processes), by reference.
   * @default - the container named `appContainerName`, or the workload's only container no pattern added
   */
  readonly appContainer?: NamedContainer;
  /**
   * The name of the app container (instead of `appContainer`).
   * @default - the workload's only container no pattern added
   */
  readonly appContainerName?: string;
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
  /**
   * With `nativeSidecar`: start the helper right after this init container of the workload
   * instead of before all of them. By default a native sidecar starts before the workload's own
   * init containers, so an init container may use it (`until nc -z 127.0.0.1 5432`); name an
   * init container here when the helper needs what it prepares.
   * @default - before the workload's own init containers
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#sidecar-containers-and-pod-lifecycle
   */
  readonly startAfterInitContainer?: string;
  /**
   * Without native sidecars: place the helper first in `containers` with a `postStart` hook that
   * returns once the helper accepts connections (for at most 30 s), so the kubelet, which starts
   * containers in order and waits for each one's postStart hook, starts the app only then (the
   * technique of Istio's `holdApplicationUntilProxyStarts`). The cost: the pod's start waits for
   * the helper (the app starts at most 30 s late; a helper that never listens then fails its
   * hook, is restarted, and the app starts anyway). The hook runs `bash` and `sleep` in the
   * helper's image. Ignored with `nativeSidecar` (the startup probe holds the app there).
   * @default - true for helpers the app calls (ProxyAmbassador); false for the others (an Adapter is called by Prometheus, not the app)
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#ProxyConfig
   */
  readonly holdAppUntilReady?: boolean;
  /**
   * How long the app keeps working after the pod is told to stop (finishing requests, flushing):
   * helpers the app calls (a ProxyAmbassador) and that follow its output (a LogSidecar) keep
   * running that long first (a `preStop` wait; native sidecars are stopped after the app anyway),
   * and the pod's `terminationGracePeriodSeconds` must hold it plus the helpers' stop (checked).
   * Whole seconds.
   * @default - the app container's own preStop sleep, if it has one; else 5 seconds (Istio's terminationDrainDuration)
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
   */
  readonly appDrain?: Duration;
}

/** Whether a helper can hold the app until it is ready, or why not. */
export interface HelperCapabilities {
  /** Undefined when the helper can run the hold-the-app hook; else why it cannot (for the message). */
  readonly cannotHoldApp?: string;
}

/** The longest `appDrain`: an hour. */
const MAX_DRAIN_SECONDS = 3600;

/** The whole seconds of a valid `appDrain`, or undefined. */
function drainSecondsOf(problems: Problems, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  // duck-typed: a Duration from another copy of cdk8s (or a jsii proxy) is not `instanceof` ours
  const duration = isDuration(value);
  const seconds = duration ? Number((value as Duration).toMilliseconds()) / 1000 : undefined;
  if (seconds === undefined || !Number.isInteger(seconds) || seconds < 0 || seconds > MAX_DRAIN_SECONDS) {
    problems.add('appDrain', duration ? `${seconds} s` : value, `a Duration of whole seconds from 0 to ${MAX_DRAIN_SECONDS} (e.g. Duration.seconds(10))`);
    return undefined;
  }
  return seconds;
}

/** Checks the start-and-stop props: placement, hold, drain. */
function checkLifecycleProps(problems: Problems, props: HelperProps, view: PodView | undefined, caps: HelperCapabilities): void {
  const after = props.startAfterInitContainer;
  if (after !== undefined) {
    if (!props.nativeSidecar) problems.add('startAfterInitContainer', after, 'unset unless nativeSidecar is true (a regular sidecar starts after every init container anyway)');
    else if (view) {
      const names = view.initContainers.map((c: any) => c.name);
      if (!names.includes(after)) {
        problems.add('startAfterInitContainer', after, `the name of an init container of the workload (${names.map((n: string) => JSON.stringify(n)).join(', ') || 'it has none'})`);
      }
    }
  }
  const hold = props.holdAppUntilReady;
  if (hold !== undefined && typeof hold !== 'boolean') problems.add('holdAppUntilReady', hold, 'true or false');
  else if (hold === true && caps.cannotHoldApp !== undefined) problems.add('holdAppUntilReady', true, `false or unset: ${caps.cannotHoldApp}`);
  drainSecondsOf(problems, props.appDrain);
}

/** The shared names of the app-container props, for messages. */
export const APP_CONTAINER_PROPS = { container: 'appContainer', name: 'appContainerName' } as const;

/**
 * Validates the shared helper props: the workload (resolved, see workload.ts), hardening,
 * resources and security settings, and native sidecars (needed on workloads that run to
 * completion; possible from Kubernetes 1.29). Returns the resolved workload, if valid.
 */
export function checkHelperProps(problems: Problems, scope: Construct, props: HelperProps, caps: HelperCapabilities = { cannotHoldApp: 'this helper does not listen for the app' }): Workload | undefined {
  const workload = resolveWorkload(problems, 'workload', props?.workload);
  const view = workload && podView(workload);
  checkLifecycleProps(problems, props, view, caps);
  if (props.hardening !== undefined && !Object.values(Hardening).includes(props.hardening)) {
    problems.add('hardening', props.hardening, `one of ${Object.values(Hardening).map((h) => JSON.stringify(h)).join(', ')}`);
  }
  checkResourceOptions(problems, 'resources', props.resources);
  checkSecurityOptions(problems, 'securityContext', props.securityContext);
  if (workload && runsToCompletion(workload, view) && !props.nativeSidecar) {
    problems.add('nativeSidecar', props.nativeSidecar ?? false, `true when the workload runs to completion (a Job, a CronJob or a Pod whose restartPolicy is not Always): a regular sidecar keeps running after the app exits, so the pod never completes; native sidecars need a target Kubernetes version of 1.${NATIVE_SIDECAR_MINOR} or later (the target is ${kubernetesVersionOf(scope)})`);
  }
  if (props.nativeSidecar) {
    const version = kubernetesVersionOf(scope);
    const minor = parseMinor(version);
    if (minor === undefined || minor < NATIVE_SIDECAR_MINOR) {
      problems.add('nativeSidecar', true, `false, or a target Kubernetes version of 1.${NATIVE_SIDECAR_MINOR} or later (the target is ${version}; native sidecars are alpha and off by default in 1.28 and absent before): call setKubernetesVersion(app or chart, KubernetesVersion.V1_${NATIVE_SIDECAR_MINOR}) before adding charts`);
    }
  }
  return workload;
}

/** One container of a helper, before hardening and defaults. */
export interface HelperContainerOptions extends ContainerOptions {
  /** Resources when neither the container nor the helper props set any. */
  readonly defaultResources: ResourceOptions;
  /** Volume mounts (of the part's volumes or the pod's). */
  readonly volumeMounts?: k8s.VolumeMount[];
  /** A startup probe for the native sidecar form (e.g. a TCP check on the helper's port). */
  readonly startupProbe?: k8s.Probe;
  /** Interactive: `stdin` and `tty` (a debug shell). */
  readonly interactive?: boolean;
  /** Where the container accepts the app's connections: what the hold-the-app hook waits for. */
  readonly listensOn?: { readonly host: string; readonly port: number };
  /** Whether the image has a `sleep` binary (a `preStop` wait below Kubernetes 1.30 needs one). */
  readonly hasSleep?: boolean;
}

/** How a helper's containers start and stop beside the app. */
export interface HelperLifecycleOptions {
  /** Whether `holdAppUntilReady` is on unless the props say otherwise. */
  readonly holdAppByDefault: boolean;
  /** Whether the helper keeps running through the app's drain (it serves the app or follows its output). */
  readonly outlivesApp: boolean;
  /** Seconds each container takes to stop once it gets SIGTERM. */
  readonly stopSeconds: number;
}

/** A helper's part of the pod, before hardening and defaults. */
export interface HelperPartOptions {
  /** The helper's containers: sidecars, or native sidecars when the props say so. */
  readonly containers: readonly HelperContainerOptions[];
  /** Volumes the helper adds (writable paths' emptyDirs are added on top). */
  readonly volumes?: readonly k8s.Volume[];
  /** The app container to edit (a name resolved with resolveAppContainer). */
  readonly appContainerName?: string;
  /** What the app container gets: env appended, volume mounts appended. */
  readonly appContainer?: { readonly env?: k8s.EnvVar[]; readonly volumeMounts?: k8s.VolumeMount[] };
  /** Pod-level settings. */
  readonly pod?: PodSettings;
  /** Pod-template annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** ConfigMaps the helper generated and mounts: their content hashes go on the pod template, so a change rolls the pods. */
  readonly configMaps?: readonly GeneratedConfigMap[];
  /** How the containers start and stop. */
  readonly lifecycle: HelperLifecycleOptions;
}

/** What {@link attachHelper} injected: exactly the data that is written. */
export interface AttachedHelper {
  /** The workload it attached to. */
  readonly workload: Workload;
  /** The helper's containers, as written (in `containers`, or `initContainers` for native sidecars). */
  readonly containers: ContainerSpec[];
  /** The volumes it added, writable paths' emptyDirs included. */
  readonly volumes: k8s.Volume[];
  /** The whole part registered with the injection step. */
  readonly part: PodPart;
}

/** The workload's only container no pattern added, if there is exactly one. */
function onlyUserContainer(view: PodView): string | undefined {
  const own = view.containers.filter((c: any) => !view.injected.has(c.name));
  return own.length === 1 ? own[0].name : undefined;
}

/** The hooks of a regular (non-native) helper container: hold the app, wait out its drain. */
interface Hooks {
  readonly hold: boolean;
  readonly drainSeconds?: number;
  readonly sleepAction: boolean;
}

/** Builds one helper container spec: hardened, with resources, as a (native) sidecar. */
function helperContainer(c: HelperContainerOptions, props: HelperProps, hardening: Hardening, mounts: k8s.VolumeMount[], hooks: Hooks): ContainerSpec {
  const securityOptions: ContainerSecurityOptions = { ...props.securityContext, ...c.securityContext };
  const resources = c.resources ?? props.resources;
  const native = !!props.nativeSidecar;
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    command: c.command && [...c.command],
    args: c.args && [...c.args],
    workingDir: c.workingDir,
    env: Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })),
    ports: (c.ports ?? []).map((p) => ({ containerPort: p.number, name: p.name, hostPort: p.hostPort, protocol: p.protocol })),
    volumeMounts: [...mounts, ...(c.volumeMounts ?? [])],
    securityContext: containerSecuritySpec(hardening, securityOptions),
    resources: hardening === Hardening.NONE ? resourcesSpec(resources) : resourcesSpec(mergeResources(c.defaultResources, resources)),
    restartPolicy: native ? 'Always' : undefined,
    startupProbe: native ? c.startupProbe : undefined,
    stdin: c.interactive ? true : undefined,
    tty: c.interactive ? true : undefined,
    ...regularHooks(c, native, hooks),
  };
}

/** postStart (hold the app) and preStop (wait out the app's drain) of a regular sidecar. */
function regularHooks(c: HelperContainerOptions, native: boolean, hooks: Hooks): Pick<ContainerSpec, 'lifecycle' | 'preStopSleepSeconds'> {
  if (native) return {};
  const postStart: k8s.LifecycleHandler | undefined = hooks.hold && c.listensOn ? { exec: { command: holdUntilListeningCommand(c.listensOn.host, c.listensOn.port) } } : undefined;
  const drain = hooks.drainSeconds !== undefined && hooks.drainSeconds > 0 ? hooks.drainSeconds : undefined;
  const execSleep = drain !== undefined && !hooks.sleepAction && c.hasSleep;
  const preStop: k8s.LifecycleHandler | undefined = execSleep ? { exec: { command: ['sleep', String(drain)] } } : undefined;
  return {
    lifecycle: postStart || preStop ? { postStart, preStop } : undefined,
    preStopSleepSeconds: drain !== undefined && hooks.sleepAction ? drain : undefined,
  };
}

/**
 * The checks of an attached helper, run before anything is written, as one validation of the
 * helper (its messages in this order): its own containers pass the Pod Security profile it
 * declares, whatever the user's containers need; a native sidecar placed after an init container
 * still finds it (one removed after the helper was built would leave the helper appended last);
 * the workload's cdk8s-plus major suits the target Kubernetes version. Built here, apart from
 * attachHelper, so that it keeps only what it reads (not the props and part options).
 */
function addHelperValidations(scope: Construct, workload: Workload, level: PodSecurityLevel, names: readonly string[], after: string | undefined): void {
  const obj = workload.apiObject;
  scope.node.addValidation({
    validate: () => {
      const out: string[] = [];
      for (const name of names) {
        for (const v of checkPodSecurity(level, patternPart(renderingOf(obj), [name]), kubernetesVersionOf(scope))) {
          out.push(`container ${JSON.stringify(name)} does not pass the Pod Security profile "${level}" it declares: ${v.check}: ${v.message}`);
        }
      }
      if (after !== undefined) {
        const init = (podSpecOf(renderingOf(obj))?.initContainers ?? []).map((c: any) => c.name).filter((n: string) => !names.includes(n));
        if (!init.includes(after)) out.push(`startAfterInitContainer: received ${JSON.stringify(after)}; expected the name of an init container of the workload (${init.map((n: string) => JSON.stringify(n)).join(', ') || 'it has none'})`);
      }
      const p = workloadVersionProblem(scope, `the workload ${workload.kind} ${JSON.stringify(obj.name)} (${workload.construct.node.path})`, workload.plusMajor);
      if (p) out.push(p);
      return out;
    },
  });
}

/**
 * Attaches a helper's part to `workload` (what `checkHelperProps` resolved from `props` in the
 * same constructor, so that the pod it rendered is read again, not rendered again): builds its
 * containers as Kubernetes data (hardened, resources resolved, native sidecars when asked,
 * writable paths on emptyDirs) and
 * registers the part with the one injection step, with the helper's Pod Security declaration,
 * the pod-wide checks, the recommended labels the workload lacks and the version check. Call it
 * after `checkHelperProps` reported no problem.
 */
export function attachHelper(scope: Construct, workload: Workload, props: HelperProps, part: HelperPartOptions): AttachedHelper {
  const hardening = props.hardening ?? Hardening.RESTRICTED;
  const view = podView(workload);
  const taken = volumeNames(view);
  const native = !!props.nativeSidecar;
  const minor = parseMinor(kubernetesVersionOf(scope)) ?? 0;
  const appSpec = view.containers.find((c: any) => c.name === part.appContainerName);
  const drain = appDrainOf(drainSecondsOf(new Problems(), props.appDrain), appSpec);
  const hold = !native && (props.holdAppUntilReady ?? part.lifecycle.holdAppByDefault);
  const hooks: Hooks = { hold, drainSeconds: part.lifecycle.outlivesApp ? drain.seconds : undefined, sleepAction: minor >= PRESTOP_SLEEP_ACTION_MINOR };
  for (const v of part.volumes ?? []) taken.add(v.name);
  const volumes: k8s.Volume[] = [...(part.volumes ?? [])];
  const containers = part.containers.map((c) => {
    const mounts: k8s.VolumeMount[] = [];
    for (const path of c.writablePaths ?? []) {
      const name = scratchVolumeName(c.name, path, taken);
      volumes.push({ name, emptyDir: { sizeLimit: k8s.Quantity.fromString(`${WRITABLE_PATH_SIZE_LIMIT_MIB}Mi`) } });
      mounts.push({ mountPath: path, name });
    }
    return helperContainer(c, props, hardening, mounts, hooks);
  });
  // volumes in the order they are first mounted (the app's mounts, then each container's), as cdk8s-plus orders them
  const mountOrder = [...(part.appContainer?.volumeMounts ?? []), ...containers.flatMap((c) => c.volumeMounts ?? [])].map((m) => m.name);
  const rank = (v: k8s.Volume) => (mountOrder.includes(v.name) ? mountOrder.indexOf(v.name) : mountOrder.length);
  volumes.sort((a, b) => rank(a) - rank(b));
  const names = containers.map((c) => c.name);
  const edits: ContainerEdit[] = part.appContainerName !== undefined && part.appContainer !== undefined
    ? [{ name: part.appContainerName, env: part.appContainer.env, volumeMounts: part.appContainer.volumeMounts }]
    : [];
  const level = declaredLevel({
    hardening,
    hostPort: part.containers.some((c) => (c.ports ?? []).some((p) => p.hostPort !== undefined)),
    addedCapabilities: part.containers.flatMap((c) => [...(props.securityContext?.addCapabilities ?? []), ...(c.securityContext?.addCapabilities ?? [])]),
  });
  const podPart: PodPart = {
    owner: scope.node.path,
    pod: part.pod,
    volumes,
    containerEdits: edits,
    initContainers: native ? containers : [],
    containers: native ? [] : containers,
    initContainerPlacement: native ? (props.startAfterInitContainer !== undefined ? { after: props.startAfterInitContainer } : { first: true }) : undefined,
    containersFirst: hold ? true : undefined,
    annotations: part.annotations,
    configMaps: part.configMaps,
    defaultContainer: part.appContainerName ?? onlyUserContainer(view),
    podSecurity: { level, containers: names },
    lifecycle: {
      appContainer: part.appContainerName,
      appDrainSeconds: drain.seconds,
      drainFrom: drain.from,
      stopSeconds: part.lifecycle.stopSeconds,
      // native sidecars are stopped after the app's containers have exited; a regular one waits in preStop
      outlivesApp: native || (part.lifecycle.outlivesApp && containers.every((c) => c.preStopSleepSeconds !== undefined || c.lifecycle?.preStop !== undefined || drain.seconds === 0)),
    },
  };
  const obj = workload.apiObject;
  injectPart(obj, podPart);
  retireWorkload(workload);
  readsRendering(scope, obj); // the validations below read the workload's rendering
  addPodChecks(obj, workload.construct);
  addGraceBudgetCheck(obj, workload.construct);
  labelWorkload(obj);
  addHelperValidations(scope, workload, level, names, native ? props.startAfterInitContainer : undefined);
  return { workload, containers, volumes, part: podPart };
}
