import { Testing } from 'cdk8s';
import { SharedVolumePod } from '../lib';
import { describePod, listenersIn, mermaidPodDiagram, upstreamsIn } from '../scripts/docs/diagram';
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

describe('pod diagrams', () => {
  test('draws a small pod: init order, native sidecar, who writes and reads, ports, localhost calls and the outside', () => {
    // GIVEN a pod, its proxy's ConfigMap and a Service selecting it
    // WHEN it is drawn
    const text = mermaidPodDiagram(POD, [POD, CONFIG_MAP, SERVICE]);
    // THEN the Mermaid flowchart is exactly this
    expect(text).toBe([
      'flowchart LR',
      '  subgraph pod["Pod shop · Pod Security: restricted"]',
      '    direction LR',
      '    subgraph init["init containers, started in order"]',
      '      direction TB',
      '      c_fetch["1. fetch<br/>busybox:1.36.1<br/>runs to completion first"]',
      '      c_logs["2. logs<br/>busybox:1.36.1<br/>native sidecar: restartPolicy Always, runs alongside"]',
      '    end',
      '    c_web["web<br/>nginx:1.27.5<br/>scratch /tmp"]',
      '    c_proxy["proxy<br/>haproxy:3.0.28"]',
      '    v_site[("site<br/>emptyDir 64Mi")]',
      '    v_proxy_config[("proxy-config<br/>configMap shop-proxy")]',
      '    subgraph net["shared network namespace"]',
      '      port_8080_TCP([":8080 http"])',
      '      port_9100_TCP([":9100 metrics"])',
      '      port_6379_TCP(["127.0.0.1:6379<br/>from haproxy.cfg"])',
      '    end',
      '  end',
      '  x_1{{"Service shop"}}',
      '  x_2{{"node :8001"}}',
      '  x_3{{"Prometheus"}}',
      '  x_4[/"redis.cache.svc.cluster.local:6379"/]',
      '  c_fetch -. then .-> c_logs',
      '  c_fetch -->|"writes /out"| v_site',
      '  v_site -->|"reads /site"| c_logs',
      '  v_site -->|"reads /usr/share/nginx/html"| c_web',
      '  v_proxy_config -->|"reads /etc/haproxy"| c_proxy',
      '  port_8080_TCP --- c_web',
      '  port_9100_TCP --- c_proxy',
      '  port_6379_TCP --- c_proxy',
      '  c_web -->|"CACHE_ADDR=127.0.0.1:6379"| port_6379_TCP',
      '  x_1 -->|":80 http"| port_8080_TCP',
      '  x_2 -->|"hostPort"| port_8080_TCP',
      '  x_3 -->|"scrape /metrics"| port_9100_TCP',
      '  c_proxy -->|"cache-1"| x_4',
      '',
    ].join('\n'));
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
      'flowchart LR',
      '  subgraph pod["Pod site · Pod Security: restricted"]',
      '    direction LR',
      '    subgraph init["init containers, started in order"]',
      '      direction TB',
      '      c_writer["1. writer<br/>debian:12.8-slim<br/>runs to completion first"]',
      '    end',
      '    c_nginx["nginx<br/>nginxinc/nginx-unprivileged:1.27.5-alpine<br/>scratch /tmp"]',
      '    v_shared_data[("shared-data<br/>emptyDir 64Mi")]',
      '    subgraph net["shared network namespace"]',
      '      port_8080_TCP([":8080 http"])',
      '    end',
      '  end',
      '  c_writer -->|"writes /pod-data"| v_shared_data',
      '  v_shared_data -->|"reads /usr/share/nginx/html"| c_nginx',
      '  port_8080_TCP --- c_nginx',
      '',
    ].join('\n'));
  });

  test('marks a shared process namespace, interactive containers, hostPath volumes on the node and pod affinity', () => {
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
    expect(mermaidPodDiagram(debug, [other, debug])).toBe([
      'flowchart LR',
      '  subgraph pod["Deployment tools · 1 replica · shared process namespace"]',
      '    direction LR',
      '    c_app["app<br/>traefik/whoami:v1.10.3"]',
      '    c_debug["debug<br/>busybox:1.36.1<br/>interactive: stdin, tty"]',
      '    pid{{"shared process namespace"}}',
      '  end',
      '  v_data[("data<br/>hostPath /srv/data<br/>on the node")]',
      '  x_1("pods of Deployment api")',
      '  c_app -.- pid',
      '  c_debug -.- pid',
      '  c_app -->|"writes /data"| v_data',
      '  v_data -->|"reads /data"| c_debug',
      '  pod -.->|"podAffinity (required): same node"| x_1',
      '',
    ].join('\n'));
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
    expect(mermaidPodDiagram(pod, [pod, svc])).toContain('      port_9000_TCP([":9000<br/>listener: nothing: no container declares it"])');
  });

  test('escapes quotes and angle brackets in labels', () => {
    const pod = { kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'a', image: 'x:1', volumeMounts: [{ name: 'v', mountPath: '/a"b<c>' }, { name: 'v', mountPath: '/r', readOnly: true }] }, { name: 'b', image: 'x:1', volumeMounts: [{ name: 'v', mountPath: '/r', readOnly: true }] }], volumes: [{ name: 'v', emptyDir: {} }] } };
    expect(mermaidPodDiagram(pod)).toContain('  c_a -->|"writes /a#quot;b#lt;c#gt;"| v_v');
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
