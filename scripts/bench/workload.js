// The benchmark's apps: N pattern pods (a mix of every pattern construct the library exports),
// and the equivalent plain cdk8s-plus-27 Pods, in one chart or one chart per pod.
'use strict';
const path = require('path');
const { createHash } = require('crypto');
const { App, Chart, Duration, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const { Construct } = require('constructs');

/**
 * The library the apps are built with: the build's (build/lib), loaded on first use, or the one
 * given to {@link useLibrary} (a unit test gives the sources, which a fresh clone has before any build).
 */
let loaded;
const lib = () => (loaded ??= require(path.join(__dirname, '..', '..', 'build', 'lib')));

/** Builds the apps with `l` (the library's exports) instead of build/lib. */
function useLibrary(l) {
  loaded = l;
}

const IMAGES = {
  nginx: 'nginxinc/nginx-unprivileged:1.27.5-alpine',
  debian: 'debian:12.8-slim',
  war: 'resouer/sample:v2',
  tomcat: 'tomcat:9.0.98-jre17',
};
const WRITER_ARGS = ['-c', 'echo Hello from the debian container > /pod-data/index.html'];

/**
 * The mix, one entry per pattern pod. `ours` builds it with the library, `plain` builds the
 * same pod with cdk8s-plus-27 alone: every object, field and value of ours that cdk8s-plus-27 can
 * express (containers, images, commands, ports, volumes, mounts, ids, resources, probes, lifecycle
 * hooks, ConfigMaps, annotations, labels); test/tools/bench-workload.test.ts compares the two, field by
 * field. The helper patterns follow in HELPER_KINDS.
 */
const KINDS = [
  {
    name: 'SharedVolumePod',
    ours(scope, id) {
      new (lib().SharedVolumePod)(scope, id, {
        securityContext: { runAsUser: 101, runAsGroup: 101 },
        containers: [
          { name: 'nginx', image: IMAGES.nginx, mountPath: '/usr/share/nginx/html', readOnly: true, ports: [{ number: 8080, name: 'http' }], writablePaths: ['/tmp'] },
          { name: 'writer', image: IMAGES.debian, mountPath: '/pod-data', command: ['/bin/sh'], args: WRITER_ARGS, runsToCompletion: true },
        ],
      });
    },
    plain(scope, id) {
      const c = new Construct(scope, id);
      const pod = new kplus.Pod(c, 'Pod', { metadata: { annotations: ANNOTATIONS }, securityContext: { user: 101, group: 101, fsGroup: 101 } });
      label(pod, pod, 'shared-volume-pod');
      const shared = kplus.Volume.fromEmptyDir(c, 'Volume', 'shared-data', { sizeLimit: Size.mebibytes(64) });
      const tmp = kplus.Volume.fromEmptyDir(c, 'Tmp', 'nginx-tmp', { sizeLimit: Size.mebibytes(128) });
      const writer = pod.addInitContainer({ name: 'writer', image: IMAGES.debian, command: ['/bin/sh'], args: WRITER_ARGS, ...common(101, RESOURCES.task) });
      writer.mount('/pod-data', shared);
      const nginx = pod.addContainer({ name: 'nginx', image: IMAGES.nginx, ports: [{ number: 8080, name: 'http' }], ...common(101, RESOURCES.webServer) });
      nginx.mount('/usr/share/nginx/html', shared, { readOnly: true });
      nginx.mount('/tmp', tmp);
    },
  },
  {
    name: 'WarSidecarPod',
    ours(scope, id) {
      new (lib().WarSidecarPod)(scope, id, { artifactImage: IMAGES.war, artifactPath: '/sample.war' });
    },
    plain(scope, id) {
      const c = new Construct(scope, id);
      const pod = new kplus.Pod(c, 'Pod', { metadata: { annotations: ANNOTATIONS }, securityContext: { user: 65532, group: 65532, fsGroup: 65532 } });
      label(pod, pod, 'war-sidecar-pod');
      const app = kplus.Volume.fromEmptyDir(c, 'Volume', 'app-volume', { sizeLimit: Size.mebibytes(256) });
      const war = pod.addInitContainer({ name: 'war', image: IMAGES.war, command: ['cp', '/sample.war', '/app'], ...common(65532, RESOURCES.task) });
      war.mount('/app', app);
      const tomcat = pod.addContainer({
        name: 'tomcat', image: IMAGES.tomcat, ports: [{ number: 8080, name: 'http' }], ...common(65532, RESOURCES.jvmServer),
        readiness: kplus.Probe.fromHttpGet('/sample/', { port: 8080, initialDelaySeconds: Duration.seconds(5), periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(2), failureThreshold: 3 }),
      });
      tomcat.mount('/usr/local/tomcat/webapps', app);
      for (const p of ['conf/Catalina', 'logs', 'temp', 'work']) {
        const seg = p.split('/').pop().toLowerCase();
        tomcat.mount(`/usr/local/tomcat/${p}`, kplus.Volume.fromEmptyDir(c, `writable-${seg}`, `tomcat-${seg}`, { sizeLimit: Size.mebibytes(128) }));
      }
      tomcat.mount('/tmp', kplus.Volume.fromEmptyDir(c, 'writable-tmp', 'tomcat-tmp', { sizeLimit: Size.mebibytes(128) }));
    },
  },
];

/** The annotation our pods carry, so plain pods carry the same bytes. */
const ANNOTATIONS = { 'pod-patterns.dev/pod-security': 'restricted' };

/**
 * Labels the object of `resource` (a cdk8s-plus-27 resource) as ours are labelled: the Kubernetes
 * recommended labels of the workload `of` (its generated name, the chart as part-of), and the
 * pattern's role as component when given.
 */
function label(resource, of, component) {
  const name = of.name;
  const labels = { ...(component ? { 'app.kubernetes.io/component': component } : {}), 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': Chart.of(of).node.id };
  for (const [k, v] of Object.entries(labels)) resource.metadata.addLabel(k, v);
}

/** Our default resources per container role (lib/_pod/security.ts DEFAULT_RESOURCES), as cdk8s-plus values. */
const RESOURCES = {
  webServer: [50, 64, 128],
  jvmServer: [250, 512, 512],
  task: [10, 16, 32],
  helper: [10, 32, 64],
};

/**
 * What cdk8s-plus-27 can express of our containers' settings: pull policy, resources, user and
 * group (it cannot drop ALL capabilities without prefixing them, nor set seccomp profiles).
 */
function common(id, [cpu, memRequest, memLimit]) {
  return {
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    resources: { cpu: { request: kplus.Cpu.millis(cpu) }, memory: { request: Size.mebibytes(memRequest), limit: Size.mebibytes(memLimit) } },
    securityContext: { user: id, group: id },
  };
}

/** The user's Deployment a helper attaches to: nginx as in the example charts. */
function userDeployment(scope, id, { hardened, env } = {}) {
  const d = new kplus.Deployment(scope, id, { replicas: 1, metadata: hardened ? undefined : { annotations: ANNOTATIONS }, securityContext: { user: 101, group: 101, fsGroup: 101 } });
  const app = d.addContainer({ name: 'app', image: IMAGES.nginx, ports: [{ number: 8080, name: 'http' }], envVariables: env, ...common(101, RESOURCES.webServer) });
  app.mount('/tmp', kplus.Volume.fromEmptyDir(scope, `${id}-tmp`, 'tmp', { sizeLimit: Size.mebibytes(64) }));
  if (hardened) lib().hardenContainer(d, 'app', { runAsUser: 101, runAsGroup: 101 });
  return { d, app };
}

/** A plain helper container: what cdk8s-plus-27 can express of ours. */
function plainHelper(d, props, id = 65532) {
  return d.addContainer({ ...props, ...common(id, RESOURCES.helper) });
}

/** What our helpers write on the workload they attach to: its labels, and the pod-template annotations (the app as kubectl's default container, config hashes, scrape hints). */
function markHelped(d, annotations) {
  for (const [k, v] of Object.entries({ 'kubectl.kubernetes.io/default-container': 'app', ...annotations })) d.podMetadata.addAnnotation(k, v);
  label(d, d);
}

/** A ConfigMap's SHA-256 as our config-hash annotations hold it (lib/_config-hash.ts): `key\0value\0` over its keys in order. */
function configHash(data) {
  const h = createHash('sha256');
  for (const k of Object.keys(data).sort()) h.update(`${k}\0${data[k]}\0`);
  return h.digest('hex');
}

/** Our helpers' stop hook: the helper outlives the app's last requests by 5 s. */
const PRE_STOP = () => kplus.Handler.fromCommand(['sleep', '5']);

const HAPROXY_CONFIG = [
  'global', '    log stdout format raw local0', '    maxconn 256', '    nbthread 1', '',
  'resolvers dns', '    parse-resolv-conf', '    resolve_retries 3', '    timeout resolve 5s', '    timeout retry 1s',
  '    hold valid 10s', '    hold nx 30s', '    hold timeout 30s', '    hold refused 30s', '    hold other 30s', '    hold obsolete 30s', '',
  'defaults', '    mode tcp', '    log global', '    option tcplog', '    option dontlognull', '    timeout connect 5000ms',
  '    timeout client 60000ms', '    timeout server 60000ms', '    retries 3', '',
  'frontend ambassador', '    bind 127.0.0.1:6379', '    default_backend upstreams', '',
  'backend upstreams', '    balance first', '    default-server inter 5s fall 3 rise 2 resolvers dns resolve-prefer ipv4 init-addr last,libc,none',
  '    server upstream-1 redis-primary.cache.svc.cluster.local:6379 check',
  '    server upstream-2 redis-standby.cache.svc.cluster.local:6379 check', '',
].join('\n');
/** The ambassador's start hook: the app starts once the proxy listens (at most 30 s). */
const HAPROXY_POST_START = ['i=0', 'while [ "$i" -lt 30 ]; do', '  (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && exit 0', '  i=$((i+1)); sleep 1', 'done',
  'echo "nothing listens on 127.0.0.1:6379 after 30 s" >&2', 'exit 1'].join('\n');
const STUB_STATUS_CONFIG = ['# nginx stub_status for the metrics adapter: loopback only, never exposed outside the pod.', 'server {', '    listen 127.0.0.1:8081;',
  '    access_log off;', '    location = /stub_status {', '        stub_status;', '        allow 127.0.0.1;', '        deny all;', '    }', '    location / {',
  '        return 404;', '    }', '}', ''].join('\n');
const REDIS_UPSTREAMS = ['redis-primary.cache.svc.cluster.local:6379', 'redis-standby.cache.svc.cluster.local:6379'];
const tail = (file) => ['sh', '-c', `trap "sleep 1; exit 0" TERM; tail -n+1 -F /var/log/nginx/${file} & wait`];

/** The helper patterns, each attached to a user's Deployment, when the library exports them. */
const HELPER_KINDS = [
  {
    name: 'LogSidecar (2 log files)',
    needs: 'LogSidecar',
    ours(scope, id) {
      const c = new Construct(scope, id);
      const { d } = userDeployment(c, 'Deployment', { hardened: true });
      new (lib().LogSidecar)(c, 'logs', { workload: d, appContainerName: 'app', logDirectory: '/var/log/nginx', logFiles: ['access.log', 'error.log'] });
    },
    plain(scope, id) {
      const c = new Construct(scope, id);
      const { d, app } = userDeployment(c, 'Deployment');
      const logs = kplus.Volume.fromEmptyDir(c, 'logs', 'app-logs', { sizeLimit: Size.mebibytes(512) });
      app.mount('/var/log/nginx', logs);
      markHelped(d, {});
      for (const f of ['access', 'error']) plainHelper(d, { name: `log-${f}`, image: 'busybox:1.36.1', command: tail(`${f}.log`), lifecycle: { preStop: PRE_STOP() } }).mount('/var/log/nginx', logs, { readOnly: true });
    },
  },
  {
    name: 'ProxyAmbassador (HAProxy)',
    needs: 'ProxyAmbassador',
    ours(scope, id) {
      const c = new Construct(scope, id);
      const { d } = userDeployment(c, 'Deployment', { hardened: true });
      new (lib().ProxyAmbassador)(c, 'proxy', { workload: d, backend: lib().ProxyBackend.haproxy({ mode: lib().HaproxyMode.TCP, balance: lib().HaproxyBalance.FIRST }), listenPort: 6379, envVar: 'REDIS_ADDR', upstreams: REDIS_UPSTREAMS });
    },
    plain(scope, id) {
      const c = new Construct(scope, id);
      const { d } = userDeployment(c, 'Deployment', { env: { REDIS_ADDR: kplus.EnvValue.fromValue('127.0.0.1:6379') } });
      const data = { 'haproxy.cfg': HAPROXY_CONFIG };
      const config = new kplus.ConfigMap(new Construct(c, 'proxy'), 'Config', { data }); // where ours has it: the same generated name
      label(config, d, 'proxy-ambassador');
      markHelped(d, { 'haproxy.proxy.pod-patterns.dev/config-sha256': configHash(data) });
      const lifecycle = { postStart: kplus.Handler.fromCommand(['bash', '-c', HAPROXY_POST_START]), preStop: PRE_STOP() };
      plainHelper(d, { name: 'haproxy', image: 'haproxy:3.0.28', command: ['haproxy'], args: ['-db', '-f', '/usr/local/etc/haproxy/haproxy.cfg'], ports: [{ number: 6379, name: 'proxy' }], lifecycle }, 99)
        .mount('/usr/local/etc/haproxy', kplus.Volume.fromConfigMap(c, 'config-volume', config, { name: 'haproxy-config' }), { readOnly: true });
    },
  },
  {
    name: 'Adapter (nginx exporter)',
    needs: 'Adapter',
    ours(scope, id) {
      const c = new Construct(scope, id);
      const { d } = userDeployment(c, 'Deployment', { hardened: true });
      lib().Adapter.nginxExporter(c, 'exporter', { workload: d, statusPort: 8081 });
    },
    plain(scope, id) {
      const c = new Construct(scope, id);
      const { d, app } = userDeployment(c, 'Deployment');
      const data = { 'stub-status.conf': STUB_STATUS_CONFIG };
      const stub = new kplus.ConfigMap(new Construct(c, 'exporter'), 'StubStatus', { data }); // where ours has it: the same generated name
      label(stub, d, 'adapter');
      app.mount('/etc/nginx/conf.d/stub-status.conf', kplus.Volume.fromConfigMap(c, 'stub-status-volume', stub, { name: 'nginx-exporter-stub-status' }), { subPath: 'stub-status.conf', readOnly: true });
      markHelped(d, { 'nginx-exporter.adapter.pod-patterns.dev/stub-status-sha256': configHash(data), 'prometheus.io/path': '/metrics', 'prometheus.io/port': '9113', 'prometheus.io/scrape': 'true' });
      plainHelper(d, { name: 'nginx-exporter', image: 'nginx/nginx-prometheus-exporter:0.11.0', args: ['-nginx.scrape-uri=http://127.0.0.1:8081/stub_status', '-nginx.retries=30', '-nginx.retry-interval=1s', '-web.listen-address=:9113', '-web.telemetry-path=/metrics'], ports: [{ number: 9113, name: 'metrics', protocol: kplus.Protocol.TCP }] });
    },
  },
  {
    name: 'DebugSidecar',
    needs: 'DebugSidecar',
    ours(scope, id) {
      const c = new Construct(scope, id);
      const { d } = userDeployment(c, 'Deployment', { hardened: true });
      new (lib().DebugSidecar)(c, 'debug', { workload: d, targetContainerName: 'app' });
    },
    plain(scope, id) {
      const c = new Construct(scope, id);
      const { d } = userDeployment(c, 'Deployment');
      markHelped(d, {});
      plainHelper(d, { name: 'debug', image: 'busybox:1.36.1', command: ['sleep', 'infinity'] });
    },
  },
];

/** The kinds the benchmark mixes, in order: the pod patterns, then the helpers the library exports. */
function available() {
  return [...KINDS, ...HELPER_KINDS.filter((k) => typeof lib()[k.needs] === 'function')];
}

/**
 * Builds an app of `n` pods. `variant` is 'ours' or 'plain'; `layout` 'one-chart' or 'chart-per-pod'.
 */
function buildApp(variant, layout, n, kinds = available()) {
  const app = new App({ outdir: process.env.BENCH_OUTDIR });
  let chart = layout === 'one-chart' ? new Chart(app, 'bench') : undefined;
  for (let i = 0; i < n; i++) {
    if (layout === 'chart-per-pod') chart = new Chart(app, `bench-${i}`);
    kinds[i % kinds.length][variant](chart, `pod-${i}`);
  }
  return app;
}

module.exports = { buildApp, available, KINDS, library: lib, useLibrary };
