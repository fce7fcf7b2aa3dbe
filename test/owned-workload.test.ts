import { ApiObject, Duration, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { KubernetesVersion, PatternWorkloadKind, PodSecurityLevel, RestartPolicy, SharedVolumePod, SharedVolumePodProps, warContextPath, WarSidecarPod } from '../lib';
import { podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { container, errorOf, manifests } from './util/synth';
import { chartFor, pssViolations, schemaViolations } from './util/workloads';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const web = (extra: Record<string, unknown> = {}) => ({ name: 'web', image: NGINX, mountPath: '/usr/share/nginx/html', ports: [{ number: 8080, name: 'http' }], ...extra });

function svp(props: Partial<SharedVolumePodProps>) {
  const chart = chartFor();
  const p = new SharedVolumePod(chart, 'pod', { metadata: { name: 'site' }, containers: [web() as any], ...props });
  return { chart, p, ms: manifests(chart) };
}

describe('SharedVolumePod and WarSidecarPod as workloads', () => {
  test('GIVEN no workloadKind THEN a bare Pod, as the seed\'s', () => {
    const { ms, p } = svp({});
    expect(ms.map((m) => m.kind)).toEqual(['Pod']);
    expect(p.pod).toBeInstanceOf(kplus.Pod);
  });

  test('GIVEN workloadKind DEPLOYMENT THEN a Deployment of one pod, rolled one extra pod at a time, labelled, restricted and schema-valid', () => {
    const { ms, p } = svp({ workloadKind: PatternWorkloadKind.DEPLOYMENT });
    expect(ms.map((m) => m.kind)).toEqual(['Deployment']);
    const d = ms[0];
    expect(p.pod).toBeInstanceOf(kplus.Deployment);
    expect(d.metadata.name).toBe('site');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, type: 'RollingUpdate' });
    expect(d.metadata.labels['app.kubernetes.io/component']).toBe('shared-volume-pod');
    const template = podMetadataOf(d);
    expect(template.labels['app.kubernetes.io/name']).toBe('site');
    expect(template.labels['app.kubernetes.io/component']).toBe('shared-volume-pod');
    const spec = podSpecOf(d);
    expect(spec.securityContext).toEqual({ fsGroup: 65532, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(spec, 'web').volumeMounts).toContainEqual({ mountPath: '/usr/share/nginx/html', name: 'shared-data', readOnly: false });
    expect(spec.volumes).toContainEqual({ emptyDir: { sizeLimit: '64Mi' }, name: 'shared-data' });
    expect(d.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    expect(pssViolations(ms, PodSecurityLevel.RESTRICTED)).toEqual([]);
    expect(schemaViolations(ms, KubernetesVersion.V1_27)).toEqual([]);
    expect(schemaViolations(ms, KubernetesVersion.V1_33)).toEqual([]);
  });

  test('GIVEN workloadKind STATEFUL_SET and 3 replicas THEN a StatefulSet with its headless Service, schema-valid', () => {
    const { ms } = svp({ workloadKind: PatternWorkloadKind.STATEFUL_SET, replicas: 3 });
    expect(ms.map((m) => m.kind).sort()).toEqual(['Service', 'StatefulSet']);
    const s = ms.find((m) => m.kind === 'StatefulSet');
    const svc = ms.find((m) => m.kind === 'Service');
    expect(s.spec.replicas).toBe(3);
    expect(s.spec.serviceName).toBe(svc.metadata.name);
    expect(svc.spec.clusterIP).toBe('None');
    expect(podMetadataOf(s).labels['app.kubernetes.io/component']).toBe('shared-volume-pod');
    expect(pssViolations(ms, PodSecurityLevel.RESTRICTED)).toEqual([]);
    expect(schemaViolations(ms, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('GIVEN a WarSidecarPod as a Deployment THEN the init container and the Tomcat readiness probe are in its template', () => {
    const chart = chartFor();
    new WarSidecarPod(chart, 'war', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', workloadKind: PatternWorkloadKind.DEPLOYMENT, replicas: 2 });
    const ms = manifests(chart);
    expect(ms.map((m) => m.kind)).toEqual(['Deployment']);
    const spec = podSpecOf(ms[0]);
    expect(ms[0].spec.replicas).toBe(2);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['war']);
    expect(container(spec, 'tomcat').readinessProbe).toEqual({
      failureThreshold: 3, httpGet: { path: '/sample/', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 2,
    });
    expect(schemaViolations(ms, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('derives the war\'s context path from its file name', () => {
    expect(['/sample.war', '/opt/ROOT.war', '/apps/shop.WAR', '/x/petclinic'].map(warContextPath)).toEqual(['/sample/', '/', '/shop/', '/petclinic/']);
  });

  test('GIVEN typed probes on a SharedVolumePod container THEN they render with their ports', () => {
    const { ms } = svp({
      containers: [web({
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080, periodSeconds: Duration.seconds(5) }),
        liveness: kplus.Probe.fromTcpSocket({ port: 8080 }),
        startup: kplus.Probe.fromCommand(['cat', '/tmp/ready'], { failureThreshold: 30 }),
      }) as any],
    });
    const c = container(podSpecOf(ms[0]), 'web');
    expect(c.readinessProbe).toEqual({ failureThreshold: 3, httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 5 });
    expect(c.livenessProbe).toEqual({ failureThreshold: 3, tcpSocket: { port: 8080 } });
    expect(c.startupProbe).toEqual({ exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 });
  });

  test('GIVEN a WarSidecarPod readiness of its own THEN it replaces the default', () => {
    const chart = chartFor();
    new WarSidecarPod(chart, 'war', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', readiness: kplus.Probe.fromHttpGet('/sample/health', { port: 8080 }) });
    expect(container(podSpecOf(manifests(chart)[0]), 'tomcat').readinessProbe.httpGet.path).toBe('/sample/health');
  });

  test('why the JsonPatch escape hatch loses the port: cdk8s-plus-27 renders through the 1.27 types after the patches, which read an IntOrString, not a number', () => {
    const { chart, p } = svp({});
    ApiObject.of(p.pod).addJsonPatch(JsonPatch.add('/spec/containers/0/readinessProbe', { httpGet: { port: 8080 } }));
    expect(container(podSpecOf(Testing.synth(chart)[0]), 'web').readinessProbe).toEqual({ httpGet: {} });
    // the typed prop renders the port
    const typed = svp({ containers: [web({ readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }) }) as any] });
    expect(container(podSpecOf(typed.ms[0]), 'web').readinessProbe.httpGet.port).toBe(8080);
  });

  const P = '[test/pod] invalid props:\n  ';
  const fails = (props: Partial<SharedVolumePodProps>) => errorOf(() => svp(props));

  test('fails when the workload kind is unknown, replicas come with a Pod, or a Deployment does not restart its pods', () => {
    expect(fails({ workloadKind: 'DaemonSet' as PatternWorkloadKind })).toBe(`${P}workloadKind: received "DaemonSet"; expected one of "Pod", "Deployment", "StatefulSet"`);
    expect(fails({ replicas: 3 })).toBe(`${P}replicas: received 3; expected unset unless workloadKind is Deployment or StatefulSet (a bare Pod is one pod)`);
    expect(fails({ workloadKind: PatternWorkloadKind.DEPLOYMENT, restartPolicy: RestartPolicy.NEVER, replicas: -1 })).toBe(`${P}replicas: received -1; expected a whole number from 0 to 10000\n`
      + '  restartPolicy: received "Never"; expected "Always" (or unset): a Deployment\'s pods always restart; for pods that run to completion use workloadKind Pod or a Job');
  });

  test('fails when a StatefulSet would have no port for its headless Service', () => {
    expect(fails({ workloadKind: PatternWorkloadKind.STATEFUL_SET, containers: [web({ ports: undefined }) as any] }))
      .toBe(`${P}workloadKind: received "StatefulSet"; expected Deployment, or a container with a port: a StatefulSet gets a headless Service, which needs one`);
  });

  test('fails when a probe is not a Probe, targets an undeclared port, has successThreshold > 1 on liveness, or sits on an init container', () => {
    expect(fails({ containers: [web({ readiness: { httpGet: { port: 8080 } } }) as any] })).toBe(`${P}containers[0].readiness: received {"httpGet":{"port":8080}}; expected a cdk8s-plus Probe (27 to 33: Probe.fromHttpGet, Probe.fromTcpSocket or Probe.fromCommand)`);
    expect(fails({ containers: [web({ readiness: kplus.Probe.fromHttpGet('/', { port: 9090 }) }) as any] })).toBe(`${P}containers[0].readiness.port: received 9090; expected a port the container declares (8080)`);
    expect(fails({ containers: [web({ liveness: kplus.Probe.fromTcpSocket({ port: 8080, successThreshold: 2 }) }) as any] })).toBe(`${P}containers[0].liveness.successThreshold: received 2; expected 1 (Kubernetes requires it for liveness probes)`);
    expect(fails({ containers: [web(), { name: 'fill', image: 'busybox:1.36.1', mountPath: '/data', runsToCompletion: true, startup: kplus.Probe.fromCommand(['true']) } as any] }))
      .toBe(`${P}containers[1].startup: received "Probe"; expected unset on a runsToCompletion container: it runs as an init container, which takes no probes`);
  });

  test('GIVEN a cdk8s-plus-33 Probe WHEN it is a container\'s readiness THEN it is accepted and rendered like a cdk8s-plus-27 one', () => {
    const json = (probe: unknown) => container(podSpecOf(svp({ containers: [web({ readiness: probe }) as any] }).ms[0]), 'web').readinessProbe;
    const rendered = json(kplus33.Probe.fromHttpGet('/healthz', { port: 8080 }));
    expect(rendered.httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
    expect(rendered).toEqual(json(kplus.Probe.fromHttpGet('/healthz', { port: 8080 })));
  });

  test('fails when a WarSidecarPod probe targets another port than containerPort', () => {
    const chart = chartFor();
    expect(errorOf(() => new WarSidecarPod(chart, 'war', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', liveness: kplus.Probe.fromHttpGet('/', { port: 8443 }) })))
      .toBe('[test/war] invalid props:\n  liveness.port: received 8443; expected a port the container declares (8080)');
  });
});
