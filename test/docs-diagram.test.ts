import { Testing } from 'cdk8s';
import { SharedVolumePod } from '../lib';
import { describePod, listenersIn, mermaidPodDiagram, renderPodDiagram, upstreamsIn } from '../scripts/docs/diagram';
import { newChart } from './util/synth';

/** A small pod: an init container, a native sidecar, an app, a shared emptyDir, a scratch emptyDir, a proxy config. */
const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'shop',
    labels: { app: 'shop' },
    annotations: { 'pod-patterns.dev/pod-security': 'restricted', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100' },
  },
  spec: {
    initContainers: [
      { name: 'fetch', image: 'busybox:1.36.1', volumeMounts: [{ name: 'site', mountPath: '/out' }] },
      { name: 'logs', image: 'busybox:1.36.1', restartPolicy: 'Always', volumeMounts: [{ name: 'site', mountPath: '/site', readOnly: true }] },
    ],
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27.5',
        env: [{ name: 'CACHE_ADDR', value: '127.0.0.1:6379' }],
        ports: [{ containerPort: 8080, name: 'http', hostPort: 8001 }],
        volumeMounts: [{ name: 'site', mountPath: '/usr/share/nginx/html', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
      },
      {
        name: 'proxy',
        image: 'haproxy:3.0.28',
        args: ['-f', '/etc/haproxy/haproxy.cfg'],
        ports: [{ containerPort: 9100, name: 'metrics' }],
        volumeMounts: [{ name: 'proxy-config', mountPath: '/etc/haproxy', readOnly: true }],
      },
    ],
    volumes: [
      { name: 'site', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'tmp', emptyDir: {} },
      { name: 'proxy-config', configMap: { name: 'shop-proxy' } },
    ],
  },
};
const CONFIG_MAP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'shop-proxy' },
  data: { 'haproxy.cfg': 'frontend f\n    bind 127.0.0.1:6379\nbackend b\n    server cache-1 redis.cache.svc.cluster.local:6379 check\n' },
};
const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'shop' },
  spec: { selector: { app: 'shop' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

const HEADER = ['%%{init: {"flowchart": {"wrappingWidth": 400}}}%%', 'flowchart TB'];
const CLASSES = [
  '  classDef title fill:none,stroke:none,font-weight:bold',
  '  classDef init stroke-dasharray:4 3',
  '  classDef outside fill:none,stroke-dasharray:2 2',
];

describe('pod diagrams', () => {
  test('draws a small pod top to bottom with short labels: init order, native sidecar, who writes and reads, ports, localhost calls, the outside', () => {
    // GIVEN a pod, its proxy's ConfigMap and a Service selecting it
    // WHEN it is drawn
    const { mermaid, names } = renderPodDiagram(describePod(POD, [POD, CONFIG_MAP, SERVICE]));
    // THEN the Mermaid flowchart is exactly this: the title a node on top of the pod, callers from
    // outside above it, images, paths and hostnames left out of the boxes
    expect(mermaid).toBe([
      ...HEADER,
      '  subgraph pod[" "]',
      '    direction TB',
      '    title["shop<br/>Pod<br/>Pod Security: restricted"]:::title',
      '    subgraph init["init, in order"]',
      '      direction TB',
      '      c_fetch["1: fetch"]:::init',
      '      c_logs["2: logs<br/>sidecar"]:::init',
      '    end',
      '    c_web["web"]',
      '    c_proxy["proxy"]',
      '    v_site[("site")]',
      '    v_proxy_config[("proxy-config")]',
      '    subgraph net["network"]',
      '      port_8080_TCP([":8080 http"])',
      '      port_9100_TCP([":9100 metrics"])',
      '      port_6379_TCP(["127.0.0.1:6379"])',
      '    end',
      '  end',
      '  x_1{{"Service shop"}}:::outside',
      '  x_2{{"node :8001"}}:::outside',
      '  x_3{{"Prometheus"}}:::outside',
      '  x_4[/"upstream 1"/]:::outside',
      '  title ~~~ c_fetch',
      '  title ~~~ v_proxy_config',
      '  title ~~~ port_8080_TCP',
      '  title ~~~ port_9100_TCP',
      '  c_fetch -. then .-> c_logs',
      '  c_fetch -->|writes| v_site',
      '  v_site -->|reads| c_logs',
      '  v_site -->|reads| c_web',
      '  v_proxy_config -->|reads| c_proxy',
      '  port_8080_TCP --- c_web',
      '  port_9100_TCP --- c_proxy',
      '  port_6379_TCP --- c_proxy',
      '  c_web -->|"CACHE_ADDR"| port_6379_TCP',
      '  x_1 ~~~ title',
      '  x_1 -->|":80 http"| port_8080_TCP',
      '  x_2 ~~~ title',
      '  x_2 -->|"hostPort"| port_8080_TCP',
      '  x_3 ~~~ title',
      '  x_3 -->|"scrape /metrics"| port_9100_TCP',
      '  c_proxy --> x_4',
      ...CLASSES,
      '',
    ].join('\n'));
    // AND the table under it names everything in full
    const is = Object.fromEntries(names.map((n) => [n.box, n.is]));
    expect(is['1: fetch']).toBe('init container 1, image `busybox:1.36.1`: runs to completion before the next one and the containers start');
    expect(is['2: logs']).toBe('init container 2, image `busybox:1.36.1`: a native sidecar (`restartPolicy: Always`), starts before the containers and runs alongside them');
    expect(is.web).toBe('container, image `nginx:1.27.5`; scratch emptyDirs at `/tmp`; calls `CACHE_ADDR=127.0.0.1:6379`');
    expect(is.site).toBe('volume, `emptyDir 64Mi`: `fetch` writes `/out`; `logs` reads `/site`; `web` reads `/usr/share/nginx/html`');
    expect(is['proxy-config']).toBe('volume, `configMap shop-proxy`: `proxy` reads `/etc/haproxy`');
    expect(is['127.0.0.1:6379']).toBe('port of `proxy` on the pod\'s shared network namespace, a listener in `haproxy.cfg` bound to `127.0.0.1` (loopback: only the pod\'s containers reach it)');
    expect(is[':8080 http']).toBe('port of `web` on the pod\'s shared network namespace, a `containerPort`; `hostPort: 8001` on the node');
    expect(is['upstream 1']).toBe('outside the pod: `redis.cache.svc.cluster.local:6379`, `cache-1` in the configuration of `proxy`');
  });

  test('draws the pod a SharedVolumePod synthesizes: the writer runs first, nginx reads the shared volume', () => {
    // GIVEN the README's SharedVolumePod
    const { chart } = newChart();
    new SharedVolumePod(chart, 'site', {
      metadata: { name: 'site' },
      securityContext: { runAsUser: 101, runAsGroup: 101 },
      containers: [
        { name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine', mountPath: '/usr/share/nginx/html', readOnly: true, ports: [{ number: 8080, name: 'http' }], writablePaths: ['/tmp'] },
        { name: 'writer', image: 'debian:12.8-slim', mountPath: '/pod-data', runsToCompletion: true, command: ['/bin/sh'], args: ['-c', 'echo Hello > /pod-data/index.html'] },
      ],
    });
    // WHEN its synthesized pod is drawn
    const [pod] = Testing.synth(chart);
    // THEN
    expect(mermaidPodDiagram(pod)).toBe([
      ...HEADER,
      '  subgraph pod[" "]',
      '    direction TB',
      '    title["site<br/>Pod<br/>Pod Security: restricted"]:::title',
      '    subgraph init["init, in order"]',
      '      direction TB',
      '      c_writer["1: writer"]:::init',
      '    end',
      '    c_nginx["nginx"]',
      '    v_shared_data[("shared-data")]',
      '    subgraph net["network"]',
      '      port_8080_TCP([":8080 http"])',
      '    end',
      '  end',
      '  title ~~~ c_writer',
      '  title ~~~ port_8080_TCP',
      '  c_writer -->|writes| v_shared_data',
      '  v_shared_data -->|reads| c_nginx',
      '  port_8080_TCP --- c_nginx',
      ...CLASSES,
      '',
    ].join('\n'));
  });

  test('marks a shared process namespace, interactive containers, hostPath volumes on the node, and draws pod affinity between nodes', () => {
    const other = { kind: 'Deployment', metadata: { name: 'api' }, spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [] } } } };
    const debug = {
      kind: 'Deployment',
      metadata: { name: 'tools' },
      spec: {
        replicas: 1,
        template: {
          metadata: {},
          spec: {
            shareProcessNamespace: true,
            affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' }] } },
            containers: [
              { name: 'app', image: 'traefik/whoami:v1.10.3', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
              { name: 'debug', image: 'busybox:1.36.1', stdin: true, tty: true, volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }] },
            ],
            volumes: [{ name: 'data', hostPath: { path: '/srv/data' } }],
          },
        },
      },
    };
    const { mermaid, names } = renderPodDiagram(describePod(debug, [other, debug]));
    expect(mermaid).toBe([
      ...HEADER,
      '  subgraph pod[" "]',
      '    direction TB',
      '    title["tools<br/>Deployment, 1 replica"]:::title',
      '    c_app["app"]',
      '    c_debug["debug<br/>stdin, tty"]',
      '    pid{{"process namespace"}}',
      '  end',
      '  v_data[("data<br/>on the node")]:::outside',
      '  x_1("other pods"):::outside',
      '  title ~~~ c_app',
      '  title ~~~ c_debug',
      '  c_app -.- pid',
      '  c_debug -.- pid',
      '  c_app -->|writes| v_data',
      '  v_data -->|reads| c_debug',
      // from the pod's first container, not from the subgraph (which Mermaid draws as a stub)
      '  c_app -.->|"podAffinity (required)<br/>same node"| x_1',
      ...CLASSES,
      '',
    ].join('\n'));
    expect(mermaid).not.toMatch(/^\s*pod\s+-/m);
    const is = Object.fromEntries(names.map((n) => [n.box, n.is]));
    expect(is.data).toBe('volume, `hostPath /srv/data` (on the node, outside the pod): `app` writes `/data`; `debug` reads `/data`');
    expect(is['other pods']).toBe('outside the pod: the pods of Deployment api');
    expect(is.debug).toBe('container, image `busybox:1.36.1`; `stdin` and `tty` set (for `kubectl attach -it`)');
  });

  test('shows a localhost call to a port no container declares, and a Service the app calls by name', () => {
    const svc = { kind: 'Service', metadata: { name: 'db' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] } };
    const pod = {
      kind: 'Pod',
      metadata: { name: 'client' },
      spec: { containers: [{ name: 'client', image: 'alpine:3.20', env: [{ name: 'DB_URL', value: 'postgres://db:5432/app' }], args: ['--stats=http://localhost:9000/stats'] }] },
    };
    const model = describePod(pod, [pod, svc]);
    expect(model.ports).toEqual([{ port: 9000, protocol: 'TCP', declaredBy: 'nothing: no container declares it' }]);
    expect(model.calls).toEqual([{ from: 'client', port: 9000, via: 'http://localhost:9000/stats' }]);
    expect(model.endpoints).toEqual([{ kind: 'service-call', label: 'Service db', container: 'client', via: 'DB_URL=postgres://db:5432/app' }]);
    const { mermaid, names } = renderPodDiagram(model);
    expect(mermaid).toContain('      port_9000_TCP([":9000<br/>no listener"])');
    expect(mermaid).toContain('  c_client -->|"calls"| port_9000_TCP');
    expect(mermaid).toContain('  c_client -->|"DB_URL"| x_1');
    expect(names.find((n) => n.box === 'client')!.is).toBe('container, image `alpine:3.20`; calls `http://localhost:9000/stats`; calls `DB_URL=postgres://db:5432/app`');
  });

  test('escapes quotes and angle brackets in labels, and shortens long names in boxes (the table has them in full)', () => {
    const pod = { kind: 'Pod', metadata: { name: 'q"<x>' }, spec: { containers: [{ name: 'a', image: 'x:1', volumeMounts: [{ name: 'a-volume-with-a-very-long-name', mountPath: '/r', readOnly: true }] }, { name: 'b', image: 'x:1', volumeMounts: [{ name: 'a-volume-with-a-very-long-name', mountPath: '/r', readOnly: true }] }], volumes: [{ name: 'a-volume-with-a-very-long-name', emptyDir: {} }] } };
    const { mermaid, names } = renderPodDiagram(describePod(pod));
    expect(mermaid).toContain('    title["q#quot;#lt;x#gt;<br/>Pod"]:::title');
    expect(mermaid).toContain('    v_a_volume_with_a_very_long_name[("a-volume-with-a-very-lo…")]');
    expect(names.map((n) => n.box)).toContain('a-volume-with-a-very-long-name');
  });

  test('reads listeners and upstreams from HAProxy, nginx, twemproxy and Fluent Bit configuration', () => {
    expect(listenersIn('server {\n    listen 127.0.0.1:8081;\n}\n')).toEqual([{ address: '127.0.0.1', port: 8081 }]);
    expect(listenersIn('frontend f\n    bind :8080\n')).toEqual([{ port: 8080 }]);
    expect(listenersIn('pool:\n  listen: 127.0.0.1:6379\n')).toEqual([{ address: '127.0.0.1', port: 6379 }]);
    expect(upstreamsIn('    server upstream-1 api.example.com:443 check ssl verify required\n')).toEqual([{ address: 'api.example.com:443', name: 'upstream-1', tls: true }]);
    expect(upstreamsIn('  servers:\n    - 10.0.0.1:6379:1 shard-1\n    - ::1:6380:2 shard-2\n')).toEqual([
      { address: '10.0.0.1:6379', name: 'shard-1', tls: false },
      { address: '::1:6380', name: 'shard-2', tls: false },
    ]);
    expect(upstreamsIn('[OUTPUT]\n    Name forward\n    Match app.*\n    Host fluentd.logging.svc\n    Port 24224\n')).toEqual([
      { address: 'fluentd.logging.svc:24224', name: 'forward', tls: false },
    ]);
  });
});
