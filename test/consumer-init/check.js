// Checks what the init-style consumer app synthesized, once with `npx cdk8s synth` (dist/) and
// once with runSynth (dist-checked/), through the installed package's own API. Exits non-zero on
// the first difference.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Yaml } = require('cdk8s');
const patterns = require('cdk8s-pod-patterns');

const FILE = 'consumer-init.k8s.yaml';
assert.deepEqual(fs.readdirSync('dist'), [FILE]);
assert.deepEqual(fs.readdirSync('dist-checked'), [FILE]);
const objects = Yaml.load(`dist/${FILE}`);
// both synths wrote the same objects (cdk8s's YAML and the library's may quote differently)
assert.deepEqual(Yaml.load(`dist-checked/${FILE}`), objects);

const named = (kind, name) => {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  assert.equal(found.length, 1, `one ${kind} ${name}`);
  return found[0];
};
const containerOf = (spec, name) => [...(spec.initContainers ?? []), ...spec.containers].find((c) => c.name === name);
const POD_SECURITY = patterns.POD_SECURITY_ANNOTATION;

// cdk8s-plus-33 workloads: the chart targets Kubernetes 1.33 without being told
const ns = named('Namespace', 'shop');
for (const mode of ['enforce', 'audit', 'warn']) {
  assert.equal(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`], 'restricted');
  assert.equal(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`], 'v1.33');
}

// 1. the cdk8s-plus-33 Deployment: two tails and the ambassador next to nginx
const web = named('Deployment', 'web');
const webSpec = web.spec.template.spec;
// the ambassador first, its postStart hook holding nginx until it listens
assert.deepEqual(webSpec.containers.map((c) => c.name), ['haproxy', 'nginx', 'log-access', 'log-error']);
assert.deepEqual(containerOf(webSpec, 'haproxy').lifecycle.postStart.exec.command, patterns.holdUntilListeningCommand('127.0.0.1', 6379));
assert.deepEqual(containerOf(webSpec, 'nginx').env, [{ name: 'REDIS_ADDR', value: '127.0.0.1:6379' }]);
assert.deepEqual(containerOf(webSpec, 'log-access').command, patterns.streamingCommand('/var/log/nginx/access.log'));
assert.deepEqual(containerOf(webSpec, 'nginx').volumeMounts.map((m) => m.mountPath), ['/tmp', '/var/log/nginx']);
assert.deepEqual(containerOf(webSpec, 'haproxy').resources, { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
assert.equal(web.metadata.annotations[POD_SECURITY], 'restricted');

// 2. the Included Deployment keeps the user's fields and gets the agent and the debug container
const storefront = named('Deployment', 'storefront');
const sfSpec = storefront.spec.template.spec;
assert.equal(storefront.spec.replicas, 2);
assert.deepEqual(storefront.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'storefront' });
assert.deepEqual(sfSpec.containers.map((c) => c.name), ['nginx', 'fluent-bit', 'debug']);
assert.deepEqual(containerOf(sfSpec, 'nginx').resources, { limits: { memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } });
assert.equal(containerOf(sfSpec, 'nginx').securityContext.runAsUser, 101);
assert.equal(sfSpec.shareProcessNamespace, true);
const agentConfig = sfSpec.volumes.find((v) => v.name === 'fluent-bit-config');
assert.equal(named('ConfigMap', agentConfig.configMap.name).metadata.namespace, 'shop');
assert.equal(storefront.metadata.annotations[POD_SECURITY], 'restricted');

// 3. the L1 Deployment of the user's imports gets the Redis exporter and its scrape annotations
const cache = named('Deployment', 'cache');
const cacheSpec = cache.spec.template.spec;
assert.deepEqual(cacheSpec.containers.map((c) => c.name), ['redis', 'redis-exporter']);
assert.equal(cache.spec.template.metadata.annotations['prometheus.io/port'], String(patterns.REDIS_EXPORTER_PORT));
assert.equal(cache.metadata.annotations[POD_SECURITY], 'restricted');

// every object is valid for Kubernetes 1.33, checked with the package's strict schema
for (const o of objects) assert.deepEqual({ object: `${o.kind} ${o.metadata.name}`, errors: patterns.validateManifest(o, '1.33') }, { object: `${o.kind} ${o.metadata.name}`, errors: [] });

console.log(`consumer-init: ${objects.length} objects checked, the same from cdk8s synth and runSynth`);
