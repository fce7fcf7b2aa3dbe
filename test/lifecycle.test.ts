/**
 * How helpers start and stop beside the app (lib/_pod/lifecycle.ts, lib/_pod/helper.ts,
 * lib/_pod/inject.ts): start order, the hold-the-app hook, the stop wait and the grace budget,
 * ConfigMap hashes that roll the pods, and the default container for kubectl.
 */
import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Adapter, DebugSidecar, HttpCompatAdapter, KubernetesVersion, LogOutput, LogShipping, LogSidecar, ProxyAmbassador,
  setKubernetesVersion, UrlRule,
} from '../lib';
import { DEFAULT_APP_DRAIN_SECONDS, holdUntilListeningCommand, preStopSleepSeconds } from '../lib/_pod/lifecycle';
import { podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { container, errorOf, only } from './util/synth';
import { APP_IMAGE } from './util/workloads';

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

function chartAt(version?: KubernetesVersion): Chart {
  const app = Testing.app();
  if (version) setKubernetesVersion(app, version);
  return new Chart(app, 'test');
}

/** A Deployment with one app container `web` (port 8080) and, optionally, init containers and pod settings. */
function deployment(chart: Chart, opts: { init?: string[]; grace?: number; appPreStop?: string[]; noPort?: boolean } = {}): kplus.Deployment {
  const d = new kplus.Deployment(chart, 'web', {
    containers: [{ name: 'web', image: APP_IMAGE, portNumber: opts.noPort ? undefined : 8080 }],
    initContainers: (opts.init ?? []).map((name) => ({ name, image: 'busybox:1.36.1', command: ['sh', '-c', 'until nc -z 127.0.0.1 5432; do sleep 1; done'] })),
  });
  if (opts.grace !== undefined || opts.appPreStop) {
    // the user's own rendering carries them (cdk8s-plus-27 has no prop for either)
    const obj = ApiObject.of(d);
    const render = obj.toJson.bind(obj);
    obj.toJson = () => {
      const json = render();
      const spec = json.spec.template.spec;
      if (opts.grace !== undefined) spec.terminationGracePeriodSeconds = opts.grace;
      if (opts.appPreStop) spec.containers[0].lifecycle = { preStop: { exec: { command: opts.appPreStop } } };
      return json;
    };
  }
  return d;
}

const haproxy = (chart: Chart, workload: kplus.Deployment, extra: Record<string, unknown> = {}) =>
  new ProxyAmbassador(chart, 'db', { workload, listenPort: 5432, upstreams: ['db.example.com:5432'], ...extra });

const names = (list: any[] | undefined) => (list ?? []).map((c: any) => c.name);

describe('start order', () => {
  test('GIVEN init containers that wait on the helper WHEN a native-sidecar ambassador attaches THEN it starts before them, gated by its startup probe', () => {
    const chart = chartAt(KubernetesVersion.V1_29);
    const w = deployment(chart, { init: ['wait-for-db', 'migrate'] });
    haproxy(chart, w, { nativeSidecar: true });
    const spec = podSpecOf(only(chart, 'Deployment'));
    // the kubelet starts init containers in order and waits for a native sidecar's startup probe
    expect(names(spec.initContainers)).toEqual(['haproxy', 'wait-for-db', 'migrate']);
    expect(container(spec, 'haproxy').restartPolicy).toBe('Always');
    expect(container(spec, 'haproxy').startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8404 } });
  });

  test('GIVEN startAfterInitContainer WHEN two helpers attach THEN each goes right after the named one, in the order they were added', () => {
    const chart = chartAt(KubernetesVersion.V1_30);
    const w = deployment(chart, { init: ['fetch-certs', 'migrate'] });
    haproxy(chart, w, { nativeSidecar: true, startAfterInitContainer: 'fetch-certs' });
    new LogSidecar(chart, 'logs', { workload: w, nativeSidecar: true, startAfterInitContainer: 'fetch-certs', logDirectory: '/var/log/app', logFiles: ['app.log'] });
    new Adapter(chart, 'metrics', { workload: w, nativeSidecar: true, image: 'oliver006/redis_exporter:v1.45.0', port: 9121 });
    const logName = names(podSpecOf(only(chart, 'Deployment')).initContainers).find((n) => n.startsWith('log'));
    expect(names(podSpecOf(only(chart, 'Deployment')).initContainers)).toEqual(['adapter', 'fetch-certs', 'haproxy', logName, 'migrate']);
  });

  test('GIVEN no native sidecars (1.27) WHEN an ambassador attaches THEN it is first in containers with a postStart hook that waits for its port', () => {
    const chart = chartAt();
    const w = deployment(chart);
    const a = haproxy(chart, w);
    const spec = podSpecOf(only(chart, 'Deployment'));
    expect(names(spec.containers)).toEqual(['haproxy', 'web']);
    const hook = container(spec, 'haproxy').lifecycle.postStart;
    expect(hook).toEqual({ exec: { command: ['bash', '-c', expect.stringContaining('/dev/tcp/127.0.0.1/5432')] } });
    expect(hook.exec.command).toEqual(holdUntilListeningCommand('127.0.0.1', 5432, Duration.seconds(30)));
    expect(a.sidecar.lifecycle?.postStart).toEqual(hook);
  });

  test('holdUntilListeningCommand takes its timeout as a Duration: Duration.minutes(1) waits 60 tries', () => {
    const script = holdUntilListeningCommand('127.0.0.1', 8080, Duration.minutes(1))[2];
    expect(script).toContain('while [ "$i" -lt 60 ]; do');
    expect(script).toContain('after 60 s');
    expect(holdUntilListeningCommand('127.0.0.1', 8080)).toEqual(holdUntilListeningCommand('127.0.0.1', 8080, Duration.seconds(30)));
  });

  test('holdUntilListeningCommand fails when the timeout is no whole number of seconds, or a number from an untyped caller', () => {
    expect(errorOf(() => holdUntilListeningCommand('127.0.0.1', 8080, Duration.millis(1500))))
      .toBe('[holdUntilListeningCommand] invalid props:\n  timeout: received "1.5 s"; expected a Duration of whole seconds from 1 to 3600 (e.g. Duration.seconds(30))');
    expect(errorOf(() => holdUntilListeningCommand('127.0.0.1', 8080, 30 as any)))
      .toBe('[holdUntilListeningCommand] invalid props:\n  timeout: received 30; expected a Duration of whole seconds from 1 to 3600 (e.g. Duration.seconds(30))');
  });

  test('GIVEN holdAppUntilReady false WHEN an ambassador attaches THEN it follows the app and has no postStart hook', () => {
    const chart = chartAt();
    haproxy(chart, deployment(chart), { holdAppUntilReady: false });
    const spec = podSpecOf(only(chart, 'Deployment'));
    expect(names(spec.containers)).toEqual(['web', 'haproxy']);
    expect(container(spec, 'haproxy').lifecycle.postStart).toBeUndefined();
  });

  test('GIVEN helpers the app does not call WHEN they attach THEN they follow the app, unheld', () => {
    const chart = chartAt();
    const w = deployment(chart);
    new LogSidecar(chart, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['app.log'] });
    Adapter.nginxExporter(chart, 'exporter', { workload: w });
    new DebugSidecar(chart, 'debug', { workload: w });
    const spec = podSpecOf(only(chart, 'Deployment'));
    expect(names(spec.containers)).toEqual(['web', 'log-app', 'nginx-exporter', 'debug']);
    for (const c of spec.containers) expect(c.lifecycle?.postStart).toBeUndefined();
  });

  test('fails when startAfterInitContainer names no init container, or is given without nativeSidecar', () => {
    const chart = chartAt(KubernetesVersion.V1_29);
    const w = deployment(chart, { init: ['migrate'] });
    expect(errorOf(() => haproxy(chart, w, { nativeSidecar: true, startAfterInitContainer: 'migrat' }))).toBe(
      '[test/db] invalid props:\n  startAfterInitContainer: received "migrat"; expected the name of an init container of the workload ("migrate")',
    );
    const c2 = chartAt(KubernetesVersion.V1_29);
    expect(errorOf(() => haproxy(c2, deployment(c2, { init: ['migrate'] }), { startAfterInitContainer: 'migrate' }))).toBe(
      '[test/db] invalid props:\n  startAfterInitContainer: received "migrate"; expected unset unless nativeSidecar is true (a regular sidecar starts after every init container anyway)',
    );
  });

  test('fails at synth when the init container named by startAfterInitContainer is gone from the rendered pod', () => {
    const chart = chartAt(KubernetesVersion.V1_29);
    const w = deployment(chart, { init: ['migrate'] });
    haproxy(chart, w, { nativeSidecar: true, startAfterInitContainer: 'migrate' });
    // something later drops the init container from the rendering
    const obj = ApiObject.of(w);
    const render = obj.toJson.bind(obj);
    obj.toJson = () => {
      const json = render();
      json.spec.template.spec.initContainers = json.spec.template.spec.initContainers.filter((c: any) => c.name !== 'migrate');
      return json;
    };
    expect(errorOf(() => Testing.synth(chart))).toBe(
      'Validation failed with the following errors:\n  [test/db] startAfterInitContainer: received "migrate"; expected the name of an init container of the workload (it has none)',
    );
  });

  test('fails when holdAppUntilReady is asked of a helper the app does not call', () => {
    const chart = chartAt();
    const w = deployment(chart);
    expect(errorOf(() => Adapter.nginxExporter(chart, 'exporter', { workload: w, holdAppUntilReady: true }))).toBe(
      '[test/exporter] invalid props:\n  holdAppUntilReady: received true; expected false or unset: an Adapter is called by Prometheus, not by the app, so the app need not wait for it (and the exporter images have no shell to run the hook)',
    );
    expect(errorOf(() => new LogSidecar(chart, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['a.log'], holdAppUntilReady: true }))).toBe(
      '[test/logs] invalid props:\n  holdAppUntilReady: received true; expected false or unset: this helper does not listen for the app',
    );
  });
});

