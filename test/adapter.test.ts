import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Adapter, AdapterProps, Hardening, KubernetesVersion, nginxExporterArgs, nginxStubStatusServerBlock, PodSecurityLevel,
  redisExporterArgs, SharedVolumePod,
} from '../lib';
import { checkPodSecurity } from '../lib/_pod/pss';
import { containerJson } from '../lib/_pod/inject';
import { patternPart, podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { validateManifest } from '../lib/synth/schema';
import { container, contentHash, errorOf, manifests, only } from './util/synth';
import { chartFor, HELPER_KIND_CASES, newWorkload, restrictedContext, WorkloadKind } from './util/workloads';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const REDIS = 'redis:7.2.5';
const EXPORTER_ARGS = [
  '-nginx.scrape-uri=http://127.0.0.1:8081/stub_status',
  '-nginx.retries=30',
  '-nginx.retry-interval=1s',
  '-web.listen-address=:9113',
  '-web.telemetry-path=/metrics',
];
const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';
const ANNOTATIONS = { 'prometheus.io/path': '/metrics', 'prometheus.io/port': '9113', 'prometheus.io/scrape': 'true' };
/** The hash annotation of the default stub_status server block the preset mounts (port 8081, /stub_status). */
/** The hash of the stub_status ConfigMap's content (configDataHash: keys sorted, `key NUL value NUL`). */
const stubHash = (serverBlock: string) => contentHash({ 'stub-status.conf': serverBlock });
const STUB_HASH = { 'nginx-exporter.adapter.pod-patterns.dev/stub-status-sha256': stubHash(nginxStubStatusServerBlock({ port: 8081 })) };

/** The user's app container: nginx on 8080 (or another port). */
function app(port = 8080): kplus.ContainerProps {
  return { name: 'app', image: NGINX, ports: [{ number: port, name: 'http' }] };
}

type Kind = WorkloadKind;

/** A user-style workload of each kind, with one app container. */
function workload(chart: Chart, kind: Kind, appPort = 8080): kplus.AbstractPod {
  return newWorkload(chart, kind, 'web', [app(appPort)]);
}

function deploymentWithService(chart: Chart, servicePorts: kplus.ServicePort[] = [{ name: 'http', port: 80, targetPort: 8080 }]) {
  const deployment = workload(chart, 'Deployment') as kplus.Deployment;
  const service = new kplus.Service(chart, 'svc', { selector: deployment, ports: servicePorts });
  return { deployment, service };
}

function generic(w: kplus.AbstractPod, overrides: Partial<AdapterProps> = {}): AdapterProps {
  return { workload: w, image: 'example.com/json-exporter:v0.6.0', port: 7979, args: ['--config.file=/config/config.yml'], ...overrides };
}

describe('Adapter', () => {
  describe.each(HELPER_KIND_CASES)('on a %s', (kind, version) => {
    // Jobs and CronJobs complete only with a native sidecar (Kubernetes 1.29+).
    const native = version !== undefined;

    test('adds the NGINX exporter with its args, the named metrics port and restricted security', () => {
      // GIVEN a user's workload with nginx on 8080
      const chart = chartFor(version);
      const w = workload(chart, kind);
      // WHEN the nginx exporter preset is attached
      Adapter.nginxExporter(chart, 'exporter', { workload: w, nativeSidecar: native || undefined });
      // THEN the pod has the exporter next to the app
      const m = only(chart, kind);
      const spec = podSpecOf(m);
      const exporter = container(spec, 'nginx-exporter');
      expect(exporter.image).toBe('nginx/nginx-prometheus-exporter:0.11.0');
      expect(exporter.args).toEqual(EXPORTER_ARGS);
      expect(exporter.ports).toEqual([{ containerPort: 9113, name: 'metrics', protocol: 'TCP' }]);
      expect(exporter.securityContext).toEqual(restrictedContext());
      expect(exporter.resources).toEqual({ limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
      if (native) {
        expect(spec.initContainers.map((c: any) => c.name)).toEqual(['nginx-exporter']);
        expect(exporter.restartPolicy).toBe('Always');
        expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
      } else {
        expect(spec.initContainers).toBeUndefined();
        expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'nginx-exporter']);
      }
    });

    test('annotates the pod template (not the workload object) for Prometheus', () => {
      const chart = chartFor(version);
      const w = workload(chart, kind);
      Adapter.nginxExporter(chart, 'exporter', { workload: w, nativeSidecar: native || undefined });
      const m = only(chart, kind);
      // the user's plain cdk8s-plus app container (no seccomp, no drop ALL) needs baseline, so the
      // whole pod declares baseline although the exporter itself is restricted
      if (kind === 'Pod') {
        // a Pod's own metadata is its pod metadata
        expect(m.metadata.annotations).toEqual({ ...ANNOTATIONS, ...STUB_HASH, [DEFAULT_CONTAINER]: 'app', 'pod-patterns.dev/pod-security': 'baseline' });
      } else {
        // kubectl logs and exec pick the app, not the exporter
        expect(podMetadataOf(m).annotations).toEqual({ ...ANNOTATIONS, ...STUB_HASH, [DEFAULT_CONTAINER]: 'app' });
        expect(m.metadata.annotations).toEqual({ 'pod-patterns.dev/pod-security': 'baseline' });
      }
    });

    test('renders a manifest valid for its target Kubernetes version', () => {
      const chart = chartFor(version);
      const w = workload(chart, kind);
      Adapter.nginxExporter(chart, 'exporter', { workload: w, nativeSidecar: native || undefined });
      for (const m of manifests(chart)) expect(validateManifest(m, native ? KubernetesVersion.V1_29 : KubernetesVersion.V1_27)).toEqual([]);
    });
  });

  test('adds the metrics port to the workload\'s Service, named, targeting the exporter\'s port', () => {
    // GIVEN a Deployment exposed by a Service with a named port
    const chart = chartFor();
    const { deployment, service } = deploymentWithService(chart);
    // WHEN
    const adapter = Adapter.nginxExporter(chart, 'exporter', { workload: deployment, service });
    // THEN
    expect(only(chart, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'metrics', port: 9113, protocol: 'TCP', targetPort: 9113 },
    ]);
    expect(adapter.servicePort).toBe(9113);
  });

  test('puts the adapter on another Service port number when servicePort is given', () => {
    const chart = chartFor();
    const { deployment, service } = deploymentWithService(chart);
    Adapter.nginxExporter(chart, 'exporter', { workload: deployment, service, servicePort: 9100 });
    expect(only(chart, 'Service').spec.ports[1]).toEqual({ name: 'metrics', port: 9100, protocol: 'TCP', targetPort: 9113 });
  });

  test('leaves the Service alone and leaves servicePort unset without a service', () => {
    const chart = chartFor();
    const { deployment } = deploymentWithService(chart);
    const adapter = Adapter.nginxExporter(chart, 'exporter', { workload: deployment });
    expect(only(chart, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
    expect(adapter.servicePort).toBeUndefined();
  });

  test('exposes the sidecar, port, port name, path and annotations', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    const adapter = Adapter.nginxExporter(chart, 'exporter', { workload: w });
    expect(containerJson(adapter.sidecar)).toEqual(container(podSpecOf(only(chart, 'Deployment')), 'nginx-exporter'));
    expect(adapter.sidecar.name).toBe('nginx-exporter');
    expect(adapter.port).toBe(9113);
    expect(adapter.portName).toBe('metrics');
    expect(adapter.path).toBe('/metrics');
    expect(adapter.annotations).toEqual(ANNOTATIONS);
  });

  test('passes a custom status port, status path, exporter port, metrics path and retries into the exporter args', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    Adapter.nginxExporter(chart, 'exporter', { workload: w, statusPort: 8099, statusPath: '/nginx_status', port: 9200, path: '/prom', connectRetries: 5 });
    const m = only(chart, 'Deployment');
    expect(container(podSpecOf(m), 'nginx-exporter').args).toEqual([
      '-nginx.scrape-uri=http://127.0.0.1:8099/nginx_status',
      '-nginx.retries=5',
      '-nginx.retry-interval=1s',
      '-web.listen-address=:9200',
      '-web.telemetry-path=/prom',
    ]);
    expect(podMetadataOf(m).annotations).toEqual({
      [DEFAULT_CONTAINER]: 'app', 'prometheus.io/path': '/prom', 'prometheus.io/port': '9200', 'prometheus.io/scrape': 'true',
      'nginx-exporter.adapter.pod-patterns.dev/stub-status-sha256': stubHash(nginxStubStatusServerBlock({ port: 8099, path: '/nginx_status' })),
    });
  });

  test('generates the stub_status server block on loopback only', () => {
    expect(nginxStubStatusServerBlock({ port: 8081 })).toBe([
      '# nginx stub_status for the metrics adapter: loopback only, never exposed outside the pod.',
      'server {',
      '    listen 127.0.0.1:8081;',
      '    access_log off;',
      '    location = /stub_status {',
      '        stub_status;',
      '        allow 127.0.0.1;',
      '        deny all;',
      '    }',
      '    location / {',
      '        return 404;',
      '    }',
      '}',
      '',
    ].join('\n'));
    expect(nginxStubStatusServerBlock({ port: 9000, path: '/status' })).toContain('    listen 127.0.0.1:9000;\n    access_log off;\n    location = /status {\n');
  });

  test('generates the exporter command lines', () => {
    expect(nginxExporterArgs({ statusPort: 8081 })).toEqual(EXPORTER_ARGS);
    expect(redisExporterArgs()).toEqual(['--redis.addr=redis://localhost:6379', '--web.listen-address=:9121', '--web.telemetry-path=/metrics']);
  });

  test('adds the Redis exporter preset for a Redis on localhost', () => {
    // GIVEN a Redis StatefulSet
    const chart = chartFor();
    const redis = new kplus.StatefulSet(chart, 'redis', { containers: [{ name: 'redis', image: REDIS, ports: [{ number: 6379, name: 'redis' }] }] });
    // WHEN
    const adapter = Adapter.redisExporter(chart, 'exporter', { workload: redis });
    // THEN
    const m = only(chart, 'StatefulSet');
    const exporter = container(podSpecOf(m), 'redis-exporter');
    expect(exporter.image).toBe('oliver006/redis_exporter:v1.45.0');
    expect(exporter.args).toEqual(['--redis.addr=redis://localhost:6379', '--web.listen-address=:9121', '--web.telemetry-path=/metrics']);
    expect(exporter.ports).toEqual([{ containerPort: 9121, name: 'metrics', protocol: 'TCP' }]);
    expect(podMetadataOf(m).annotations).toEqual({ [DEFAULT_CONTAINER]: 'redis', 'prometheus.io/path': '/metrics', 'prometheus.io/port': '9121', 'prometheus.io/scrape': 'true' });
    expect(adapter.port).toBe(9121);
  });

  test('adds any adapter: image, command, args, env, port, port name and path', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    new Adapter(chart, 'adapter', generic(w, {
      name: 'json-exporter', command: ['/bin/json_exporter'], env: { LOG_LEVEL: 'info' }, portName: 'json-metrics', path: '/probe',
    }));
    const m = only(chart, 'Deployment');
    expect(container(podSpecOf(m), 'json-exporter')).toEqual({
      args: ['--config.file=/config/config.yml'],
      command: ['/bin/json_exporter'],
      env: [{ name: 'LOG_LEVEL', value: 'info' }],
      image: 'example.com/json-exporter:v0.6.0',
      imagePullPolicy: 'IfNotPresent',
      name: 'json-exporter',
      ports: [{ containerPort: 7979, name: 'json-metrics', protocol: 'TCP' }],
      resources: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } },
      securityContext: restrictedContext(),
    });
    expect(podMetadataOf(m).annotations).toEqual({ [DEFAULT_CONTAINER]: 'app', 'prometheus.io/path': '/probe', 'prometheus.io/port': '7979', 'prometheus.io/scrape': 'true' });
  });

  test('leaves the pod template unannotated when prometheusAnnotations is false', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    const adapter = new Adapter(chart, 'adapter', generic(w, { prometheusAnnotations: false }));
    expect(podMetadataOf(only(chart, 'Deployment')).annotations).toEqual({ [DEFAULT_CONTAINER]: 'app' });
    expect(adapter.annotations).toEqual({});
  });

  test('mounts a file the app writes when the user mounts a shared volume on the sidecar', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    const adapter = new Adapter(chart, 'adapter', generic(w));
    w.addVolume(kplus.Volume.fromEmptyDir(chart, 'shared', 'shared'));
    adapter.sidecar.volumeMounts!.push({ mountPath: '/var/lib/app', name: 'shared', readOnly: true });
    expect(container(podSpecOf(only(chart, 'Deployment')), 'adapter').volumeMounts).toEqual([{ mountPath: '/var/lib/app', name: 'shared', readOnly: true }]);
  });

  describe('as a native sidecar', () => {
    test.each([KubernetesVersion.V1_29, KubernetesVersion.V1_33] as const)('is an init container with restartPolicy Always and a TCP startup probe on its port, valid on %s', (version) => {
      // GIVEN a chart targeting a version with native sidecars
      const chart = chartFor(version);
      const w = workload(chart, 'Deployment');
      // WHEN
      new Adapter(chart, 'adapter', generic(w, { nativeSidecar: true }));
      // THEN
      const m = only(chart, 'Deployment');
      const spec = podSpecOf(m);
      expect(spec.initContainers.map((c: any) => c.name)).toEqual(['adapter']);
      const sidecar = container(spec, 'adapter');
      expect(sidecar.restartPolicy).toBe('Always');
      expect(sidecar.startupProbe).toEqual({ failureThreshold: 30, periodSeconds: 1, tcpSocket: { port: 7979 } });
      expect(validateManifest(m, version)).toEqual([]);
      // and the 1.27 schema rejects it: the native-sidecar fields are really emitted
      expect(validateManifest(m, KubernetesVersion.V1_27).map((v) => v.path)).toEqual(expect.arrayContaining([expect.stringMatching(/initContainers\/0\/restartPolicy$/)]));
    });

    test('gives the Redis exporter a startup probe: it listens before Redis answers', () => {
      const chart = chartFor(KubernetesVersion.V1_29);
      const redis = new kplus.StatefulSet(chart, 'redis', { containers: [{ name: 'redis', image: REDIS, ports: [{ number: 6379, name: 'redis' }] }] });
      Adapter.redisExporter(chart, 'exporter', { workload: redis, nativeSidecar: true });
      expect(container(podSpecOf(only(chart, 'StatefulSet')), 'redis-exporter').startupProbe).toEqual({ failureThreshold: 30, periodSeconds: 1, tcpSocket: { port: 9121 } });
    });

    test('gives the NGINX exporter no startup probe: it only listens once nginx answers, and nginx would wait for it', () => {
      const chart = chartFor(KubernetesVersion.V1_29);
      const w = workload(chart, 'Deployment');
      Adapter.nginxExporter(chart, 'exporter', { workload: w, nativeSidecar: true });
      const exporter = container(podSpecOf(only(chart, 'Deployment')), 'nginx-exporter');
      expect(exporter.restartPolicy).toBe('Always');
      expect(exporter.startupProbe).toBeUndefined();
    });

    test('omits the startup probe when startupProbe is false', () => {
      const chart = chartFor(KubernetesVersion.V1_29);
      const w = workload(chart, 'Deployment');
      new Adapter(chart, 'adapter', generic(w, { nativeSidecar: true, startupProbe: false }));
      expect(container(podSpecOf(only(chart, 'Deployment')), 'adapter').startupProbe).toBeUndefined();
    });
  });

  test('passes the restricted Pod Security profile with its defaults, on a restricted pod', () => {
    // GIVEN an app pod hardened by SharedVolumePod
    const chart = chartFor();
    const svp = new SharedVolumePod(chart, 'web', {
      containers: [{ name: 'nginx', image: NGINX, mountPath: '/usr/share/nginx/html', ports: [{ number: 8080, name: 'http' }], writablePaths: ['/tmp'] }],
    });
    // WHEN the exporter is attached with its defaults
    Adapter.nginxExporter(chart, 'exporter', { workload: svp.pod });
    // THEN the whole pod passes restricted and declares it
    const m = only(chart, 'Pod');
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, { metadata: m.metadata, spec: m.spec })).toEqual([]);
    expect(m.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('declares the baseline profile when hardening is NONE', () => {
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    Adapter.nginxExporter(chart, 'exporter', { workload: w, hardening: Hardening.NONE });
    const m = only(chart, 'Deployment');
    expect(m.metadata.annotations['pod-patterns.dev/pod-security']).toBe('baseline');
    expect(container(podSpecOf(m), 'nginx-exporter').securityContext).toBeUndefined();
  });

  test('fails at synth when the app already binds the exporter\'s port, with the pod-wide message', () => {
    // GIVEN an app listening on 9113
    const chart = chartFor();
    const w = workload(chart, 'Deployment', 9113);
    // WHEN the exporter (9113) is attached
    Adapter.nginxExporter(chart, 'exporter', { workload: w });
    // THEN
    expect(() => Testing.synth(chart)).toThrow(
      'Validation failed with the following errors:\n'
      + '  [test/web] containers[1].ports[0].containerPort: received 9113; expected a port not already bound by container "app" (TCP); containers of a pod share one network namespace',
    );
  });

  test('renders the same bytes when synthesized twice', () => {
    const chart = chartFor();
    const { deployment, service } = deploymentWithService(chart);
    Adapter.nginxExporter(chart, 'exporter', { workload: deployment, service });
    const first = JSON.stringify(Testing.synth(chart));
    expect(JSON.stringify(Testing.synth(chart))).toBe(first);
  });

  describe('fails when', () => {
    const path = (chart: Chart) => `[${chart.node.path}/exporter] invalid props:\n  `;

    test('fails when the port name is longer than 15 characters', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, portName: 'prometheus-metrics' })).toThrow(
        `${path(chart)}portName: received "prometheus-metrics"; expected an IANA service name: 1-15 lowercase letters, digits or "-", with at least one letter, no "--", not starting or ending with "-"`,
      );
    });

    test('fails when the port is 0', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, port: 0 })).toThrow(
        `${path(chart)}port: received 0; expected an integer port number from 1 to 65535`,
      );
    });

    test('fails when the path does not start with "/"', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => new Adapter(chart, 'exporter', generic(w, { path: 'metrics' }))).toThrow(
        `${path(chart)}path: received "metrics"; expected an HTTP path starting with "/", made of letters, digits and "-._~/%:@!&*+,=" (no spaces, query, fragment, quotes, "$" or ";"), e.g. "/metrics"`,
      );
    });

    test('fails when the status path would break the nginx config', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, statusPath: '/status; deny all' })).toThrow(
        `${path(chart)}statusPath: received "/status; deny all"; expected an HTTP path starting with "/", made of letters, digits and "-._~/%:@!&*+,=" (no spaces, query, fragment, quotes, "$" or ";"), e.g. "/metrics"`,
      );
    });

    test('fails when the image is not pinned', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => new Adapter(chart, 'exporter', generic(w, { image: 'nginx/nginx-prometheus-exporter' }))).toThrow(
        `${path(chart)}image: received "nginx/nginx-prometheus-exporter"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")`,
      );
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, image: 'nginx/nginx-prometheus-exporter:latest' })).toThrow(
        `${path(chart)}image: received "nginx/nginx-prometheus-exporter:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")`,
      );
    });

    test('fails when nativeSidecar is set and the target is Kubernetes 1.27', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, nativeSidecar: true })).toThrow(
        `${path(chart)}nativeSidecar: received true; expected false, or a target Kubernetes version of 1.29 or later (the target is 1.27; native sidecars are alpha and off by default in 1.28 and absent before): call setKubernetesVersion(app or chart, KubernetesVersion.V1_29) before adding charts`,
      );
    });

    test.each<Kind>(['Job', 'CronJob'])('fails when a %s gets a regular sidecar (its pods would never complete)', (kind) => {
      const chart = chartFor();
      const w = workload(chart, kind);
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w })).toThrow(
        `${path(chart)}nativeSidecar: received false; expected true when the workload runs to completion (a Job, a CronJob or a Pod whose restartPolicy is not Always): a regular sidecar keeps running after the app exits, so the pod never completes; native sidecars need a target Kubernetes version of 1.29 or later (the target is 1.27)`,
      );
    });

    test('fails when a Pod with restartPolicy Never gets a regular sidecar', () => {
      const chart = chartFor(KubernetesVersion.V1_29);
      const pod = new kplus.Pod(chart, 'web', { containers: [app()], restartPolicy: kplus.RestartPolicy.NEVER });
      expect(() => new Adapter(chart, 'exporter', generic(pod))).toThrow(
        `${path(chart)}nativeSidecar: received false; expected true when the workload runs to completion (a Job, a CronJob or a Pod whose restartPolicy is not Always): a regular sidecar keeps running after the app exits, so the pod never completes; native sidecars need a target Kubernetes version of 1.29 or later (the target is 1.29)`,
      );
    });

    test('fails when the Service has an unnamed port', () => {
      const chart = chartFor();
      const { deployment, service } = deploymentWithService(chart, [{ port: 80, targetPort: 8080 }]);
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: deployment, service })).toThrow(
        `${path(chart)}service: received "test/svc"; expected a Service whose ports all have names (port 80 has none): Kubernetes requires a name on every port of a multi-port Service`,
      );
    });

    test('fails when the Service already has a port of that name or number', () => {
      const chart = chartFor();
      const { deployment, service } = deploymentWithService(chart, [{ name: 'metrics', port: 9113, targetPort: 8080 }]);
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: deployment, service })).toThrow(
        `${path(chart)}portName: received "metrics"; expected a name not used by another port of the Service (port 9113 has it)\n`
        + '  port: received 9113; expected a port number the Service does not already use (its port "metrics" has it); set servicePort',
      );
    });

    test('fails when servicePort is given without a service', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, servicePort: 9100 })).toThrow(
        `${path(chart)}servicePort: received 9100; expected unset unless service is set`,
      );
    });

    test('fails when another adapter already announced another port to Prometheus', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      Adapter.nginxExporter(chart, 'first', { workload: w });
      expect(() => new Adapter(chart, 'exporter', generic(w))).toThrow(
        `${path(chart)}prometheusAnnotations: received true; expected false when the pod template already has prometheus.io/port: "9113" (another adapter or the user set it; the annotation convention scrapes one port per pod)`,
      );
    });

    test('fails when the container name is taken in the workload', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => new Adapter(chart, 'exporter', generic(w, { name: 'app' }))).toThrow(
        `${path(chart)}name: received "app"; expected a container name not used by another container of the workload`,
      );
    });

    test('fails when the stub_status port is the exporter\'s or one a container declares', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, statusPort: 9113 })).toThrow(
        `${path(chart)}statusPort: received 9113; expected a port other than the exporter's (9113)`,
      );
      expect(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, statusPort: 8080 })).toThrow(
        `${path(chart)}statusPort: received 8080; expected a port no container of the workload declares (container "app" does): the stub_status server listens on its own loopback port`,
      );
    });

    test('fails when the workload is not a workload (names what is accepted)', () => {
      const chart = chartFor();
      expect(() => new Adapter(chart, 'exporter', generic(undefined as any))).toThrow(
        `${path(chart)}workload: received undefined; expected a workload: a cdk8s-plus (27 to 33) Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob, a cdk8s L1 object (KubeDeployment, ...), an ApiObject whose kind carries a pod template (e.g. from Include), or a construct holding exactly one of them`,
      );
    });

    test('fails when the app container it is given is not in the workload (shared helper props)', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => new Adapter(chart, 'exporter', generic(w, { appContainerName: 'nope' }))).toThrow(
        `${path(chart)}appContainerName: received "nope"; expected the name of a container of the workload (it has "app")`,
      );
      expect(new Adapter(chart, 'exporter2', generic(w, { appContainerName: 'app', name: 'adapter-2', port: 9200 })).port).toBe(9200);
    });

    test('fails with every problem at once', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      expect(() => new Adapter(chart, 'exporter', generic(w, { image: 'json-exporter', port: 70000, portName: 'Metrics', env: { '1BAD': 'x' } }))).toThrow(
        `${path(chart)}image: received "json-exporter"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")\n`
        + '  env: received "1BAD"; expected a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit\n'
        + '  port: received 70000; expected an integer port number from 1 to 65535\n'
        + '  portName: received "Metrics"; expected an IANA service name: 1-15 lowercase letters, digits or "-", with at least one letter, no "--", not starting or ending with "-"',
      );
    });

    test('does not add anything when the props are invalid', () => {
      const chart = chartFor();
      const w = workload(chart, 'Deployment');
      errorOf(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, port: 0 }));
      expect(w.containers.map((c) => c.name)).toEqual(['app']);
      expect(chart.node.tryFindChild('exporter')).toBeUndefined();
    });
  });
});

