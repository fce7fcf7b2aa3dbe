/**
 * The pod view helpers check their props against (lib/_pod/workload.ts podView): made from the
 * cdk8s-plus model where that tells what the object renders, and from the rendering otherwise.
 * Every view below is compared, field by field, with the one the object's rendering gives.
 */
import { ApiObject, App, Chart, Cron, Duration, IResolver, JsonPatch, ResolutionContext, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus30 from 'cdk8s-plus-30';
import * as kplus32 from 'cdk8s-plus-32';
import * as kplus33 from 'cdk8s-plus-33';
import { DebugSidecar, hardenContainer, KubernetesVersion, LogSidecar, ProxyAmbassador, ProxyBackend, setKubernetesVersion, synthToMemory } from '../lib';
import { currentManifest, podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { Problems } from '../lib/_pod/rules';
import { podView, PodView, resolveWorkload, Workload } from '../lib/_pod/workload';

const IMAGE = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const MAJORS: ReadonlyArray<[number, any]> = [[27, kplus], [28, kplus28], [30, kplus30], [32, kplus32], [33, kplus33]];
const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
type Kind = typeof KINDS[number];

/** The fields of a view, as plain data. */
function fields(v: PodView) {
  return { containers: v.containers, initContainers: v.initContainers, volumes: v.volumes, annotations: v.annotations, restartPolicy: v.restartPolicy, injected: [...v.injected] };
}

/** The view the object's rendering gives (what podView gave before it read the model). */
function renderedView(w: Workload) {
  const manifest = currentManifest(w.apiObject);
  const spec = podSpecOf(manifest) ?? {};
  return {
    containers: spec.containers ?? [],
    initContainers: spec.initContainers ?? [],
    volumes: spec.volumes ?? [],
    annotations: podMetadataOf(manifest)?.annotations ?? {},
    restartPolicy: spec.restartPolicy,
    injected: [...podView(w).injected],
  };
}

/** A workload of a cdk8s-plus major with much of what a pod can hold: ports, env, probes, hooks, volumes of several kinds, an init container, annotations. */
function richWorkload(P: any, chart: Chart, kind: Kind): any {
  const app = {
    name: 'app',
    image: IMAGE,
    ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'admin', protocol: P.Protocol.UDP }],
    envVariables: { PLAIN: P.EnvValue.fromValue('x'), FROM_FIELD: P.EnvValue.fromFieldRef(P.EnvFieldPaths.POD_NAME) },
    readiness: P.Probe.fromHttpGet('/healthz', { port: 8080, periodSeconds: Duration.seconds(5) }),
    liveness: P.Probe.fromTcpSocket({ port: 8080 }),
    startup: P.Probe.fromCommand(['true']),
    lifecycle: { preStop: P.Handler.fromCommand(['sleep', '7']) },
    resources: { cpu: { request: P.Cpu.millis(50), limit: P.Cpu.millis(500) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
    securityContext: { user: 101, group: 101, ensureNonRoot: true },
  };
  const props = { containers: [app], initContainers: [{ name: 'init', image: IMAGE, command: ['true'] }] };
  let w: any;
  switch (kind) {
    case 'Pod': w = new P.Pod(chart, 'w', { ...props, restartPolicy: P.RestartPolicy.ON_FAILURE }); break;
    case 'Deployment': w = new P.Deployment(chart, 'w', props); break;
    case 'StatefulSet': w = new P.StatefulSet(chart, 'w', { ...props, service: new P.Service(chart, 'headless', { clusterIP: 'None', ports: [{ port: 8080 }] }) }); break;
    case 'DaemonSet': w = new P.DaemonSet(chart, 'w', props); break;
    case 'Job': w = new P.Job(chart, 'w', props); break;
    case 'CronJob': w = new P.CronJob(chart, 'w', { ...props, schedule: Cron.daily() }); break;
  }
  const config = new P.ConfigMap(chart, 'config', { data: { 'a.conf': 'a' } });
  w.containers[0].mount('/etc/app', P.Volume.fromConfigMap(chart, 'config-volume', config, { name: 'config' }), { readOnly: true });
  w.containers[0].mount('/tmp', P.Volume.fromEmptyDir(chart, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
  w.addVolume(P.Volume.fromEmptyDir(chart, 'spare', 'spare'));
  (kind === 'Pod' ? w.metadata : w.podMetadata).addAnnotation('example.com/note', 'kept');
  return w;
}

/** A fresh resolution of the workload (as the next constructor makes). */
const resolve = (workload: any): Workload => resolveWorkload(new Problems(), 'workload', workload)!;

/** Counts the renderings of the object's class (`toJson` on its prototype, which leaves the object without one of its own). */
function countClassRenderings(obj: ApiObject): { n: number; restore: () => void } {
  const proto = Object.getPrototypeOf(obj);
  const own = Object.getOwnPropertyDescriptor(proto, 'toJson')!;
  const count = { n: 0, restore: () => Object.defineProperty(proto, 'toJson', own) };
  Object.defineProperty(proto, 'toJson', { ...own, value: function (this: ApiObject) { count.n++; return own.value.call(this); } });
  return count;
}

/** The workload's view, and how many renderings of its object's class making it took. */
function viewCounted(w: Workload): { view: PodView; renderings: number } {
  const count = countClassRenderings(w.apiObject);
  try {
    return { view: podView(w), renderings: count.n };
  } finally {
    count.restore();
  }
}

describe('podView: a cdk8s-plus workload is read from its model, the same as its rendering', () => {
  const cases = MAJORS.flatMap(([major, P]) => KINDS.map((kind) => [`cdk8s-plus-${major} ${kind}`, P, kind] as [string, any, Kind]));

  test.each(cases)('GIVEN a %s holding ports, env, probes, hooks, volumes, an init container and annotations WHEN viewed THEN the view equals the rendering\'s, without a rendering', (_name, P, kind) => {
    const chart = new Chart(Testing.app(), 'test');
    const w = resolve(richWorkload(P, chart, kind));
    const { view, renderings } = viewCounted(w);
    expect(renderings).toBe(0);
    expect(view.containers[0].readinessProbe.httpGet.port).toBe(8080); // an IntOrString, as its value
    expect(fields(view)).toEqual(renderedView(w));
  });

  test.each(cases)('GIVEN a %s with a container hardened and a helper attached WHEN the next constructor views it THEN the view (parts applied) equals the rendering\'s', (_name, P, kind) => {
    const chart = new Chart(Testing.app(), 'test');
    // these pods run to completion (the Pod's restartPolicy is OnFailure): the helper is a native sidecar (1.29+)
    const completes = kind === 'Job' || kind === 'CronJob' || kind === 'Pod';
    if (completes) setKubernetesVersion(chart, KubernetesVersion.V1_33);
    const workload = richWorkload(P, chart, kind);
    hardenContainer(workload, 'app', { runAsUser: 101, runAsGroup: 101 });
    new LogSidecar(chart, 'logs', { workload, appContainerName: 'app', nativeSidecar: completes, logDirectory: '/var/log/app', logFiles: ['access.log'] });
    const w = resolve(workload);
    const view = fields(podView(w));
    expect(view.injected).toEqual(['log-access']);
    expect(view.containers.find((c: any) => c.name === 'app').volumeMounts).toContainEqual({ mountPath: '/var/log/app', name: 'app-logs' });
    expect(view).toEqual(renderedView(w));
  });

  test('GIVEN a LogSidecar attached WHEN the user adds a container with cdk8s-plus and a second helper takes it for the app THEN the model view shows it (no view is kept from one constructor to the next)', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: IMAGE, portNumber: 8080 }] });
    new LogSidecar(chart, 'logs', { workload: web, appContainerName: 'app', logDirectory: '/var/log/app', logFiles: ['access.log'] });
    web.addContainer({ name: 'extra', image: IMAGE });
    expect(() => new ProxyAmbassador(chart, 'proxy', { workload: web, backend: ProxyBackend.haproxy(), listenPort: 6379, envVar: 'REDIS_ADDR', upstreams: ['redis:6379'] }))
      .toThrow('appContainer: received undefined; expected the app container (or appContainerName); the workload has several containers ("app", "extra"): name one');
  });
});