describe('stop order and the grace budget', () => {
  test('GIVEN regular sidecars on 1.27 WHEN the pod stops THEN the ambassador and the streamer wait out the app\'s default drain with sleep; the adapter does not', () => {
    const chart = chartAt();
    const w = deployment(chart);
    haproxy(chart, w);
    new LogSidecar(chart, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['app.log'] });
    Adapter.nginxExporter(chart, 'exporter', { workload: w });
    const spec = podSpecOf(only(chart, 'Deployment'));
    expect(container(spec, 'haproxy').lifecycle.preStop).toEqual({ exec: { command: ['sleep', String(DEFAULT_APP_DRAIN_SECONDS)] } });
    expect(container(spec, 'log-app').lifecycle.preStop).toEqual({ exec: { command: ['sleep', '5'] } });
    expect(container(spec, 'nginx-exporter').lifecycle).toBeUndefined();
  });

  test('GIVEN 1.30 WHEN a Fluent Bit agent (no sleep binary) attaches THEN it waits with the kubelet\'s sleep action; below 1.30 it gets no preStop', () => {
    const at = (version: KubernetesVersion) => {
      const chart = chartAt(version);
      new LogSidecar(chart, 'logs', { workload: deployment(chart), shipping: LogShipping.fluentBit(), logDirectory: '/var/log/app', logFiles: ['app.log'] });
      return container(podSpecOf(only(chart, 'Deployment')), 'fluent-bit').lifecycle;
    };
    expect(at(KubernetesVersion.V1_30)).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(at(KubernetesVersion.V1_29)).toBeUndefined();
  });

  test('GIVEN appDrain, or the app\'s own preStop sleep WHEN the ambassador attaches THEN it waits that long', () => {
    const c1 = chartAt();
    haproxy(c1, deployment(c1), { appDrain: Duration.seconds(12) });
    expect(container(podSpecOf(only(c1, 'Deployment')), 'haproxy').lifecycle.preStop).toEqual({ exec: { command: ['sleep', '12'] } });
    const c2 = chartAt();
    haproxy(c2, deployment(c2, { appPreStop: ['sh', '-c', 'sleep 20'] }));
    expect(container(podSpecOf(only(c2, 'Deployment')), 'haproxy').lifecycle.preStop).toEqual({ exec: { command: ['sleep', '20'] } });
  });

  test('GIVEN a native sidecar WHEN the pod stops THEN the kubelet stops it after the app: no preStop', () => {
    const chart = chartAt(KubernetesVersion.V1_29);
    haproxy(chart, deployment(chart), { nativeSidecar: true });
    expect(container(podSpecOf(only(chart, 'Deployment')), 'haproxy').lifecycle).toBeUndefined();
  });

  test('reads the app\'s preStop sleep in its usual forms', () => {
    expect(preStopSleepSeconds({ lifecycle: { preStop: { sleep: { seconds: 7 } } } })).toBe(7);
    expect(preStopSleepSeconds({ lifecycle: { preStop: { exec: { command: ['sleep', '8'] } } } })).toBe(8);
    expect(preStopSleepSeconds({ lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'nginx -s quit; sleep 9'] } } } })).toBe(9);
    expect(preStopSleepSeconds({ lifecycle: { preStop: { exec: { command: ['nginx', '-s', 'quit'] } } } })).toBeUndefined();
    expect(preStopSleepSeconds({})).toBeUndefined();
  });

  test('fails when terminationGracePeriodSeconds cannot hold the app\'s drain plus the helpers\' stop, naming the containers', () => {
    const chart = chartAt();
    const w = deployment(chart, { appPreStop: ['sleep', '30'] });
    haproxy(chart, w);
    new LogSidecar(chart, 'logs', { workload: w, shipping: LogShipping.fluentBit(), logDirectory: '/var/log/app', logFiles: ['app.log'] });
    expect(errorOf(() => Testing.synth(chart))).toBe(
      'Validation failed with the following errors:\n'
      + '  [test/web] terminationGracePeriodSeconds: received 30; expected at least 31: the app container "web" drains for 30 s (its preStop sleep), then the helpers stop: "haproxy" up to 1 s, "fluent-bit" up to 5 s (not waiting for the drain); raise terminationGracePeriodSeconds or shorten the drain (appDrain)',
    );
  });

  test('fails when terminationGracePeriodSeconds cannot hold the helpers\' stop and no helper names the app container, without a drain clause', () => {
    // GIVEN an Adapter (which waits for no app drain) on a Deployment with no grace period
    const chart = chartAt();
    const w = deployment(chart, { grace: 0 });
    new Adapter(chart, 'adapter', { workload: w, image: 'example.com/json-exporter:v0.6.0', port: 7979 });
    // WHEN synthesized
    const message = errorOf(() => Testing.synth(chart));
    // THEN the message names only the helpers' stop, and gives no advice about the drain
    expect(message).toBe('Validation failed with the following errors:\n  [test/web] terminationGracePeriodSeconds: received 0; expected at least 1: the helpers stop: "adapter" up to 1 s; raise terminationGracePeriodSeconds');
  });

  test('GIVEN a grace period that holds the drain and the stops WHEN synthesized THEN it passes (negative control of the budget check)', () => {
    const chart = chartAt();
    const w = deployment(chart, { appPreStop: ['sleep', '30'], grace: 31 });
    haproxy(chart, w);
    new LogSidecar(chart, 'logs', { workload: w, shipping: LogShipping.fluentBit(), logDirectory: '/var/log/app', logFiles: ['app.log'] });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('fails when appDrain is not a Duration of whole seconds', () => {
    const chart = chartAt();
    const w = deployment(chart);
    expect(errorOf(() => haproxy(chart, w, { appDrain: Duration.millis(1500) }))).toBe(
      '[test/db] invalid props:\n  appDrain: received "1.5 s"; expected a Duration of whole seconds from 0 to 3600 (e.g. Duration.seconds(10))',
    );
    const c2 = chartAt();
    expect(errorOf(() => haproxy(c2, deployment(c2), { appDrain: 10 as any }))).toBe(
      '[test/db] invalid props:\n  appDrain: received 10; expected a Duration of whole seconds from 0 to 3600 (e.g. Duration.seconds(10))',
    );
  });
});

