/**
 * Every helper on every kind of workload: cdk8s-plus 27, 28, 30, 32 and 33 (every kind), cdk8s
 * L1 objects and a Deployment `Include`d from YAML, with the same expectations for each (log rotation,
 * the nginx exporter's stub_status mount and the Redis primary check included); and the
 * helper data a construct exposes is exactly what is written.
 */
import { ApiObject, App, Chart, Include, JsonPatch, Size, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import * as path from 'path';
import * as k8s from '../imports/k8s';
import {
  Adapter, ContainerSpec, DebugSidecar, hardenContainer, httpAdapterConfigHashAnnotation, HttpCompatAdapter,
  KubernetesVersion, logAgentConfigHashAnnotation, LogRotation, LogShipping, LogSidecar, nginxStubStatusServerBlock,
  PodSecurityLevel, PodSecurityNamespace, ProxyAmbassador, ProxyBackend, ProxyHealthCheck, setKubernetesVersion,
  synthToMemory, UrlRule,
} from '../lib';
import { containerJson } from '../lib/_pod/inject';
import { injectPart, podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { Problems } from '../lib/_pod/rules';
import { foundInModel, podView, resolveWorkload, retireWorkload } from '../lib/_pod/workload';
import { kubernetesVersionOf, schemaVersionFor } from '../lib/_pod/version';
import { caseName, caseWorkload, container, declaredLevel, errorOf, HELPER_KIND_CASES, PLUS_MAJORS, plusMajorOfCase, pssViolations, schemaViolations, WORKLOAD_CASES, WorkloadCase } from './util/workloads';
import { share } from './util/depth';
import { contentHash } from './util/synth';

/** One helper: how it attaches, and what it must have written into the pod besides its containers. */
interface HelperCase {
  readonly name: string;
  readonly attach: (chart: Chart, workload: IConstruct, native: boolean) => readonly ContainerSpec[];
  readonly expect: (spec: any, manifest: any, all: readonly any[]) => void;
}

const HELPERS: readonly HelperCase[] = [
  {
    name: 'LogSidecar (streaming)',
    attach: (chart, workload, nativeSidecar) => new LogSidecar(chart, 'logs', { workload, nativeSidecar, logDirectory: '/var/log/app', logFiles: ['access.log'] }).sidecars,
    expect: (spec) => {
      expect(container(spec, 'app').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
      expect(spec.volumes).toContainEqual({ name: 'app-logs', emptyDir: { sizeLimit: '512Mi' } });
    },
  },
  {
    name: 'LogSidecar (agent)',
    attach: (chart, workload, nativeSidecar) => new LogSidecar(chart, 'logs', { workload, nativeSidecar, shipping: LogShipping.fluentBit(), logDirectory: '/var/log/app', logFiles: ['access.log'] }).sidecars,
    expect: (spec, _m, all) => {
      const volume = spec.volumes.find((v: any) => v.name === 'fluent-bit-config');
      expect(all.filter((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name)).toHaveLength(1);
    },
  },
  {
    // signal rotation: the rotator (the app's user) renames the file and signals nginx, which needs the shared process namespace
    name: 'LogSidecar (streaming, signal rotation)',
    attach: (chart, workload, nativeSidecar) => new LogSidecar(chart, 'logs', {
      workload, nativeSidecar, logDirectory: '/var/log/app', logFiles: ['access.log'],
      rotation: LogRotation.signal({ maxSize: Size.mebibytes(50), appUser: 101, processName: 'nginx' }),
    }).sidecars,
    expect: (spec) => {
      expect(spec.shareProcessNamespace).toBe(true);
      expect(container(spec, 'app').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
      const rotator = [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === 'log-rotate');
      expect(rotator.volumeMounts).toEqual([{ mountPath: '/var/log/app', name: 'app-logs' }]);
      expect(rotator.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, readOnlyRootFilesystem: true });
      expect(rotator.command.join(' ')).toContain('kill -USR1');
    },
  },
  {
    // copy-truncate: no shared process namespace; the agent's config hash rolls the pods
    name: 'LogSidecar (agent, copy-truncate rotation)',
    attach: (chart, workload, nativeSidecar) => new LogSidecar(chart, 'logs', {
      workload, nativeSidecar, shipping: LogShipping.fluentBit(), logDirectory: '/var/log/app', logFiles: ['access.log'],
      rotation: LogRotation.copyTruncate({ maxSize: Size.mebibytes(50), appUser: 101 }),
    }).sidecars,
    expect: (spec, manifest, all) => {
      // not shared (cdk8s-plus 30 and later write false, older majors leave it out)
      expect(spec.shareProcessNamespace ?? false).toBe(false);
      const rotator = [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === 'fluent-bit-rotate');
      expect(rotator.volumeMounts).toEqual([{ mountPath: '/var/log/app', name: 'app-logs' }]);
      const volume = spec.volumes.find((v: any) => v.name === 'fluent-bit-config');
      const configMap = all.find((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name);
      expect(podMetadataOf(manifest).annotations[logAgentConfigHashAnnotation('fluent-bit')]).toBe(contentHash(configMap.data));
    },
  },
  {
    name: 'ProxyAmbassador (HAProxy, Redis primary check)',
    attach: (chart, workload, nativeSidecar) => [new ProxyAmbassador(chart, 'proxy', {
      workload, nativeSidecar, listenPort: 6379, upstreams: ['10.0.0.5:6379', '10.0.0.6:6379'], backend: ProxyBackend.haproxy({ healthCheck: ProxyHealthCheck.REDIS_PRIMARY }),
    }).sidecar],
    expect: (spec, manifest, all) => {
      expect(container(spec, 'app').env).toEqual([{ name: 'UPSTREAM_ADDR', value: '127.0.0.1:6379' }]);
      const volume = spec.volumes.find((v: any) => v.configMap !== undefined);
      const config: string = Object.values(all.find((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name).data)[0] as string;
      expect(config).toContain('    tcp-check send info\\ replication\\r\\n\n    tcp-check expect string role:master\n');
      expect(podMetadataOf(manifest).annotations['haproxy.proxy.pod-patterns.dev/config-sha256']).toBe(contentHash({ 'haproxy.cfg': config }));
    },
  },
  {
    name: 'ProxyAmbassador (HAProxy)',
    attach: (chart, workload, nativeSidecar) => [new ProxyAmbassador(chart, 'proxy', { workload, nativeSidecar, listenPort: 9000, upstreams: ['api.example.com:443'] }).sidecar],
    expect: (spec, manifest) => {
      expect(container(spec, 'app').env).toEqual([{ name: 'UPSTREAM_ADDR', value: '127.0.0.1:9000' }]);
      expect(Object.keys(podMetadataOf(manifest).annotations)).toContain('haproxy.proxy.pod-patterns.dev/config-sha256');
    },
  },
  {
    name: 'Adapter (nginx exporter)',
    attach: (chart, workload, nativeSidecar) => [Adapter.nginxExporter(chart, 'exporter', { workload, nativeSidecar }).sidecar],
    expect: (spec, manifest, all) => {
      expect(podMetadataOf(manifest).annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9113', 'prometheus.io/path': '/metrics' });
      // the stub_status server block is mounted into the app's nginx, from a ConfigMap, its hash on the pod template
      expect(container(spec, 'app').volumeMounts).toContainEqual(
        { mountPath: '/etc/nginx/conf.d/stub-status.conf', name: 'nginx-exporter-stub-status', readOnly: true, subPath: 'stub-status.conf' });
      const volume = spec.volumes.find((v: any) => v.name === 'nginx-exporter-stub-status');
      const configMaps = all.filter((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name);
      expect(configMaps.map((m) => m.data)).toEqual([{ 'stub-status.conf': nginxStubStatusServerBlock({ port: 8081 }) }]);
      expect(podMetadataOf(manifest).annotations['nginx-exporter.adapter.pod-patterns.dev/stub-status-sha256'])
        .toBe(contentHash({ 'stub-status.conf': nginxStubStatusServerBlock({ port: 8081 }) }));
      expect(container(spec, 'nginx-exporter').volumeMounts).toBeUndefined();
    },
  },
  {
    // the matrix's app declares 8080: the adapter takes 8081 and sends the app's traffic to 127.0.0.1:9080
    name: 'HttpCompatAdapter',
    attach: (chart, workload, nativeSidecar) => [new HttpCompatAdapter(chart, 'compat', { workload, nativeSidecar, port: 8081, appPort: 9080, rules: [UrlRule.prefix('/v1', '/v2')] }).sidecar],
    expect: (spec, manifest, all) => {
      expect(container(spec, 'http-adapter').volumeMounts).toEqual([
        { mountPath: '/etc/nginx/http-adapter', name: 'http-adapter-config', readOnly: true },
        { mountPath: '/tmp', name: 'http-adapter-tmp' },
      ]);
      expect(spec.volumes).toContainEqual({ name: 'http-adapter-tmp', emptyDir: { sizeLimit: '16Mi' } });
      const volume = spec.volumes.find((v: any) => v.name === 'http-adapter-config');
      const configMaps = all.filter((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name);
      expect(configMaps).toHaveLength(1);
      const { data } = configMaps[0];
      // the SHA-256 of the ConfigMap's content as written (data and binaryData, keys sorted)
      const hash = contentHash(data);
      expect(podMetadataOf(manifest).annotations[httpAdapterConfigHashAnnotation('http-adapter')]).toBe(hash);
      // the app is not edited: it keeps its own port and gets no mount of the adapter's
      const mounts = (container(spec, 'app').volumeMounts ?? []).map((m: any) => m.name);
      expect(mounts.filter((n: string) => n.startsWith('http-adapter-'))).toEqual([]);
      expect(container(spec, 'app').ports.map((p: any) => p.containerPort)).toEqual([8080]);
    },
  },
  {
    name: 'DebugSidecar',
    attach: (chart, workload, nativeSidecar) => [new DebugSidecar(chart, 'debug', { workload, nativeSidecar }).sidecar],
    expect: (spec) => {
      expect(spec.shareProcessNamespace).toBe(true);
      expect(container(spec, 'debug')).toMatchObject({ stdin: true, tty: true });
    },
  },
];

/**
 * Every helper on every workload case. `npm test` runs a share that holds every pair (test/util/depth.ts):
 * each helper on every kind of every source that is not cdk8s-plus (L1, Include), and on every kind
 * of cdk8s-plus in one major, the majors turning with the helper and the kind, so that each helper
 * meets every major and every kind, and each kind every major; the deep run, all of it.
 */
const MATRIX = share(
  WORKLOAD_CASES.flatMap((c) => HELPERS.map((h, hi) => ({ c, h, hi }))),
  ({ c, hi }) => {
    const major = plusMajorOfCase(c);
    if (major === undefined) return true;
    const kind = HELPER_KIND_CASES.findIndex(([k]) => k === c.kind);
    return PLUS_MAJORS.indexOf(major) === (hi + kind) % PLUS_MAJORS.length;
  },
).map(({ c, h }) => [`${h.name} on a ${caseName(c)}`, c, h] as [string, WorkloadCase, HelperCase]);

/** The pod-bearing manifest of the synthesized app (our driver: every check of the synth path ran). */
function synthesized(app: App): { manifest: any; all: any[] } {
  const all = synthToMemory(app).charts.flatMap((ch) => ch.objects.map((o) => o.manifest));
  const pods = all.filter((m) => podSpecOf(m) !== undefined);
  expect(pods).toHaveLength(1);
  return { manifest: pods[0], all };
}

describe('every helper attaches to every workload, with the same result', () => {
  test.each(MATRIX)('%s', (_title, c, h) => {
    // GIVEN a workload of the case, its app container hardened, in a chart of the case's target
    const { app, chart, workload } = caseWorkload(c);
    const native = c.kind === 'Job' || c.kind === 'CronJob';
    // WHEN the helper attaches (a native sidecar where the pods run to completion)
    const exposed = h.attach(chart, workload, native);
    // THEN the chart targets the case's version, and every check of the synth path passes
    expect(kubernetesVersionOf(chart)).toBe(c.target);
    const { manifest, all } = synthesized(app);
    const spec = podSpecOf(manifest);
    // the helper's containers exactly as exposed, in the list of their kind: native sidecars
    // first among the init containers; a helper the app waits for (holdAppUntilReady) before the
    // app, every other one after it
    const list = native ? spec.initContainers : spec.containers;
    const first = native || exposed.some((s) => s.lifecycle?.postStart !== undefined);
    expect(spec.containers.map((x: any) => x.name).filter((n: string) => !exposed.some((s) => s.name === n))).toEqual(['app']);
    expect(first ? list.slice(0, exposed.length) : list.slice(-exposed.length)).toEqual(exposed.map(containerJson));
    expect(podMetadataOf(manifest).annotations['kubectl.kubernetes.io/default-container']).toBe('app');
    if (native) for (const s of exposed) expect(s.restartPolicy).toBe('Always');
    h.expect(spec, manifest, all);
    // valid for the target's own schema, restricted as declared
    expect(schemaViolations(all, schemaVersionFor(c.target))).toEqual([]);
    expect(declaredLevel(manifest)).toBe('restricted');
    expect(pssViolations([manifest], PodSecurityLevel.RESTRICTED)).toEqual([]);
  });
});

test('the matrix run holds every pair: each helper on every kind and every major, each kind on every major, every case that is not cdk8s-plus with each helper', () => {
  const pairs = (a: (c: WorkloadCase, h: HelperCase) => string) => new Set(MATRIX.map(([, c, h]) => a(c, h)));
  const plus = WORKLOAD_CASES.filter((c) => plusMajorOfCase(c) !== undefined);
  const other = WORKLOAD_CASES.filter((c) => plusMajorOfCase(c) === undefined);
  expect(pairs((c, h) => `${h.name} ${c.kind}`).size).toBe(HELPERS.length * HELPER_KIND_CASES.length);
  expect(pairs((c, h) => (plus.includes(c) ? `${h.name} ${c.source}` : '')).size).toBe(HELPERS.length * PLUS_MAJORS.length + 1);
  expect(pairs((c) => (plus.includes(c) ? `${c.kind} ${c.source}` : '')).size).toBe(plus.length + 1);
  expect(pairs((c, h) => (other.includes(c) ? `${h.name} ${caseName(c)}` : '')).size).toBe(HELPERS.length * other.length + 1);
});

describe('the helper data exposed is what is written', () => {
  test('field for field: a LogSidecar agent\'s resources, mounts and security context as L1 data, and after a tweak', () => {
    // GIVEN a cdk8s-plus-33 Deployment with a Fluent Bit agent
    const { app, chart, workload } = caseWorkload(WORKLOAD_CASES.find((c) => c.source === 'cdk8s-plus-33' && c.kind === 'Deployment')!);
    const logs = new LogSidecar(chart, 'logs', { workload, shipping: LogShipping.fluentBit(), logDirectory: '/var/log/app', logFiles: ['access.log'] });
    const agent = logs.sidecars[0];
    // THEN the exposed resources are the written ones (not cdk8s-plus's 1000m / 2048Mi defaults)
    expect(agent.resources?.requests?.cpu?.value).toBe('20m');
    expect(agent.resources?.limits?.memory?.value).toBe('128Mi');
    // WHEN the user tweaks the exposed container before synthesis
    agent.env!.push({ name: 'FLB_LOG_LEVEL', value: 'debug' });
    const written = container(podSpecOf(synthesized(app).manifest), 'fluent-bit');
    // THEN every field written is the exposed one, the tweak included
    expect(written).toEqual(containerJson(agent));
    expect(Object.keys(written).sort()).toEqual(['args', 'command', 'env', 'image', 'imagePullPolicy', 'lifecycle', 'name', 'resources', 'securityContext', 'volumeMounts']);
    // on 1.33 the agent waits out the app's drain with the kubelet's sleep action (its image has no sleep binary)
    expect(written.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(written.env).toEqual([{ name: 'FLB_LOG_LEVEL', value: 'debug' }]);
    expect(written.resources).toEqual({ limits: { memory: '128Mi' }, requests: { cpu: '20m', memory: '64Mi' } });
    expect(written.volumeMounts).toEqual(agent.volumeMounts!.map((m) => ({ ...m })));
  });
});

describe('attaching to what the user gives', () => {
  test('finds the one workload in an Include, and takes the included ApiObject itself alike', () => {
    // GIVEN two charts with the same YAML Deployment
    const viaInclude = caseWorkload({ source: 'Include', kind: 'Deployment', target: '1.27' });
    const viaObject = caseWorkload({ source: 'Include', kind: 'Deployment', target: '1.27' });
    const object = viaObject.workload.node.children.find((c) => ApiObject.isApiObject(c))!;
    // WHEN one helper is given the Include, the other the ApiObject in it
    Adapter.nginxExporter(viaInclude.chart, 'exporter', { workload: viaInclude.workload });
    Adapter.nginxExporter(viaObject.chart, 'exporter', { workload: object });
    // THEN both write the same Deployment, which keeps the user's own fields
    const a = synthesized(viaInclude.app).manifest;
    expect(synthesized(viaObject.app).manifest).toEqual(a);
    expect(a.spec.replicas).toBe(2);
    expect(podSpecOf(a).containers.map((c: any) => c.name)).toEqual(['app', 'nginx-exporter']);
  });

  test('never takes a container a helper added for the app', () => {
    // GIVEN an L1 Deployment with its app and an adapter already attached
    const { app, chart, workload } = caseWorkload({ source: 'L1', kind: 'Deployment', target: '1.27' });
    Adapter.nginxExporter(chart, 'exporter', { workload });
    // WHEN a proxy attaches without naming the app
    const proxy = new ProxyAmbassador(chart, 'proxy', { workload, listenPort: 9000, upstreams: ['api.example.com:443'] });
    // THEN the app is still the only candidate
    expect(proxy.appContainerName).toBe('app');
    expect(container(podSpecOf(synthesized(app).manifest), 'app').env).toEqual([{ name: 'UPSTREAM_ADDR', value: '127.0.0.1:9000' }]);
  });

  test('the Pod Security namespace counts a workload from YAML', () => {
    // GIVEN a chart with a namespace and an Included Deployment with a debug sidecar that adds SYS_PTRACE
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const ns = new PodSecurityNamespace(chart, 'ns');
    const workload = new Include(chart, 'web', { url: path.join(__dirname, 'fixtures', 'workloads', 'deployment.yaml') });
    hardenContainer(workload, 'app', { runAsUser: 101, runAsGroup: 101 });
    new DebugSidecar(chart, 'debug', { workload, addCapabilities: ['SYS_PTRACE'] });
    // THEN the namespace enforces what that pod needs
    expect(ns.requiredLevel()).toBe('privileged');
  });

  test('a chart of cdk8s-plus-33 workloads targets 1.33: schema, native sidecars and the namespace\'s Pod Security version', () => {
    // GIVEN a namespace created before a cdk8s-plus-33 Deployment, no version set
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const ns = new PodSecurityNamespace(chart, 'ns');
    const d = new kplus33.Deployment(chart, 'web', { containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] });
    hardenContainer(d, 'app');
    // WHEN a native sidecar is attached (it needs 1.29+, which the default 1.27 would refuse)
    new DebugSidecar(chart, 'debug', { workload: d, nativeSidecar: true });
    // THEN the chart targets 1.33 and the namespace labels say so
    expect(kubernetesVersionOf(chart)).toBe('1.33');
    const namespace = synthToMemory(app).charts[0].objects.map((o) => o.manifest).find((m) => m.kind === 'Namespace');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
    expect(ns.version).toBe('v1.33');
  });

  test('fails when a construct holds two workloads or none, or the object carries no pod', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const two = new Include(chart, 'two', { url: path.join(__dirname, 'fixtures', 'workloads', 'two-deployments.yaml') });
    const configMap = two.node.children.find((c) => ApiObject.isApiObject(c) && c.kind === 'ConfigMap')!;
    const empty = new Chart(app, 'empty');
    const expected = 'a workload: a cdk8s-plus (27 to 33) Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob, a cdk8s L1 object (KubeDeployment, ...), an ApiObject whose kind carries a pod template (e.g. from Include), or a construct holding exactly one of them';
    expect(errorOf(() => new DebugSidecar(chart, 'debug', { workload: two }))).toBe([
      '[test/debug] invalid props:',
      `  workload: received "test/two"; expected ${expected} (test/two holds 2: Deployment "web" (test/two/web-deployment), Deployment "worker" (test/two/worker-deployment); pass the one to attach to)`,
    ].join('\n'));
    expect(errorOf(() => new DebugSidecar(chart, 'debug2', { workload: empty }))).toBe(`[test/debug2] invalid props:\n  workload: received "empty"; expected ${expected} (empty holds none)`);
    expect(errorOf(() => hardenContainer(configMap, 'app'))).toBe(`[test/two/settings-configmap hardenContainer] invalid props:\n  workload: received "ConfigMap test/two/settings-configmap"; expected ${expected} (kind ConfigMap carries no pod)`);
  });

  test('fails when a cdk8s-plus-33 workload is validated against an older Kubernetes version', () => {
    // GIVEN a chart set to 1.30 with a cdk8s-plus-33 Deployment and a helper
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    setKubernetesVersion(chart, KubernetesVersion.V1_30);
    const d = new kplus33.Deployment(chart, 'web', { containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] });
    new DebugSidecar(chart, 'debug', { workload: d });
    // THEN synth names the setting, what it received and what would be valid
    const message = 'kubernetesVersion: received "1.30"; expected "1.33" or later: the workload Deployment "test-web-c8ba1bf5" (test/web) comes from cdk8s-plus-33, which writes the Kubernetes 1.33 API (call setKubernetesVersion(app or chart, KubernetesVersion.V1_33), or leave the version unset to target 1.33)';
    expect(errorOf(() => synthToMemory(app))).toContain(`[test/debug] ${message}`);
  });

  test('fails when a cdk8s-plus-33 workload without helpers is validated against an older version (the synth check)', () => {
    // GIVEN a chart set to 1.32 with a plain cdk8s-plus-33 Deployment and no helper
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    setKubernetesVersion(chart, KubernetesVersion.V1_32);
    new kplus33.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] });
    // THEN our synth names the object, the setting, what it received and what would be valid
    expect(errorOf(() => synthToMemory(app))).toContain('[test/web/Resource] kubernetesVersion: received "1.32"; expected "1.33" or later: Deployment "web" comes from cdk8s-plus-33, which writes the Kubernetes 1.33 API');
    // and a cdk8s-plus-28 Deployment is accepted there (negative control)
    const ok = Testing.app();
    const okChart = new Chart(ok, 'test');
    setKubernetesVersion(okChart, KubernetesVersion.V1_32);
    new kplus28.Deployment(okChart, 'web', { metadata: { name: 'web' }, containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] });
    expect(() => synthToMemory(ok)).not.toThrow();
  });

  test('reports a cdk8s-plus-33 StatefulSet that drops the volumes of its own pod (checks run on every library\'s rendering alike)', () => {
    // GIVEN a cdk8s-plus-33 StatefulSet whose app mounts an emptyDir (no volumeClaimTemplates), and a helper
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const service = new kplus33.Service(chart, 'headless', { clusterIP: 'None', ports: [{ port: 8080 }] });
    const s = new kplus33.StatefulSet(chart, 'db', { service, containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] });
    s.containers[0].mount('/tmp', kplus33.Volume.fromEmptyDir(chart, 'tmp', 'tmp'));
    new DebugSidecar(chart, 'debug', { workload: s });
    // THEN synth fails on the dangling mount cdk8s-plus-33 wrote
    expect(errorOf(() => synthToMemory(app))).toContain('[test/db] containers[0].volumeMounts[0].name: received "tmp"; expected the name of a volume declared in the pod (none declared)');
  });

  test('an L1 object of the user\'s own imports is typed as any construct (no cast)', () => {
    const { chart } = caseWorkload({ source: 'L1', kind: 'Deployment', target: '1.27' });
    const own = new k8s.KubeDeployment(chart, 'own', {
      spec: { selector: { matchLabels: { app: 'own' } }, template: { metadata: { labels: { app: 'own' } }, spec: { containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] } } },
    });
    expect(new DebugSidecar(chart, 'debug', { workload: own }).targetContainerName).toBe('app');
  });
});

describe('helpers read the pod as it stands when each is built (one rendering per constructor, never reused by the next)', () => {
  const image = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
  const deployment = (chart: Chart) => new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image, portNumber: 8080 }] });
  const logSidecar = (chart: Chart, workload: IConstruct, appContainerName?: string) =>
    new LogSidecar(chart, 'logs', { workload, appContainerName, logDirectory: '/var/log/app', logFiles: ['access.log'] });
  /**
   * The negative control: the object's own rendering kept from one constructor to the next (a
   * cache across constructors, which no count of parts or constructs invalidates), as a copy per read.
   */
  const keepRenderingAcrossConstructors = (w: IConstruct) => {
    const obj = ApiObject.of(w);
    const render = obj.toJson.bind(obj);
    let kept: any;
    obj.toJson = () => structuredClone(kept ??= render());
  };
  /** Counts the renderings of the object's own library from now on. */
  const countRenderings = (w: IConstruct) => {
    const obj = ApiObject.of(w);
    const render = obj.toJson.bind(obj);
    const count = { n: 0 };
    obj.toJson = () => {
      count.n++;
      return render();
    };
    return count;
  };

  test('GIVEN a container hardened WHEN the user adds a container with cdk8s-plus, then builds a LogSidecar THEN the LogSidecar sees both', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    hardenContainer(web, 'app', { runAsUser: 101, runAsGroup: 101 });
    web.addContainer({ name: 'extra', image, portNumber: 8081 });
    expect(() => logSidecar(chart, web)).toThrow('appContainer: received undefined; expected the app container (or appContainerName); the workload has several containers ("app", "extra"): name one');
    expect(logSidecar(new Chart(Testing.app(), 'again'), web, 'extra').appContainerName).toBe('extra');
  });

  /** Hardens the app, attaches a DebugSidecar (which renders the pod), then adds a container with cdk8s-plus, as a user's code may. */
  const hardenAttachThenAdd = (chart: Chart, web: kplus.Deployment) => {
    hardenContainer(web, 'app', { runAsUser: 101, runAsGroup: 101 });
    new DebugSidecar(chart, 'debug', { workload: web, targetContainerName: 'app' });
    web.addContainer({ name: 'extra', image, portNumber: 8081 });
  };

  test('GIVEN a container hardened and a helper attached WHEN the user adds a container with cdk8s-plus, then builds a LogSidecar THEN the LogSidecar sees it', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    hardenAttachThenAdd(chart, web);
    expect(() => logSidecar(chart, web)).toThrow('appContainer: received undefined; expected the app container (or appContainerName); the workload has several containers ("app", "extra"): name one');
    const logs = logSidecar(new Chart(Testing.app(), 'again'), web, 'extra');
    expect(logs.appContainerName).toBe('extra');
    expect(container(podSpecOf(ApiObject.of(web).toJson()), 'extra').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
  });

  test('negative control: GIVEN the same steps WHEN renderings are kept across constructors THEN the LogSidecar misses the added container (the test above would fail)', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    keepRenderingAcrossConstructors(web);
    hardenAttachThenAdd(chart, web);
    expect(() => logSidecar(chart, web, 'extra')).toThrow('appContainerName: received "extra"; expected the name of a container of the workload (it has "app")');
  });

  test('GIVEN a helper attached WHEN the user adds a container with cdk8s-plus and names a second helper like it THEN the clash is reported', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    logSidecar(chart, web);
    web.addContainer({ name: 'extra', image });
    expect(() => new DebugSidecar(chart, 'debug', { workload: web, name: 'extra', targetContainerName: 'app' }))
      .toThrow('name: received "extra"; expected a container name not already used in the workload');
  });

  test('GIVEN a Deployment WHEN each helper is built THEN each renders the workload once; hardenContainer of a container its cdk8s-plus model has, not at all', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    const count = countRenderings(web);
    const built: Array<[string, () => void]> = [
      ['hardenContainer', () => hardenContainer(web, 'app', { runAsUser: 101, runAsGroup: 101 })],
      ['LogSidecar', () => logSidecar(chart, web, 'app')],
      ['ProxyAmbassador', () => new ProxyAmbassador(chart, 'proxy', { workload: web, appContainerName: 'app', backend: ProxyBackend.haproxy(), listenPort: 6379, envVar: 'REDIS_ADDR', upstreams: ['redis:6379'] })],
      ['Adapter.nginxExporter', () => Adapter.nginxExporter(chart, 'exporter', { workload: web, appContainerName: 'app' })],
      ['DebugSidecar', () => new DebugSidecar(chart, 'debug', { workload: web, targetContainerName: 'app' })],
      ['HttpCompatAdapter', () => new HttpCompatAdapter(chart, 'compat', { workload: web, appContainerName: 'app', port: 8081, appPort: 9080, rules: [UrlRule.prefix('/v1', '/v2')] })],
    ];
    const renderings = built.map(([name, build]) => {
      const before = count.n;
      build();
      return [name, count.n - before];
    });
    expect(renderings).toEqual(built.map(([name]) => [name, name === 'hardenContainer' ? 0 : 1]));
  });

  test('GIVEN a JSON patch that renames the container WHEN hardenContainer names it THEN the rendered pod decides, not the cdk8s-plus model', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    ApiObject.of(web).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/name', 'renamed'));
    expect(() => hardenContainer(web, 'app')).toThrow('container: received "app"; expected the name of a container of the workload ("renamed")');
    hardenContainer(web, 'renamed', { runAsUser: 101, runAsGroup: 101 });
    expect(podSpecOf(ApiObject.of(web).toJson()).containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101 });
  });

  test.each(WORKLOAD_CASES.map((c) => [caseName(c), c] as [string, WorkloadCase]))('GIVEN a %s WHEN a container is looked up in its model THEN it is found there only if the rendered pod has it, and only for cdk8s-plus', (_name, c) => {
    const { workload } = caseWorkload(c);
    const w = resolveWorkload(new Problems(), 'workload', workload)!;
    const rendered = [...podView(w).initContainers, ...podView(w).containers].map((x: any) => x.name);
    expect(rendered).toContain('app');
    expect(foundInModel(w, 'app')).toBe(c.source.startsWith('cdk8s-plus') ? true : undefined);
    expect(foundInModel(w, 'not-in-the-pod')).toBeUndefined();
  });

  test('GIVEN a container a pattern added WHEN hardenContainer names it THEN it is refused, though the cdk8s-plus model has one of that name', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    injectPart(ApiObject.of(web), { owner: 'test/part', containers: [{ name: 'app', image }] });
    expect(() => hardenContainer(web, 'app')).toThrow('container: received "app"; expected the name of a container of the workload (none yet)');
  });

  test('GIVEN one resolution of a workload WHEN it is read twice THEN the one rendering serves both; WHEN a part is injected THEN the next view shows it', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = deployment(chart);
    const count = countRenderings(web);
    const w = resolveWorkload(new Problems(), 'workload', web)!;
    const first = podView(w);
    expect(first.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(podView(w)).toBe(first);
    expect(count.n).toBe(1);
    injectPart(w.apiObject, { owner: 'test/part', containers: [{ name: 'injected', image }] });
    const after = podView(w);
    expect(after.containers.map((c: any) => [c.name, c.image])).toEqual([['app', image], ['injected', image]]);
    expect([...after.injected]).toEqual(['injected']);
    expect(count.n).toBe(2);
    // a resolution that attached its part renders on every read (should one be kept past its constructor)
    retireWorkload(w);
    podView(w);
    podView(w);
    expect(count.n).toBe(4);
  });
});