describe('podView: the model is read as often as the rendering was', () => {
  test('GIVEN a Deployment with spread (cdk8s-plus adds its two spread terms on every rendering of the pod) WHEN two helpers attach and it is synthesized THEN it has the terms of three renderings, as when each helper rendered it', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const web = new kplus.Deployment(chart, 'web', { spread: true, containers: [{ name: 'app', image: IMAGE, portNumber: 8080 }] });
    new DebugSidecar(chart, 'debug', { workload: web, targetContainerName: 'app' });
    new LogSidecar(chart, 'logs', { workload: web, appContainerName: 'app', logDirectory: '/var/log/app', logFiles: ['access.log'] });
    const deployment = synthToMemory(app).charts.flatMap((c) => c.objects).find((o) => o.manifest.kind === 'Deployment')!.manifest;
    const terms = podSpecOf(deployment).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    const spread = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'];
    expect(terms.map((t: any) => t.topologyKey)).toEqual([...spread, ...spread, ...spread]);
  });
});

describe('podView: what only a rendering can tell is rendered', () => {
  /** A resolver of the user's: every image gets a registry prefix. */
  class Mirror implements IResolver {
    public resolve(context: ResolutionContext): void {
      if (context.key[context.key.length - 1] === 'image' && typeof context.value === 'string' && !context.value.startsWith('mirror/')) context.replaceValue(`mirror/${context.value}`);
    }
  }

  test('GIVEN an app with a resolver of its own that rewrites images WHEN viewed THEN the view shows the image the rendering writes', () => {
    const chart = new Chart(new App({ resolvers: [new Mirror()] }), 'test');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: IMAGE, portNumber: 8080 }] });
    const w = resolve(web);
    const { view, renderings } = viewCounted(w);
    expect(renderings).toBe(1);
    expect(view.containers[0].image).toBe(`mirror/${IMAGE}`);
    expect(fields(view)).toEqual(renderedView(w));
  });

  test('negative control: GIVEN the same app WHEN the cdk8s-plus model alone is read THEN it shows another image (the comparison above can fail)', () => {
    const chart = new Chart(new App({ resolvers: [new Mirror()] }), 'test');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: IMAGE, portNumber: 8080 }] });
    expect((web as any)._toPodSpec().containers[0].image).toBe(IMAGE);
    expect(renderedView(resolve(web)).containers[0].image).toBe(`mirror/${IMAGE}`);
  });

  test('GIVEN a JSON patch that renames the container WHEN viewed THEN the view shows the rendered name', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'app', image: IMAGE, portNumber: 8080 }] });
    ApiObject.of(web).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/name', 'renamed'));
    expect(podView(resolve(web)).containers.map((c: any) => c.name)).toEqual(['renamed']);
  });

  test('GIVEN a subclass of a cdk8s-plus Deployment that renders its own pod WHEN viewed THEN the view shows what it renders', () => {
    class Renamed extends kplus.Deployment {
      public _toKube(): any {
        const spec: any = super._toKube();
        return { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers: spec.template.spec.containers.map((c: any) => ({ ...c, name: `${c.name}-x` })) } } };
      }
    }
    const chart = new Chart(Testing.app(), 'test');
    const web = new Renamed(chart, 'web', { containers: [{ name: 'app', image: IMAGE, portNumber: 8080 }] });
    expect(podView(resolve(web)).containers.map((c: any) => c.name)).toEqual(['app-x']);
  });

  test('GIVEN a cdk8s-plus workload without containers WHEN viewed THEN the view is empty, as before it can render', () => {
    const chart = new Chart(Testing.app(), 'test');
    const view = podView(resolve(new kplus.Deployment(chart, 'web')));
    expect(fields(view)).toEqual({ containers: [], initContainers: [], volumes: [], annotations: {}, restartPolicy: undefined, injected: [] });
  });
});
