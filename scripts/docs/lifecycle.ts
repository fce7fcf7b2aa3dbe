/**
 * Lifecycle diagrams: how a pod starts and stops, read from its synthesized manifest alone.
 *
 * Start: the init containers in order (a native sidecar, `restartPolicy: Always`, gates the next
 * one on its startup probe; any other init container on its exit), then the containers in order
 * (the kubelet starts them one after the other and waits only for a `postStart` hook, which is how
 * a helper holds the app below native sidecars). Stop: every container gets its `preStop` hook (a
 * wait) and then SIGTERM at once; native sidecars are stopped only after the containers have
 * exited; all within the pod's `terminationGracePeriodSeconds`.
 *
 * Drawn top to bottom with short labels, full names in the table under it, through the same
 * `diagramBlock` as the pod diagrams (scripts/docs/README.md: "Add a diagram kind").
 */
import { preStopSleepSeconds } from '../../lib/_pod/lifecycle';
import { DIAGRAM_CLASSES, DIAGRAM_HEADER, DiagramName, MAX_LABEL, podOf } from './diagram';

type Json = Record<string, any>;

/** What lets the next container start. */
export type StartGate = 'exits' | 'startup probe' | 'postStart' | 'none';

/** One container in start order. */
export interface StartStep {
  readonly name: string;
  readonly image: string;
  /** `init`: runs to completion; `sidecar`: a native sidecar; `container`: a regular container. */
  readonly role: 'init' | 'sidecar' | 'container';
  /** What the kubelet waits for before it starts the next container. */
  readonly gate: StartGate;
  /** The address a hold-the-app postStart hook waits for, when it has one. */
  readonly holdsUntil?: string;
}

/** One container's stop. */
export interface StopStep {
  readonly name: string;
  /** Seconds its preStop hook waits before SIGTERM (0: none). */
  readonly waitSeconds: number;
  /** A native sidecar: stopped after the containers have exited. */
  readonly last: boolean;
}

/** A pod's lifecycle, as its manifest writes it. */
export interface LifecycleModel {
  readonly kind: string;
  readonly name: string;
  readonly start: readonly StartStep[];
  readonly stop: readonly StopStep[];
  readonly graceSeconds: number;
  readonly graceSet: boolean;
}

