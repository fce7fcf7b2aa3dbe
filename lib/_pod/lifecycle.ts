/**
 * How helpers start and stop beside the app: the hold-the-app hook (below native sidecars), the
 * stop wait, and the grace-period budget check.
 *
 * Start. A native sidecar (Kubernetes 1.29+) is an init container: the kubelet starts init
 * containers one by one and, for a native sidecar, waits for its startup probe before starting
 * the next one, so helpers placed before the user's init containers are up when those run. Without
 * native sidecars, the kubelet starts `containers` in order and runs each one's `postStart` hook
 * to completion before it starts the next container: a helper placed first whose hook waits until
 * it accepts connections holds the app back until it is ready (Istio's
 * `holdApplicationUntilProxyStarts`).
 *
 * Stop. The kubelet stops native sidecars after every main container has exited. Regular sidecars
 * get SIGTERM together with the app, so a helper the app calls gets a `preStop` wait as long as
 * the app's drain. Either way the pod's `terminationGracePeriodSeconds` must hold the app's drain
 * plus the helpers' own stop: {@link checkGraceBudget}.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
import { ApiObject, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { partsOf, podSpecOf } from './inject';
import { renderingOf } from './rendering';
import { isDuration, Problems } from './rules';

/** Kubernetes' default `terminationGracePeriodSeconds`. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/**
 * The app's drain when neither `appDrain` nor a `preStop` sleep of the app says otherwise: 5 s,
 * Istio's default `terminationDrainDuration`.
 */
export const DEFAULT_APP_DRAIN_SECONDS = 5;
/** How long the hold-the-app hook waits for the helper before it gives up (the proxies' startup probe allows as long). */
export const HOLD_APP_TIMEOUT_SECONDS = 30;
/** The first Kubernetes minor where `lifecycle.preStop.sleep` is on by default (beta), so no `sleep` binary is needed. */
export const PRESTOP_SLEEP_ACTION_MINOR = 30;

/**
 * The `postStart` command that blocks until something accepts TCP connections on host:port,
 * trying once a second for up to `timeout` (whole seconds, default 30 s), then exits 1. It needs
 * only `bash` (its `/dev/tcp` redirection opens the connection) and `sleep`: HAProxy's official
 * image (Debian bookworm) has both, and so has an image built from `TWEMPROXY_DOCKERFILE`.
 * Throws a `PropsError` when the timeout is no Duration of whole seconds from 1 to 3600.
 */
export function holdUntilListeningCommand(host: string, port: number, timeout: Duration = Duration.seconds(HOLD_APP_TIMEOUT_SECONDS)): string[] {
  const seconds = isDuration(timeout) ? Number(timeout.toMilliseconds()) / 1000 : undefined;
  if (seconds === undefined || !Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    const problems = new Problems();
    problems.add('timeout', seconds === undefined ? timeout : `${seconds} s`, 'a Duration of whole seconds from 1 to 3600 (e.g. Duration.seconds(30))');
    problems.throwIfAny('holdUntilListeningCommand');
  }
  const timeoutSeconds = seconds!;
  // one statement a line: the YAML shows it as a block, each line short
  const script = [
    'i=0',
    `while [ "$i" -lt ${timeoutSeconds} ]; do`,
    `  (exec 3<>/dev/tcp/${host}/${port}) 2>/dev/null && exit 0`,
    '  i=$((i+1)); sleep 1',
    'done',
    `echo "nothing listens on ${host}:${port} after ${timeoutSeconds} s" >&2`,
    'exit 1',
  ].join('\n');
  return ['bash', '-c', script];
}

/** The app's drain: `appDrain` when given, else its own preStop sleep, else the default; with where it comes from. */
export function appDrainOf(appDrainSeconds: number | undefined, app: any): { seconds: number; from: string } {
  if (appDrainSeconds !== undefined) return { seconds: appDrainSeconds, from: 'appDrain' };
  const own = preStopSleepSeconds(app);
  if (own !== undefined) return { seconds: own, from: 'its preStop sleep' };
  return { seconds: DEFAULT_APP_DRAIN_SECONDS, from: 'the default' };
}

