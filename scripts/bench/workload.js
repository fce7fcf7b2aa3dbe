// The benchmark's apps: N pattern pods (a mix of every pattern construct the library exports),
// and the equivalent plain cdk8s-plus-27 Pods, in one chart or one chart per pod.
'use strict';
const path = require('path');
const { App, Chart, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-27');

const lib = require(path.join(__dirname, '..', '..', 'build', 'lib'));

const IMAGES = {
  nginx: 'nginxinc/nginx-unprivileged:1.27.5-alpine',
  debian: 'debian:12.8-slim',
  war: 'resouer/sample:v2',
  tomcat: 'tomcat:9.0.98-jre17',
};
const WRITER_ARGS = ['-c', 'echo Hello from the debian container > /pod-data/index.html'];

/**
 * The mix, one entry per pattern pod. `ours` builds it with the library, `plain` builds the
 * same pod (containers, images, commands, ports, volumes, mounts, ids, resources) with
 * cdk8s-plus-27 alone. Patterns that attach to a workload (LogSidecar, ProxyAmbassador, Adapter,
 * DebugSidecar) are added here when the library exports them; see `available()`.
 */
const KINDS = [
  {
    name: 'SharedVolumePod',
    ours(scope, id) {
      new lib.SharedVolumePod(scope, id, {
        securityContext: { runAsUser: 101, runAsGroup: 101 },
        containers: [
          { name: 'nginx', image: IMAGES.nginx, mountPath: '/usr/share/nginx/html', readOnly: true, ports: [{ number: 8080, name: 'http' }], writablePaths: ['/tmp'] },
          { name: 'writer', image: IMAGES.debian, mountPath: '/pod-data', command: ['/bin/sh'], args: WRITER_ARGS, runsToCompletion: true },
        ],
      });
    },
    plain(scope, id) {
      const c = new (require('constructs').Construct)(scope, id);
      const pod = new kplus.Pod(c, 'Pod', { metadata: { annotations: ANNOTATIONS }, securityContext: { user: 101, group: 101, fsGroup: 101 } });
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
      new lib.WarSidecarPod(scope, id, { artifactImage: IMAGES.war, artifactPath: '/sample.war' });
    },
    plain(scope, id) {
      const c = new (require('constructs').Construct)(scope, id);
      const pod = new kplus.Pod(c, 'Pod', { metadata: { annotations: ANNOTATIONS }, securityContext: { user: 65532, group: 65532, fsGroup: 65532 } });
      const app = kplus.Volume.fromEmptyDir(c, 'Volume', 'app-volume', { sizeLimit: Size.mebibytes(256) });
      const war = pod.addInitContainer({ name: 'war', image: IMAGES.war, command: ['cp', '/sample.war', '/app'], ...common(65532, RESOURCES.task) });
      war.mount('/app', app);
      const tomcat = pod.addContainer({ name: 'tomcat', image: IMAGES.tomcat, ports: [{ number: 8080, name: 'http' }], ...common(65532, RESOURCES.jvmServer) });
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

/** Helper patterns attached to a plain Deployment, when the library has them. */
function helperKinds() {
  const out = [];
  const deployment = (scope, id) => {
    const d = new kplus.Deployment(scope, id, { replicas: 1, securityContext: { user: 101, group: 101, fsGroup: 101 } });
    const app = d.addContainer({ name: 'app', image: IMAGES.nginx, ports: [{ number: 8080, name: 'http' }], ...common(101, RESOURCES.webServer) });
    app.mount('/tmp', kplus.Volume.fromEmptyDir(scope, `${id}-tmp`, 'tmp'));
    return { d, app };
  };
  const tryKind = (name, attach) => {
    if (typeof lib[name] !== 'function') return;
    out.push({
      name: `${name} on a Deployment`,
      ours(scope, id) {
        const c = new (require('constructs').Construct)(scope, id);
        const { d, app } = deployment(c, 'Deployment');
        attach(c, d, app);
      },
      // the plain equivalent is the Deployment with one more container of the same shape
      plain(scope, id) {
        const c = new (require('constructs').Construct)(scope, id);
        const { d } = deployment(c, 'Deployment');
        d.addContainer({ name: 'helper', image: IMAGES.debian, ...common(65532, RESOURCES.helper) });
      },
    });
  };
  // The props each helper needs are read from its own docs when it lands; a helper whose props
  // do not fit is reported by `available()` and left out rather than guessed.
  const attachers = require('./helpers');
  for (const [name, attach] of Object.entries(attachers)) tryKind(name, attach);
  return out;
}

/** The kinds the benchmark mixes, in order. */
function available() {
  return [...KINDS, ...helperKinds()];
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

module.exports = { buildApp, available, KINDS };