describe('config changes roll the pods', () => {
  /** The pod template's annotations of a chart built by `build` with one prop value. */
  const template = (build: (chart: Chart, w: kplus.Deployment) => void) => {
    const chart = chartAt();
    // no declared app port: the HTTP adapter refuses an app port the kubelet probes
    build(chart, deployment(chart, { noPort: true }));
    return podMetadataOf(only(chart, 'Deployment')).annotations;
  };
  const cases: Array<[string, string, (v: string) => (chart: Chart, w: kplus.Deployment) => void, string, string]> = [
    ['ProxyAmbassador', 'haproxy.proxy.pod-patterns.dev/config-sha256', (host) => (c, w) => { haproxy(c, w, { upstreams: [`${host}:5432`] }); }, 'db-a.example.com', 'db-b.example.com'],
    ['LogSidecar (agent)', 'fluent-bit.log-sidecar.pod-patterns.dev/config-sha256', (host) => (c, w) => {
      new LogSidecar(c, 'logs', { workload: w, shipping: LogShipping.fluentBit({ output: LogOutput.forward({ host }) }), logDirectory: '/var/log/app', logFiles: ['app.log'] });
    }, 'fluentd-a.logging.svc.cluster.local', 'fluentd-b.logging.svc.cluster.local'],
    ['Adapter.nginxExporter (stub_status server)', 'nginx-exporter.adapter.pod-patterns.dev/stub-status-sha256', (port) => (c, w) => {
      Adapter.nginxExporter(c, 'exporter', { workload: w, statusPort: Number(port) });
    }, '8081', '8082'],
    ['HttpCompatAdapter', 'http-adapter.adapter.pod-patterns.dev/config-sha256', (to) => (c, w) => {
      new HttpCompatAdapter(c, 'compat', { workload: w, port: 9090, appPort: 8080, rules: [UrlRule.prefix('/v1/users', to)] });
    }, '/v2/people', '/v2/persons'],
  ];
  test.each(cases)('GIVEN a %s WHEN one prop changes THEN the hash on the pod template changes', (_name, key, build, a, b) => {
    const first = template(build(a));
    expect(first[key]).toMatch(/^[0-9a-f]{64}$/);
    expect(template(build(a))[key]).toBe(first[key]);
    expect(template(build(b))[key]).not.toBe(first[key]);
  });

  test('GIVEN a generated ConfigMap edited after the helper was built WHEN synthesized THEN the hash follows the ConfigMap as written', () => {
    const chart = chartAt();
    const logs = new LogSidecar(chart, 'logs', { workload: deployment(chart), shipping: LogShipping.fluentBit(), logDirectory: '/var/log/app', logFiles: ['app.log'] });
    const before = podMetadataOf(only(chart, 'Deployment')).annotations['fluent-bit.log-sidecar.pod-patterns.dev/config-sha256'];
    logs.configMap!.addData('extra.conf', '# tweak');
    expect(podMetadataOf(only(chart, 'Deployment')).annotations['fluent-bit.log-sidecar.pod-patterns.dev/config-sha256']).not.toBe(before);
    expect(ApiObject.of(logs.configMap!).toJson().data['extra.conf']).toBe('# tweak');
  });
});

describe('kubectl picks the app container', () => {
  test('GIVEN helpers WHEN they attach THEN the pod template names the app as the default container', () => {
    const chart = chartAt();
    const w = deployment(chart);
    haproxy(chart, w);
    new DebugSidecar(chart, 'debug', { workload: w });
    expect(podMetadataOf(only(chart, 'Deployment')).annotations[DEFAULT_CONTAINER]).toBe('web');
  });

  test('GIVEN a default container the user set WHEN helpers attach THEN it is kept', () => {
    const chart = chartAt();
    const w = deployment(chart);
    w.podMetadata.addAnnotation(DEFAULT_CONTAINER, 'sidekick');
    haproxy(chart, w);
    expect(podMetadataOf(only(chart, 'Deployment')).annotations[DEFAULT_CONTAINER]).toBe('sidekick');
  });
});