/** The seconds an app container's own `preStop` hook sleeps (`sleep` action, `sleep N`, `sh -c "sleep N"`), if it does. */
export function preStopSleepSeconds(container: any): number | undefined {
  const pre = container?.lifecycle?.preStop;
  if (!pre) return undefined;
  if (typeof pre.sleep?.seconds === 'number') return pre.sleep.seconds;
  const cmd: unknown = pre.exec?.command;
  if (!Array.isArray(cmd)) return undefined;
  const text = cmd.map(String).join(' ');
  const m = /(?:^|[\s;&|(])(?:\/bin\/|\/usr\/bin\/)?sleep\s+(\d+)(?:s)?(?=$|[\s;&|)])/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** One container's share of a pod's stop, for the budget and the lifecycle diagram. */
export interface StopStep {
  /** The container. */
  readonly name: string;
  /** Whether it waits out the app's drain before it stops. */
  readonly afterDrain: boolean;
  /** Seconds it takes to stop once told to. */
  readonly stopSeconds: number;
}

/** The stop of a rendered pod as the helpers' parts declare it. */
export interface StopPlan {
  /** The pod's grace period, and whether it was set. */
  readonly graceSeconds: number;
  readonly graceSet: boolean;
  /** The app container and its drain, with where the drain comes from. */
  readonly app?: string;
  readonly drainSeconds: number;
  readonly drainFrom: string;
  /** The helpers' stop steps. */
  readonly helpers: readonly StopStep[];
  /** Seconds the whole stop needs. */
  readonly neededSeconds: number;
}

/** The stop plan of an object's rendered manifest, from its parts' lifecycle declarations; undefined without any. */
export function stopPlan(obj: ApiObject, manifest: any): StopPlan | undefined {
  const parts = partsOf(obj).filter((p) => p.lifecycle !== undefined);
  if (parts.length === 0) return undefined;
  const spec = podSpecOf(manifest) ?? {};
  const graceSet = typeof spec.terminationGracePeriodSeconds === 'number';
  const graceSeconds = graceSet ? spec.terminationGracePeriodSeconds : DEFAULT_TERMINATION_GRACE_SECONDS;
  const steps: StopStep[] = [];
  let drainSeconds = 0;
  let drainFrom = 'no helper waits for it';
  let app: string | undefined;
  for (const p of parts) {
    const l = p.lifecycle!;
    if (l.appContainer !== undefined && app === undefined) app = l.appContainer;
    if (l.outlivesApp && l.appDrainSeconds >= drainSeconds) {
      drainSeconds = l.appDrainSeconds;
      drainFrom = l.drainFrom;
    }
    for (const c of [...(p.initContainers ?? []), ...(p.containers ?? [])]) steps.push({ name: c.name, afterDrain: l.outlivesApp, stopSeconds: l.stopSeconds });
  }
  const neededSeconds = Math.max(drainSeconds, ...steps.map((s) => (s.afterDrain ? drainSeconds : 0) + s.stopSeconds));
  return { graceSeconds, graceSet, app, drainSeconds, drainFrom, helpers: steps, neededSeconds };
}

/** The budget problem of a stop plan (terminationGracePeriodSeconds too short), or undefined. */
export function graceBudgetProblem(plan: StopPlan): string | undefined {
  if (plan.neededSeconds <= plan.graceSeconds) return undefined;
  // with no app container named, or nothing to drain, only the helpers' stop takes the time
  const drains = plan.app !== undefined && plan.drainSeconds > 0;
  const steps = plan.helpers.map((s) => `${JSON.stringify(s.name)} up to ${s.stopSeconds} s${s.afterDrain || !drains ? '' : ' (not waiting for the drain)'}`).join(', ');
  const received = plan.graceSet ? String(plan.graceSeconds) : `${plan.graceSeconds} (unset: Kubernetes' default)`;
  const stops = drains ? `the app container ${JSON.stringify(plan.app)} drains for ${plan.drainSeconds} s (${plan.drainFrom}), then the helpers stop: ${steps}` : `the helpers stop: ${steps}`;
  return `terminationGracePeriodSeconds: received ${received}; expected at least ${plan.neededSeconds}: ${stops}; raise terminationGracePeriodSeconds${drains ? ' or shorten the drain (appDrain)' : ''}`;
}

const BUDGETED = new WeakSet<ApiObject>();

/** Adds the grace-period budget check to a workload's validations, once per object (reported at `at`). */
export function addGraceBudgetCheck(obj: ApiObject, at: IConstruct): void {
  if (BUDGETED.has(obj)) return;
  BUDGETED.add(obj);
  at.node.addValidation({
    validate: () => {
      const plan = stopPlan(obj, renderingOf(obj));
      const p = plan && graceBudgetProblem(plan);
      return p ? [p] : [];
    },
  });
}
