import { ApiObject, Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Adapter, DebugSidecar, KubernetesVersion, LogShipping, LogSidecar, PATTERN_ROLES, ProxyAmbassador, recommendedLabels,
  SharedVolumePod, WarSidecarPod,
} from '../lib';
import { labelWorkload, workloadLabels } from '../lib/_pod/labels';
import { validateManifest } from '../lib/synth/schema';
import { errorOf, manifests, newChart } from './util/synth';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const REDIS = 'redis:7.4.1-alpine';

/** A user's Deployment as a user writes it, with one app container. */
function deployment(chart: Chart, metadata: Record<string, unknown> = { name: 'web' }, id = 'web'): kplus.Deployment {
  return new kplus.Deployment(chart, id, {
    metadata,
    containers: [{ name: 'app', image: REDIS, command: ['sh', '-c', 'sleep 3600'] }],
  });
}

/** The rendered object of a kind and name. */
function object(chart: Chart, kind: string, name?: string): any {
  const found = manifests(chart).filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

/** An HAProxy ambassador on the workload, in front of one Redis. */
function haproxy(chart: Chart, workload: kplus.AbstractPod, extra: Record<string, unknown> = {}): ProxyAmbassador {
  return new ProxyAmbassador(chart, 'cache', {
    workload,
    listenPort: 6379,
    upstreams: ['redis.cache.svc.cluster.local:6379'],
    ...extra,
  });
}

/** A Fluent Bit agent on the workload, tailing /var/log/app/app.log. */
function agent(chart: Chart, workload: kplus.AbstractPod, extra: Record<string, unknown> = {}): LogSidecar {
  return new LogSidecar(chart, 'logs', { workload, shipping: LogShipping.fluentBit(), appContainerName: 'app', logDirectory: '/var/log/app', logFiles: ['app.log'], ...extra });
}

describe('recommended labels on the pods a pattern creates', () => {
  test('a SharedVolumePod\'s pod carries name, instance, component shared-volume-pod, part-of and managed-by', () => {
    // GIVEN a chart "shop"
    const { chart } = newChart('shop');
    // WHEN a SharedVolumePod named "site" is added
    const svp = new SharedVolumePod(chart, 'site', { metadata: { name: 'site' }, containers: [{ name: 'nginx', image: NGINX, mountPath: '/usr/share/nginx/html' }] });
    // THEN its pod is labelled, the cdk8s selector label kept
    expect(object(chart, 'Pod').metadata.labels).toEqual({
      'app.kubernetes.io/component': 'shared-volume-pod',
      'app.kubernetes.io/instance': 'site',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'site',
      'app.kubernetes.io/part-of': 'shop',
      'cdk8s.io/metadata.addr': 'shop-site-Pod-c895051e',
    });
    expect(svp.labels).toEqual({
      'app.kubernetes.io/component': 'shared-volume-pod',
      'app.kubernetes.io/instance': 'site',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'site',
      'app.kubernetes.io/part-of': 'shop',
    });
  });

  test('a WarSidecarPod\'s pod gets component war-sidecar-pod, and its generated name as name and instance', () => {
    // GIVEN a WarSidecarPod without a name
    const { chart } = newChart('shop');
    new WarSidecarPod(chart, 'java', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war' });
    // THEN name and instance are the generated pod name
    const pod = object(chart, 'Pod');
    expect(pod.metadata.name).toBe('shop-java-pod-c80e0546');
    expect(pod.metadata.labels).toEqual({
      'app.kubernetes.io/component': 'war-sidecar-pod',
      'app.kubernetes.io/instance': 'shop-java-pod-c80e0546',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'shop-java-pod-c80e0546',
      'app.kubernetes.io/part-of': 'shop',
      'cdk8s.io/metadata.addr': 'shop-java-Pod-c866e865',
    });
  });

  test('metadata.labels give the pod\'s recommended labels, and the labels prop overrides them', () => {
    // GIVEN recommended labels in metadata.labels, and a labels prop overriding two of them
    const { chart } = newChart('shop');
    new SharedVolumePod(chart, 'site', {
      metadata: { name: 'site', labels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/component': 'frontend', 'app.kubernetes.io/version': '2.3.1', tier: 'web' } },
      labels: { component: 'web', partOf: 'webshop' },
      containers: [{ name: 'nginx', image: NGINX, mountPath: '/usr/share/nginx/html' }],
    });
    // THEN metadata.labels win over the defaults, the labels prop over both, other labels stay
    expect(object(chart, 'Pod').metadata.labels).toEqual({
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/instance': 'site',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'storefront',
      'app.kubernetes.io/part-of': 'webshop',
      'app.kubernetes.io/version': '2.3.1',
      'cdk8s.io/metadata.addr': 'shop-site-Pod-c895051e',
      tier: 'web',
    });
  });

  describe('fails when', () => {
    test('a labels value is not a label value', () => {
      const { chart } = newChart('shop');
      expect(() => new SharedVolumePod(chart, 'site', { labels: { component: 'web server' }, containers: [{ name: 'nginx', image: NGINX, mountPath: '/html' }] }))
        .toThrow('[shop/site] invalid props:\n  labels.component: received "web server"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    });

    test('labels has a field that is not a recommended label', () => {
      const { chart } = newChart('shop');
      expect(() => new SharedVolumePod(chart, 'site', { labels: { tier: 'web' } as any, containers: [{ name: 'nginx', image: NGINX, mountPath: '/html' }] }))
        .toThrow('[shop/site] invalid props:\n  labels: received "tier"; expected one of the fields name, instance, version, component, partOf, managedBy (set other labels on the objects\' metadata)');
    });

    test('the pod\'s name, the default name and instance, is longer than a label value', () => {
      const name = `site-${'a'.repeat(60)}`;
      const { chart } = newChart('shop');
      expect(() => new SharedVolumePod(chart, 'site', { metadata: { name }, containers: [{ name: 'nginx', image: NGINX, mountPath: '/html' }] }))
        .toThrow(`[shop/site] invalid props:\n  labels.name: received "${name}"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (the default, the pod's name, is not one: set labels.name)\n  labels.instance: received "${name}"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (the default, the pod's name, is not one: set labels.instance)`);
    });

    test('not when that long name comes with explicit name and instance labels', () => {
      const name = `site-${'a'.repeat(60)}`;
      const { chart } = newChart('shop');
      new SharedVolumePod(chart, 'site', { metadata: { name }, labels: { name: 'site', instance: 'site-1' }, containers: [{ name: 'nginx', image: NGINX, mountPath: '/html' }] });
      expect(object(chart, 'Pod').metadata.labels['app.kubernetes.io/instance']).toBe('site-1');
    });
  });
});

describe('recommended labels of the objects a helper creates', () => {
  test('an ambassador\'s ConfigMap is labelled as part of the workload\'s application, component proxy-ambassador', () => {
    // GIVEN a user's Deployment "cart" in chart "shop"
    const { chart } = newChart('shop');
    const web = deployment(chart, { name: 'cart' });
    // WHEN an HAProxy ambassador is attached
    const proxy = haproxy(chart, web);
    // THEN its ConfigMap carries the workload's name and instance and the helper's role
    const expected = {
      'app.kubernetes.io/component': 'proxy-ambassador',
      'app.kubernetes.io/instance': 'cart',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'cart',
      'app.kubernetes.io/part-of': 'shop',
    };
    expect(object(chart, 'ConfigMap').metadata.labels).toEqual(expected);
    expect(proxy.labels).toEqual(expected);
  });

  test('a log agent\'s ConfigMap inherits the workload\'s name, instance, version and part-of, never its component', () => {
    // GIVEN a Deployment with its own recommended labels
    const { chart } = newChart('shop');
    const web = deployment(chart, {
      name: 'web',
      labels: {
        'app.kubernetes.io/name': 'storefront',
        'app.kubernetes.io/instance': 'storefront-eu',
        'app.kubernetes.io/version': '2.3.1',
        'app.kubernetes.io/component': 'frontend',
        'app.kubernetes.io/part-of': 'webshop',
        'app.kubernetes.io/managed-by': 'kustomize',
      },
    });
    // WHEN a Fluent Bit agent is attached
    agent(chart, web);
    // THEN the ConfigMap is part of the same application instance, with the agent's role
    expect(object(chart, 'ConfigMap').metadata.labels).toEqual({
      'app.kubernetes.io/component': 'log-sidecar',
      'app.kubernetes.io/instance': 'storefront-eu',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'storefront',
      'app.kubernetes.io/part-of': 'webshop',
      'app.kubernetes.io/version': '2.3.1',
    });
  });

  test('the labels prop overrides what the helper would take from the workload', () => {
    const { chart } = newChart('shop');
    const web = deployment(chart, { name: 'cart', labels: { 'app.kubernetes.io/part-of': 'webshop' } });
    haproxy(chart, web, { labels: { component: 'redis-ambassador', partOf: 'checkout', version: '3.0.28' } });
    expect(object(chart, 'ConfigMap').metadata.labels).toEqual({
      'app.kubernetes.io/component': 'redis-ambassador',
      'app.kubernetes.io/instance': 'cart',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'cart',
      'app.kubernetes.io/part-of': 'checkout',
      'app.kubernetes.io/version': '3.0.28',
    });
  });

  test('adapters and debug sidecars resolve labels with their roles, for objects the user adds for them', () => {
    const { chart } = newChart('shop');
    const web = deployment(chart, { name: 'web' });
    const adapter = Adapter.redisExporter(chart, 'metrics', { workload: web });
    const debug = new DebugSidecar(chart, 'debug', { workload: web });
    expect(adapter.labels['app.kubernetes.io/component']).toBe(PATTERN_ROLES.adapter);
    expect(debug.labels).toEqual({
      'app.kubernetes.io/component': 'debug-sidecar',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/part-of': 'shop',
    });
  });

  describe('fails when', () => {
    test('a helper\'s labels value is not a label value', () => {
      const { chart } = newChart('shop');
      const web = deployment(chart);
      expect(() => haproxy(chart, web, { labels: { instance: '-cart' } }))
        .toThrow('[shop/cache] invalid props:\n  labels.instance: received "-cart"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
    });

    test('the workload\'s name, the default name and instance, is longer than a label value', () => {
      const name = `cart-${'a'.repeat(60)}`;
      const { chart } = newChart('shop');
      const web = deployment(chart, { name });
      expect(errorOf(() => agent(chart, web))).toBe(`[shop/logs] invalid props:\n  labels.name: received "${name}"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (the default, the workload's name, is not one: set labels.name)\n  labels.instance: received "${name}"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (the default, the workload's name, is not one: set labels.instance)`);
    });

    test('an adapter preset\'s labels value is not a label value, reported with its other props', () => {
      const { chart } = newChart('shop');
      const web = deployment(chart);
      expect(() => Adapter.redisExporter(chart, 'metrics', { workload: web, port: 0, labels: { name: 'a b' } }))
        .toThrow('[shop/metrics] invalid props:\n  labels.name: received "a b"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit\n  port: received 0; expected an integer port number from 1 to 65535');
    });
  });
});

describe('the user\'s workload', () => {
  test('a Deployment gets the recommended labels it lacks on its own metadata, never component', () => {
    // GIVEN a Deployment that says its component and version
    const { chart } = newChart('shop');
    const web = deployment(chart, { name: 'web', labels: { 'app.kubernetes.io/component': 'frontend', team: 'checkout' } });
    // WHEN a helper is attached
    haproxy(chart, web);
    // THEN its metadata gets name, instance, part-of and managed-by; its own labels stay
    expect(object(chart, 'Deployment').metadata.labels).toEqual({
      'app.kubernetes.io/component': 'frontend',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/part-of': 'shop',
      team: 'checkout',
    });
  });

  test('labels the user already set on the workload are never overwritten', () => {
    const { chart } = newChart('shop');
    const web = deployment(chart, { name: 'web', labels: { 'app.kubernetes.io/name': 'storefront', 'app.kubernetes.io/managed-by': 'argocd' } });
    haproxy(chart, web, { labels: { name: 'proxy' } });
    expect(object(chart, 'Deployment').metadata.labels).toEqual({
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/managed-by': 'argocd',
      'app.kubernetes.io/name': 'storefront',
      'app.kubernetes.io/part-of': 'shop',
    });
  });

  test('the selector and the pod template labels stay exactly what they were without helpers', () => {
    // GIVEN the same Deployment twice, once with every helper attached
    const plain = newChart('shop').chart;
    deployment(plain);
    const helped = newChart('shop').chart;
    const web = deployment(helped);
    haproxy(helped, web);
    agent(helped, web);
    Adapter.redisExporter(helped, 'metrics', { workload: web });
    new DebugSidecar(helped, 'debug', { workload: web });
    // THEN spec.selector and spec.template.metadata.labels are identical
    const before = object(plain, 'Deployment');
    const after = object(helped, 'Deployment');
    expect(after.spec.selector).toEqual(before.spec.selector);
    expect(after.spec.selector).toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': 'shop-web-c80b2a96' } });
    expect(after.spec.template.metadata.labels).toEqual({ 'cdk8s.io/metadata.addr': 'shop-web-c80b2a96' });
  });

  test('a bare Pod\'s labels (pod labels, which selectors select on) are left alone', () => {
    const { chart } = newChart('shop');
    const pod = new kplus.Pod(chart, 'pod', { metadata: { name: 'worker' }, containers: [{ name: 'app', image: REDIS }] });
    haproxy(chart, pod);
    expect(object(chart, 'Pod').metadata.labels).toEqual({ 'cdk8s.io/metadata.addr': 'shop-pod-c88a7a97' });
    expect(workloadLabels(ApiObject.of(pod))).toEqual({});
  });

  test('a CronJob gets the labels on its own metadata, not in its job or pod template', () => {
    // GIVEN a user's CronJob
    const { chart } = newChart('shop');
    const cron = new kplus.CronJob(chart, 'nightly', {
      metadata: { name: 'nightly' },
      schedule: Cron.daily(),
      containers: [{ name: 'app', image: REDIS }],
    });
    // WHEN a helper labels it (as attaching any helper does)
    labelWorkload(ApiObject.of(cron));
    // THEN only the CronJob's own metadata changed
    const rendered = object(chart, 'CronJob');
    expect(rendered.metadata.labels).toEqual({
      'app.kubernetes.io/instance': 'nightly',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'nightly',
      'app.kubernetes.io/part-of': 'shop',
    });
    expect(rendered.spec.jobTemplate.metadata).toBeUndefined();
    expect(rendered.spec.jobTemplate.spec.template.metadata.labels).toEqual({ 'cdk8s.io/metadata.addr': 'shop-nightly-c85013f4' });
  });
});

describe('namespaces of the objects a helper creates', () => {
  test('the ConfigMap lands in the chart\'s namespace with the workload', () => {
    const { app } = newChart();
    const chart = new Chart(app, 'shop', { namespace: 'checkout' });
    const web = deployment(chart);
    haproxy(chart, web);
    agent(chart, web);
    expect(Testing.synth(chart).map((m) => [m.kind, m.metadata.namespace])).toEqual([
      ['Deployment', 'checkout'], ['ConfigMap', 'checkout'], ['ConfigMap', 'checkout'],
    ]);
  });

  test('the ConfigMap follows a workload whose own namespace differs from the chart\'s', () => {
    // GIVEN a chart in "checkout" and a Deployment placed in "payments"
    const { app } = newChart();
    const chart = new Chart(app, 'shop', { namespace: 'checkout' });
    const web = deployment(chart, { name: 'web', namespace: 'payments' });
    // WHEN an ambassador and a log agent are attached
    const proxy = haproxy(chart, web);
    const logs = agent(chart, web);
    // THEN their ConfigMaps are in "payments", where the pod can mount them
    expect(ApiObject.of(proxy.configMap).toJson().metadata.namespace).toBe('payments');
    expect(ApiObject.of(logs.configMap!).toJson().metadata.namespace).toBe('payments');
  });

  test('without any namespace the ConfigMap has none either', () => {
    const { chart } = newChart('shop');
    const proxy = haproxy(chart, deployment(chart));
    expect(ApiObject.of(proxy.configMap).toJson().metadata).toEqual({
      labels: proxy.labels,
      name: 'shop-cache-config-c8166a57',
    });
  });
});

describe('recommendedLabels() for the user\'s own objects', () => {
  test('gives the fields set, instance defaulting to name, part-of the chart and managed-by cdk8s', () => {
    const { chart } = newChart('shop');
    expect(recommendedLabels(chart, { name: 'web', component: 'web-server' })).toEqual({
      'app.kubernetes.io/component': 'web-server',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/part-of': 'shop',
    });
  });

  test('fails when a value is not a label value', () => {
    const { chart } = newChart('shop');
    expect(() => recommendedLabels(chart, { name: 'web', version: '1.0 beta' }))
      .toThrow('[shop recommendedLabels] invalid props:\n  labels.version: received "1.0 beta"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
  });
});

test('the labelled objects pass the strict Kubernetes 1.27 schema', () => {
  const { app } = newChart();
  const chart = new Chart(app, 'shop', { namespace: 'checkout' });
  const web = deployment(chart, { name: 'web', namespace: 'payments' });
  haproxy(chart, web);
  agent(chart, web);
  new SharedVolumePod(chart, 'site', { containers: [{ name: 'nginx', image: NGINX, mountPath: '/html' }] });
  for (const m of Testing.synth(chart)) expect({ kind: m.kind, errors: validateManifest(m, KubernetesVersion.V1_27) }).toEqual({ kind: m.kind, errors: [] });
});
