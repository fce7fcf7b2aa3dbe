/**
 * Config changes roll the pods: for every helper, one changed prop changes the rendered pod
 * template (so a Deployment rolls), and every ConfigMap a helper generates has its content hash
 * on the pod template (a ConfigMap edited in place restarts nothing, and Fluent Bit, HAProxy and
 * nginx read their configuration only at start).
 */
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Adapter, configDataHash, DebugSidecar, logAgentConfigHashAnnotation, LogOutput, LogShipping, LogSidecar, ProxyAmbassador, ProxyBackend, TwemproxyHash } from '../lib';
import { podMetadataOf } from '../lib/_pod/inject';
import { manifests } from './util/synth';
import { chartFor } from './util/workloads';

type Attach = (chart: Chart, w: kplus.Deployment, variant: 0 | 1) => void;

/** The rendered Deployment and the ConfigMaps of a chart with one helper attached in a variant. */
function render(attach: Attach, variant: 0 | 1) {
  const chart = chartFor();
  const w = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine', portNumber: 8080 }] });
  attach(chart, w, variant);
  const ms = manifests(chart);
  const d = ms.find((m) => m.kind === 'Deployment');
  return { template: d.spec.template, annotations: podMetadataOf(d).annotations ?? {}, configMaps: ms.filter((m) => m.kind === 'ConfigMap') };
}

const HELPERS: Array<[string, Attach]> = [
  ['LogSidecar (streaming): logFiles', (c, w, v) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/nginx', logFiles: [v ? 'error.log' : 'access.log'] })],
  ['LogSidecar (agent): output host', (c, w, v) => new LogSidecar(c, 'logs', { workload: w, shipping: LogShipping.fluentBit({ output: LogOutput.forward({ host: v ? 'fluentd-b.logging.svc.cluster.local' : 'fluentd-a.logging.svc.cluster.local' }) }), logDirectory: '/var/log/nginx', logFiles: ['access.log'] })],
  ['ProxyAmbassador (HAProxy): upstream', (c, w, v) => new ProxyAmbassador(c, 'proxy', { workload: w, listenPort: 6380, upstreams: [v ? '10.0.0.6:6379' : '10.0.0.5:6379'] })],
  ['ProxyAmbassador (twemproxy): hash', (c, w, v) => new ProxyAmbassador(c, 'proxy', { workload: w, backend: ProxyBackend.twemproxy({ hash: v ? TwemproxyHash.MURMUR : TwemproxyHash.FNV1A_64 }), image: 'registry.example.com/twemproxy:0.5.0', upstreams: ['10.0.0.5:6379'] })],
  ['Adapter.nginxExporter: statusPort', (c, w, v) => Adapter.nginxExporter(c, 'exporter', { workload: w, statusPort: v ? 8082 : 8081 })],
  ['Adapter.redisExporter: redisPort', (c, w, v) => Adapter.redisExporter(c, 'exporter', { workload: w, redisPort: v ? 6380 : 6379 })],
  ['Adapter: args', (c, w, v) => new Adapter(c, 'adapter', { workload: w, image: 'registry.example.com/exporter:1.0', port: 9100, args: [v ? '--b' : '--a'] })],
  ['DebugSidecar: image', (c, w, v) => new DebugSidecar(c, 'debug', { workload: w, image: v ? 'busybox:1.36.0' : 'busybox:1.36.1' })],
];

describe('config changes roll the pods', () => {
  test.each(HELPERS)('GIVEN %s changed THEN the pod template changes', (_, attach) => {
    const a = render(attach, 0);
    const b = render(attach, 1);
    expect(JSON.stringify(b.template)).not.toBe(JSON.stringify(a.template));
  });

  test.each(HELPERS.filter(([, attach]) => render(attach, 0).configMaps.length > 0))('GIVEN %s THEN each generated ConfigMap\'s change shows in the pod template\'s annotations', (_, attach) => {
    const a = render(attach, 0);
    const b = render(attach, 1);
    expect(a.configMaps.map((m) => JSON.stringify(m.data))).not.toEqual(b.configMaps.map((m) => JSON.stringify(m.data)));
    // the annotations alone differ: a rollout is triggered even if nothing else in the template changed
    expect(a.annotations).not.toEqual(b.annotations);
    const hashKeys = Object.keys(a.annotations).filter((k) => k.endsWith('-sha256'));
    expect(hashKeys).toHaveLength(a.configMaps.length);
  });

  test('the agent\'s hash is the SHA-256 of its ConfigMap\'s data', () => {
    const a = render(HELPERS[1][1], 0);
    expect(a.annotations[logAgentConfigHashAnnotation('fluent-bit')]).toBe(configDataHash(a.configMaps[0].data));
  });

  test('negative control: the same props render the same template', () => {
    for (const [, attach] of HELPERS) expect(JSON.stringify(render(attach, 0).template)).toBe(JSON.stringify(render(attach, 0).template));
  });
});
