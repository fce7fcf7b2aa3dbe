// Checks what the consumer app synthesized (run after `node main.js`), through the installed
// package's own API. Exits non-zero with a diff on the first difference.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Yaml } = require('cdk8s');
const patterns = require('cdk8s-pod-patterns');

const objects = Yaml.load('dist/shop.k8s.yaml');
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const container = (spec, name) => spec.containers.find((c) => c.name === name);

// dist/ holds one file per chart, and the kustomization beside it lists it
assert.deepEqual(fs.readdirSync('dist'), ['shop.k8s.yaml']);
assert.deepEqual(Yaml.load('kustomization.yaml')[0].resources, ['dist/shop.k8s.yaml']);

// the Namespace first, then the user's Deployment and the ambassador's ConfigMap
assert.deepEqual(objects.map((o) => `${o.kind} ${o.metadata.name}`), [
  'Namespace shop',
  'Deployment storefront',
  `ConfigMap ${byKind('ConfigMap')[0]?.metadata.name}`,
]);
const [ns] = byKind('Namespace');
const [deployment] = byKind('Deployment');
const [configMap] = byKind('ConfigMap');

// Pod Security: the pod declares restricted, the namespace enforces it at the chart's version
assert.equal(deployment.metadata.annotations[patterns.POD_SECURITY_ANNOTATION], 'restricted');
for (const mode of ['enforce', 'audit', 'warn']) {
  assert.equal(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`], 'restricted');
  assert.equal(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`], 'v1.27');
}
assert.equal(ns.metadata.namespace, undefined);

// the sidecar containers next to the app: one tail per log file, and the ambassador first, its
// postStart hook holding the app until it listens (no native sidecars on 1.27)
const spec = deployment.spec.template.spec;
assert.deepEqual(spec.containers.map((c) => c.name), ['haproxy', 'nginx', 'log-access', 'log-error']);
assert.deepEqual(container(spec, 'haproxy').lifecycle.postStart.exec.command, patterns.holdUntilListeningCommand('127.0.0.1', 6379));
assert.equal(deployment.spec.template.metadata.annotations['kubectl.kubernetes.io/default-container'], 'nginx');
assert.deepEqual(container(spec, 'log-access').command, patterns.streamingCommand('/var/log/nginx/access.log'));
assert.deepEqual(container(spec, 'log-error').command, patterns.streamingCommand('/var/log/nginx/error.log'));
for (const name of ['log-access', 'log-error']) {
  assert.deepEqual(container(spec, name).volumeMounts, [{ mountPath: '/var/log/nginx', name: 'app-logs', readOnly: true }]);
  // resources given as Cpu.millis(5), Size.mebibytes(16) and Size.mebibytes(32)
  assert.deepEqual(container(spec, name).resources, { limits: { memory: '32Mi' }, requests: { cpu: '5m', memory: '16Mi' } });
}
assert.deepEqual(container(spec, 'nginx').volumeMounts.find((m) => m.name === 'app-logs'), { mountPath: '/var/log/nginx', name: 'app-logs' });
assert.equal(container(spec, 'haproxy').image, patterns.HAPROXY_IMAGE);
assert.deepEqual(container(spec, 'haproxy').volumeMounts, [{ mountPath: patterns.HAPROXY_CONFIG_DIR, name: 'haproxy-config', readOnly: true }]);

// the env var the app reaches the ambassador by
assert.deepEqual(container(spec, 'nginx').env, [{ name: 'REDIS_ADDR', value: '127.0.0.1:6379' }]);

// the ConfigMap: the proxy's configuration, mounted into the proxy, in the workload's namespace
assert.deepEqual(spec.volumes.find((v) => v.name === 'haproxy-config'), { name: 'haproxy-config', configMap: { name: configMap.metadata.name } });
assert.equal(configMap.metadata.namespace, 'shop');
assert.deepEqual(Object.keys(configMap.data), [patterns.HAPROXY_CONFIG_FILE]);
assert.match(configMap.data[patterns.HAPROXY_CONFIG_FILE], /bind 127\.0\.0\.1:6379/);
assert.match(configMap.data[patterns.HAPROXY_CONFIG_FILE], /server upstream-1 redis-primary\.cache\.svc\.cluster\.local:6379/);
assert.match(configMap.data[patterns.HAPROXY_CONFIG_FILE], /server upstream-2 redis-standby\.cache\.svc\.cluster\.local:6379/);

// recommended labels: the ConfigMap belongs to the storefront, component proxy-ambassador
assert.deepEqual(configMap.metadata.labels, {
  'app.kubernetes.io/component': 'proxy-ambassador',
  'app.kubernetes.io/instance': 'storefront',
  'app.kubernetes.io/managed-by': 'cdk8s',
  'app.kubernetes.io/name': 'storefront',
  'app.kubernetes.io/part-of': 'shop',
});
// the user's selector and pod template labels are untouched
assert.deepEqual(Object.keys(deployment.spec.selector.matchLabels), ['cdk8s.io/metadata.addr']);
assert.deepEqual(deployment.spec.template.metadata.labels, deployment.spec.selector.matchLabels);

// every object is valid for Kubernetes 1.27, checked with the package's strict schema
for (const o of objects) assert.deepEqual({ object: `${o.kind} ${o.metadata.name}`, errors: patterns.validateManifest(o, '1.27') }, { object: `${o.kind} ${o.metadata.name}`, errors: [] });

console.log(`consumer: ${objects.length} objects checked`);
