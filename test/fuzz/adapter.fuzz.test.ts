import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { Adapter } from '../../lib';
import {
  DEFAULT_REDIS_PORT, DEFAULT_STUB_STATUS_PORT, NGINX_EXPORTER_PORT, PROMETHEUS_ANNOTATIONS, REDIS_EXPORTER_PORT,
} from '../../lib/adapter';
import { podMetadataOf } from '../../lib/_pod/inject';
import {
  argv, bad, buildHelperBase, charOf, Corruptor, corrupted, deepFreeze, dnsLabel, envMap, expectHelperPod, expectRejected,
  expectValidSynth, FILE_SEED, fuzzParams, HELPER_PROPS_GAP, HelperBase, helperBase, helperCorruptors, pinnedImage, port,
  portName, runsToCompletion, setField, setIn, stringOf, workloadPath,
} from './arbitraries';

type Variant = 'generic' | 'nginx' | 'redis';

/** An Adapter to build: which constructor, its own props (plain data), and whether the workload has a Service. */
interface Spec extends HelperBase {
  readonly variant: Variant;
  readonly props: Record<string, any>;
  readonly service: boolean;
}

/** The Service's own port, which the adapter's must not take. */
const SERVICE_PORT = { name: 'web', port: 80 };

/** An HTTP path as the adapter documents it. */
const httpPath = () => fc.tuple(stringOf('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%:@!&*+,=', 0, 20), charOf('abc'))
  .map(([p, c]) => `/${p}${c}`);

const common = {
  // the nginx preset names its stub_status volume "<name>-stub-status", a DNS label: at most 51 characters
  name: dnsLabel(63 - '-stub-status'.length),
  env: envMap(),
  portName: portName(),
  path: httpPath(),
  prometheusAnnotations: fc.boolean(),
  servicePort: port(),
};

const propsOf: Record<Variant, fc.Arbitrary<Record<string, any>>> = {
  generic: fc.record({ ...common, image: pinnedImage(), port: port(), command: argv(1), args: argv(), startupProbe: fc.boolean() }, { requiredKeys: ['image', 'port'] }),
  nginx: fc.record({ ...common, image: pinnedImage(), port: port(), statusPort: port(), statusPath: httpPath(), connectRetries: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }, { requiredKeys: [] }),
  redis: fc.record({ ...common, image: pinnedImage(), port: port(), redisPort: port() }, { requiredKeys: [] }),
};

/** The adapter's resolved container name, port and Service port. */
function resolved(s: Spec) {
  const p = s.props;
  const name = p.name ?? { generic: 'adapter', nginx: 'nginx-exporter', redis: 'redis-exporter' }[s.variant];
  const port: number = p.port ?? { generic: 0, nginx: NGINX_EXPORTER_PORT, redis: REDIS_EXPORTER_PORT }[s.variant];
  return { name, port, portName: p.portName ?? 'metrics', path: p.path ?? '/metrics', servicePort: p.servicePort ?? port };
}

/** As documented: the adapter's name and ports are its own in the pod and the Service; servicePort needs a Service. */
function consistent(s: Spec): boolean {
  const r = resolved(s);
  const p = s.props;
  if (r.name === s.workload.appName || r.port === s.workload.appPort) return false;
  if (s.variant === 'nginx' && [r.port, s.workload.appPort].includes(p.statusPort ?? DEFAULT_STUB_STATUS_PORT)) return false;
  if (s.variant === 'redis' && (p.redisPort ?? DEFAULT_REDIS_PORT) === r.port) return false;
  if (!s.service) return p.servicePort === undefined;
  return r.portName !== SERVICE_PORT.name && r.servicePort !== SERVICE_PORT.port;
}

const specArb: fc.Arbitrary<Spec> = helperBase({ nativeForCompletion: true })
  .chain((b) => fc.record({
    variant: fc.constantFrom<Variant>('generic', 'nginx', 'redis'),
    service: runsToCompletion(b.workload) ? fc.constant(false) : fc.boolean(),
  }).chain((v) => propsOf[v.variant].map((props) => ({ ...b, ...v, props }))))
  .filter(consistent);

function build(s: Spec) {
  const { app, chart, workload } = buildHelperBase(s);
  const service = s.service
    ? new kplus.Service(chart, 'svc', { selector: workload, ports: [{ ...SERVICE_PORT, targetPort: s.workload.appPort ?? 8080 }] })
    : undefined;
  const props: any = { ...s.props, ...s.helper, workload, ...(service ? { service } : {}) };
  if (s.variant === 'generic') new Adapter(chart, s.id, props);
  else if (s.variant === 'nginx') Adapter.nginxExporter(chart, s.id, props);
  else Adapter.redisExporter(chart, s.id, props);
  return app;
}