describe('Pod Security declaration next to the user\'s own containers', () => {
  test('declares what the whole pod needs: restricted helper + unhardened app = baseline, and the pod passes it', () => {
    // GIVEN a plain cdk8s-plus Deployment (its container has no seccomp profile and drops no capabilities)
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    // WHEN a restricted helper is attached
    Adapter.nginxExporter(chart, 'exporter', { workload: w });
    // THEN the workload declares baseline, which the pod passes, and the exporter alone passes restricted
    const m = only(chart, 'Deployment');
    expect(m.metadata.annotations['pod-patterns.dev/pod-security']).toBe('baseline');
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, { metadata: podMetadataOf(m), spec: podSpecOf(m) })).toEqual([]);
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, patternPart(m, ['nginx-exporter']))).toEqual([]);
  });

  test('fails when the helper\'s own container does not pass the profile it declares', () => {
    // GIVEN a helper whose container is made to run as root by a tweak of its exposed container spec
    const chart = chartFor();
    const w = workload(chart, 'Deployment');
    const exporter = Adapter.nginxExporter(chart, 'exporter', { workload: w });
    Object.assign(exporter.sidecar.securityContext!, { runAsUser: 0 });
    // THEN synth names the helper and the failed check
    expect(errorOf(() => manifests(chart))).toBe('Validation failed with the following errors:\n  [test/exporter] container "nginx-exporter" does not pass the Pod Security profile "restricted" it declares: runAsUser: container "nginx-exporter" must not set securityContext.runAsUser=0');
  });
});