/** The address (host:port) a hold-the-app hook (`bash -c ... /dev/tcp/host/port ...`) waits for. */
function holdAddress(hook: Json | undefined): string | undefined {
  const cmd: unknown = hook?.exec?.command;
  if (!Array.isArray(cmd)) return undefined;
  const m = /\/dev\/tcp\/([^/\s]+)\/(\d+)/.exec(cmd.join(' '));
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** The lifecycle of a pod-bearing manifest. */
export function describeLifecycle(manifest: Json): LifecycleModel {
  const pod = podOf(manifest);
  if (!pod) throw new Error(`${manifest?.kind} ${manifest?.metadata?.name} carries no pod`);
  const spec = pod.spec;
  const start: StartStep[] = [];
  for (const c of spec.initContainers ?? []) {
    const native = c.restartPolicy === 'Always';
    start.push({ name: c.name, image: c.image, role: native ? 'sidecar' : 'init', gate: native ? (c.startupProbe ? 'startup probe' : 'none') : 'exits' });
  }
  for (const c of spec.containers ?? []) {
    const hold = c.lifecycle?.postStart;
    start.push({ name: c.name, image: c.image, role: 'container', gate: hold ? 'postStart' : 'none', holdsUntil: holdAddress(hold) });
  }
  const stop: StopStep[] = [
    ...(spec.containers ?? []).map((c: Json) => ({ name: c.name, waitSeconds: preStopSleepSeconds(c) ?? 0, last: false })),
    ...(spec.initContainers ?? []).filter((c: Json) => c.restartPolicy === 'Always').map((c: Json) => ({ name: c.name, waitSeconds: preStopSleepSeconds(c) ?? 0, last: true })),
  ];
  const graceSet = typeof spec.terminationGracePeriodSeconds === 'number';
  return { kind: manifest.kind, name: manifest.metadata?.name, start, stop, graceSeconds: graceSet ? spec.terminationGracePeriodSeconds : 30, graceSet };
}

function text(s: string): string {
  return s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function short(s: string): string {
  return s.length <= MAX_LABEL ? s : `${s.slice(0, MAX_LABEL - 1)}…`;
}

const GATE_LABEL: Record<StartGate, string> = { 'exits': 'exits 0', 'startup probe': 'startup probe', 'postStart': 'postStart returns', 'none': 'started' };

/** Renders a lifecycle as a top-to-bottom Mermaid flowchart: start above stop, and its names table. */
export function renderLifecycleDiagram(m: LifecycleModel): { mermaid: string; names: DiagramName[] } {
  const out: string[] = [DIAGRAM_HEADER];
  const edges: string[] = [];
  const names: DiagramName[] = [];
  out.push('  subgraph start[" "]', '    direction TB', `    st["Start, in order<br/>${text(short(`${m.kind} ${m.name}`))}"]:::title`);
  m.start.forEach((s, i) => {
    const id = `s${i + 1}`;
    const second = s.role === 'sidecar' ? 'native sidecar' : s.role === 'init' ? 'init container' : s.holdsUntil ? 'holds the next' : 'container';
    out.push(`    ${id}["${text(short(`${i + 1}: ${s.name}`))}<br/>${text(second)}"]${s.role === 'container' ? '' : ':::init'}`);
    if (i === 0) edges.push(`  st ~~~ ${id}`);
    else {
      const prev = m.start[i - 1];
      edges.push(`  s${i} -->|"${GATE_LABEL[prev.gate]}"| ${id}`);
    }
    const gate = s.gate === 'startup probe' ? 'the next container starts once its startup probe passes'
      : s.gate === 'exits' ? 'runs to completion before the next container starts'
        : s.gate === 'postStart' ? `its postStart hook returns once ${s.holdsUntil ?? 'it is ready'} accepts connections (at most its timeout); the next container starts only then`
          : i < m.start.length - 1 ? 'the next container starts right after it (nothing waits for it)' : 'the last to start';
    names.push({ box: `\`${i + 1}: ${s.name}\``, is: `${s.role === 'sidecar' ? 'native sidecar (`restartPolicy: Always`)' : s.role === 'init' ? 'init container' : 'container'} \`${s.image}\`: ${gate}` });
  });
  out.push('  end');
  const longest = Math.max(0, ...m.stop.map((s) => s.waitSeconds));
  out.push('  subgraph stop[" "]', '    direction TB', `    sp["Stop: grace ${m.graceSeconds} s"]:::title`);
  const first = m.stop.filter((s) => !s.last);
  const last = m.stop.filter((s) => s.last);
  m.stop.forEach((s, i) => {
    const id = `p${i + 1}`;
    const when = s.last ? 'after the others exit' : s.waitSeconds > 0 ? `waits ${s.waitSeconds} s, SIGTERM` : 'SIGTERM at once';
    out.push(`    ${id}["${text(short(s.name))}<br/>${text(when)}"]${s.last ? ':::init' : ''}`);
    names.push({
      box: `\`${s.name}\` (stop)`,
      is: s.last ? 'native sidecar: the kubelet stops it once every container has exited, so it serves the app to the end'
        : s.waitSeconds > 0 ? `its preStop hook waits ${s.waitSeconds} s, then it gets SIGTERM: it keeps serving the app through its drain` : 'gets SIGTERM when the pod is told to stop',
    });
  });
  out.push('  end');
  edges.push(`  s${m.start.length} ~~~ sp`);
  first.forEach((s) => edges.push(`  sp ~~~ p${m.stop.indexOf(s) + 1}`));
  for (const l of last) for (const f of first) edges.push(`  p${m.stop.indexOf(f) + 1} -->|then| p${m.stop.indexOf(l) + 1}`);
  names.push({
    box: `\`Stop: grace ${m.graceSeconds} s\``,
    is: `\`terminationGracePeriodSeconds\`${m.graceSet ? '' : ' (Kubernetes\' default)'}: everything above must be done within it (the longest preStop wait here is ${longest} s; synthesis fails when the app's drain plus the helpers' stop do not fit), then what still runs is killed`,
  });
  return { mermaid: [...out, ...edges, ...DIAGRAM_CLASSES.map((c) => `  ${c}`)].join('\n') + '\n', names };
}