describe('Adapter (property-based)', () => {
  test('random valid props on any workload synthesize to schema-valid, Pod-Security-conforming, deterministic YAML', () => {
    fc.assert(fc.property(specArb, (spec) => {
      deepFreeze(spec);
      // WHEN built and synthesized (twice, and once more from the same spec)
      const { pods, objects } = expectValidSynth(() => build(spec));
      // THEN the adapter sits in the workload's pod and declares what it needs
      const r = resolved(spec);
      const pod = expectHelperPod(spec, pods, [r.name]);
      const adapter = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c: any) => c.name === r.name);
      expect(adapter.ports).toEqual([{ containerPort: r.port, name: r.portName, protocol: 'TCP' }]);
      // AND announces itself to Prometheus unless told not to
      const annotations = podMetadataOf(pod.manifest)?.annotations ?? {};
      if (spec.props.prometheusAnnotations === false) expect(annotations[PROMETHEUS_ANNOTATIONS.scrape]).toBeUndefined();
      else expect(annotations).toMatchObject({ [PROMETHEUS_ANNOTATIONS.port]: String(r.port), [PROMETHEUS_ANNOTATIONS.path]: r.path });
      // AND its port is on the Service
      if (spec.service) {
        const svc = objects.find((o) => o.manifest.kind === 'Service' && o.manifest.spec.ports.some((p: any) => p.name === SERVICE_PORT.name))!.manifest;
        expect(svc.spec.ports).toContainEqual({ name: r.portName, port: r.servicePort, targetPort: r.port, protocol: 'TCP' });
      }
    }), fuzzParams(3));
  });

  const P = 'props';
  const is = (...v: Variant[]) => (s: Spec) => v.includes(s.variant);
  const corruptors: ReadonlyArray<Corruptor<Spec>> = [
    ...helperCorruptors<Spec>(),
    setField<Spec>('name', [P, 'name'], 'name', bad('dnsLabel')),
    { what: 'name of the app container', corrupt: (s) => fc.constant({ spec: setIn(s, [P, 'name'], s.workload.appName), expected: { prop: 'name', value: s.workload.appName, stage: 'build' } }) },
    setField<Spec>('image', [P, 'image'], 'image', bad('image')),
    { what: 'env name', corrupt: (s) => bad('envName').map((v) => ({ spec: setIn(s, [P, 'env', v], 'x'), expected: { prop: 'env', value: v, stage: 'build' } })) },
    setField<Spec>('port', [P, 'port'], 'port', bad('port')),
    setField<Spec>('portName', [P, 'portName'], 'portName', bad('portName')),
    setField<Spec>('path', [P, 'path'], 'path', fc.constantFrom('', 'metrics', '/a b', '/x?y', '/$x', '/a;b', '/"q"')),
    setField<Spec>('prometheusAnnotations', [P, 'prometheusAnnotations'], 'prometheusAnnotations', fc.constantFrom('yes', 1)),
    setField<Spec>('startupProbe', [P, 'startupProbe'], 'startupProbe', fc.constantFrom('yes', 0), is('generic')),
    setField<Spec>('command', [P, 'command'], 'command', fc.constantFrom('run', [1]), is('generic')),
    setField<Spec>('args', [P, 'args'], 'args', fc.constantFrom('--flag', [null]), is('generic')),
    setField<Spec>('servicePort', [P, 'servicePort'], 'servicePort', bad('port'), (s) => s.service),
    setField<Spec>('servicePort without service', [P, 'servicePort'], 'servicePort', port(), (s) => !s.service),
    {
      what: 'regular sidecar on a workload that runs to completion',
      applies: (s) => runsToCompletion(s.workload),
      corrupt: (s) => fc.constantFrom(false, undefined).map((v) => ({ spec: setIn(s, ['helper', 'nativeSidecar'], v), expected: { prop: 'nativeSidecar', value: false, stage: 'build' } })),
    },
    setField<Spec>('statusPort', [P, 'statusPort'], 'statusPort', bad('port'), is('nginx')),
    { what: 'statusPort of the exporter', applies: is('nginx'), corrupt: (s) => fc.constant(resolved(s).port).map((v) => ({ spec: setIn(s, [P, 'statusPort'], v), expected: { prop: 'statusPort', value: v, stage: 'build' } })) },
    {
      what: 'statusPort of the app',
      applies: (s) => s.variant === 'nginx' && s.workload.appPort !== undefined,
      corrupt: (s) => fc.constant(s.workload.appPort).map((v) => ({ spec: setIn(s, [P, 'statusPort'], v), expected: { prop: 'statusPort', value: v, stage: 'build' } })),
    },
    setField<Spec>('statusPath', [P, 'statusPath'], 'statusPath', fc.constantFrom('', 'status', '/a b', '/$x'), is('nginx')),
    setField<Spec>('connectRetries', [P, 'connectRetries'], 'connectRetries', fc.constantFrom(-1, 1.5, 2 ** 31), is('nginx')),
    setField<Spec>('redisPort', [P, 'redisPort'], 'redisPort', bad('port'), is('redis')),
    { what: 'redisPort of the exporter', applies: is('redis'), corrupt: (s) => fc.constant(resolved(s).port).map((v) => ({ spec: setIn(s, [P, 'redisPort'], v), expected: { prop: 'redisPort', value: v, stage: 'build' } })) },
    {
      what: 'port of the app (a pod-wide conflict: named by the workload at synth)',
      applies: (s) => s.workload.appPort !== undefined,
      corrupt: (s) => fc.constant(s.workload.appPort!).map((v) => ({
        spec: setIn(s, [P, 'port'], v),
        // the later of the two concurrent containers is named: the app after a native sidecar, the adapter after the app
        expected: { prop: s.helper.nativeSidecar ? 'containers[0].ports[0].containerPort' : 'containers[1].ports[0].containerPort', value: v, stage: 'synth', path: workloadPath(s) },
      })),
    },
  ];

  test('random invalid props (one field corrupted) fail before any output, naming the path, the prop, the value and what is expected', () => {
    fc.assert(fc.property(corrupted(specArb, corruptors), ({ spec, expected }) => {
      deepFreeze(spec);
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, ...expected });
    }), fuzzParams(8));
  });

  test('rejects bad shared helper props resources and securityContext when built (HELPER_PROPS_GAP)', () => {
    const base = fc.sample(specArb.filter((s) => s.variant === 'generic'), { numRuns: 1, seed: FILE_SEED })[0];
    for (const gap of HELPER_PROPS_GAP) {
      const spec = { ...base, helper: { ...base.helper, ...gap.helper } };
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, prop: gap.prop, value: gap.value, stage: 'build' });
    }
  });
});
