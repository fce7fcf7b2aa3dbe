/**
 * The lifecycle diagram kind (scripts/docs/lifecycle.ts): read from synthesized manifests, drawn
 * top to bottom with short labels, start above stop.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { KubernetesVersion, LogSidecar, ProxyAmbassador, setKubernetesVersion } from '../lib';
import { MAX_LABEL } from '../scripts/docs/diagram';
import { describeLifecycle, renderLifecycleDiagram } from '../scripts/docs/lifecycle';
import { only } from './util/synth';

function pod(version?: KubernetesVersion) {
  const app = Testing.app();
  if (version) setKubernetesVersion(app, version);
  const chart = new Chart(app, 'docs');
  const d = new kplus.Deployment(chart, 'web', {
    metadata: { name: 'web' },
    containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }],
    initContainers: [{ name: 'migrate', image: 'busybox:1.36.1', command: ['sh', '-c', 'until nc -z 127.0.0.1 5432; do sleep 1; done'] }],
  });
  new ProxyAmbassador(chart, 'db', { workload: d, listenPort: 5432, upstreams: ['db.example.com:5432'], nativeSidecar: version !== undefined });
  new LogSidecar(chart, 'logs', { workload: d, nativeSidecar: version !== undefined, logDirectory: '/var/log/app', logFiles: ['app.log'] });
  return only(chart, 'Deployment');
}

/** Every label line of the Mermaid text. */
function labelLines(mermaid: string): string[] {
  return [...mermaid.matchAll(/\["([^"]*)"\]/g)].flatMap((m) => m[1].split('<br/>'));
}

describe('lifecycle diagrams', () => {
  test('GIVEN native sidecars (1.29) THEN start shows them before the init container, gated by the startup probe, and stop shows them last', () => {
    const m = describeLifecycle(pod(KubernetesVersion.V1_29));
    expect(m.start.map((s) => [s.name, s.role, s.gate])).toEqual([
      ['haproxy', 'sidecar', 'startup probe'],
      ['log-app', 'sidecar', 'none'],
      ['migrate', 'init', 'exits'],
      ['app', 'container', 'none'],
    ]);
    expect(m.stop).toEqual([
      { name: 'app', waitSeconds: 0, last: false },
      { name: 'haproxy', waitSeconds: 0, last: true },
      { name: 'log-app', waitSeconds: 0, last: true },
    ]);
    const { mermaid, names } = renderLifecycleDiagram(m);
    expect(mermaid).toContain('s1 -->|"startup probe"| s2');
    expect(mermaid).toContain('s3 -->|"exits 0"| s4');
    expect(mermaid).toContain('p1 -->|then| p2');
    expect(mermaid.startsWith('%%{init: {"flowchart": {"wrappingWidth": 400}}}%%\nflowchart TB')).toBe(true);
    expect(names.find((n) => n.box === '`haproxy` (stop)')!.is).toMatch(/^native sidecar: the kubelet stops it once every container has exited/);
  });

  test('GIVEN no native sidecars (1.27) THEN the held proxy comes first with its postStart gate, and stop shows the preStop waits and the grace', () => {
    const m = describeLifecycle(pod());
    expect(m.start.map((s) => [s.name, s.gate, s.holdsUntil])).toEqual([
      ['migrate', 'exits', undefined],
      ['haproxy', 'postStart', '127.0.0.1:5432'],
      ['app', 'none', undefined],
      ['log-app', 'none', undefined],
    ]);
    expect(m.stop.map((s) => [s.name, s.waitSeconds])).toEqual([['haproxy', 5], ['app', 0], ['log-app', 5]]);
    expect(m.graceSeconds).toBe(30);
    const { mermaid, names } = renderLifecycleDiagram(m);
    expect(mermaid).toContain('s2 -->|"postStart returns"| s3');
    expect(mermaid).toContain('sp["Stop: grace 30 s"]:::title');
    expect(mermaid).toContain('p1["haproxy<br/>waits 5 s, SIGTERM"]');
    expect(names.find((n) => n.box === '`2: haproxy`')!.is).toContain('its postStart hook returns once 127.0.0.1:5432 accepts connections');
  });

  test('keeps every label line within the diagrams\' limit, and edges between nodes only', () => {
    for (const version of [undefined, KubernetesVersion.V1_29]) {
      const { mermaid } = renderLifecycleDiagram(describeLifecycle(pod(version)));
      for (const line of labelLines(mermaid)) expect(line.length).toBeLessThanOrEqual(MAX_LABEL);
      // no edge starts or ends at a subgraph (start, stop)
      expect(mermaid).not.toMatch(/^\s*(start|stop)\s*(-->|~~~|-\.)/m);
      expect(mermaid).not.toMatch(/(-->|~~~)\|?[^\n]*\b(start|stop)$/m);
    }
  });

  test('fails on a manifest without a pod', () => {
    expect(() => describeLifecycle({ kind: 'ConfigMap', metadata: { name: 'x' } })).toThrow('ConfigMap x carries no pod');
  });
});
