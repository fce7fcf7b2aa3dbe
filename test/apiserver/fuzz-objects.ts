/**
 * Objects from the property-based generators, for the API server: random user workloads of every
 * kind (test/fuzz/arbitraries.ts: helperBase, buildHelperBase) with one random helper attached
 * (DebugSidecar, LogSidecar, ProxyAmbassador, Adapter), synthesized through the library's synth
 * path in memory. A generated app the library refuses (two random names that collide, say) is
 * dropped and counted: the claim under test is that what the library accepts, the server admits.
 *
 * As a script it prints the objects as YAML documents:
 *   npx ts-node --transpile-only test/apiserver/fuzz-objects.ts [COUNT] [SEED] > objects.yaml
 */
import fc from 'fast-check';
import { Adapter, DebugSidecar, HaproxyMode, LogShipping, LogSidecar, ProxyAmbassador, ProxyBackend } from '../../lib';
import { kubernetesVersionOf } from '../../lib/_pod/version';
import { synthToMemory } from '../../lib/synth';
import { argv, buildHelperBase, capabilities, dnsLabel, HelperBase, helperBase, pinnedImage } from '../fuzz/arbitraries';

type Helper = 'debug' | 'log' | 'proxy' | 'adapter-redis' | 'adapter-nginx';

interface Spec extends HelperBase {
  readonly helperKind: Helper;
  readonly props: Record<string, any>;
}

const propsOf: Record<Helper, fc.Arbitrary<Record<string, any>>> = {
  'debug': fc.record({ name: dnsLabel(20), image: pinnedImage(), command: argv(1), addCapabilities: capabilities() }, { requiredKeys: [] }),
  'log': fc.record({
    logDirectory: fc.constantFrom('/var/log/app', '/srv/logs', '/data/log'),
    logFiles: fc.uniqueArray(fc.constantFrom('app.log', 'access.log', 'error.log', 'audit.log'), { minLength: 1, maxLength: 3 }),
    shipping: fc.constantFrom('streaming', 'agent'),
  }, { requiredKeys: ['logDirectory', 'logFiles'] }),
  'proxy': fc.record({
    listenPort: fc.integer({ min: 20000, max: 29999 }),
    upstreams: fc.uniqueArray(fc.constantFrom('redis-a.cache.svc:6379', 'redis-b.cache.svc:6379', '10.0.0.7:6379'), { minLength: 1, maxLength: 3 }),
    mode: fc.constantFrom(HaproxyMode.TCP, HaproxyMode.HTTP),
  }).map(({ mode, ...props }) => ({ ...props, backend: ProxyBackend.haproxy({ mode }) })),
  'adapter-redis': fc.record({ port: fc.integer({ min: 30000, max: 30999 }) }, { requiredKeys: [] }),
  'adapter-nginx': fc.record({ port: fc.integer({ min: 31000, max: 31999 }) }, { requiredKeys: [] }),
};

const specArb: fc.Arbitrary<Spec> = helperBase({ nativeForCompletion: true })
  .chain((b) => fc.constantFrom<Helper>('debug', 'log', 'proxy', 'adapter-redis', 'adapter-nginx')
    .chain((helperKind) => propsOf[helperKind].map((props) => ({ ...b, helperKind, props }))));

function build(s: Spec) {
  const { app, chart, workload } = buildHelperBase(s);
  const common: any = { ...s.helper, workload };
  switch (s.helperKind) {
    case 'debug': new DebugSidecar(chart, s.id, { ...s.props, ...common }); break;
    case 'log': {
      const { shipping, ...rest } = s.props;
      const ship = shipping === undefined ? {} : { shipping: shipping === 'agent' ? LogShipping.fluentBit() : LogShipping.streaming() };
      new LogSidecar(chart, s.id, { ...rest, ...ship, ...common } as any);
      break;
    }
    case 'proxy': new ProxyAmbassador(chart, s.id, { ...s.props, ...common }); break;
    case 'adapter-redis': Adapter.redisExporter(chart, s.id, { ...s.props, ...common }); break;
    case 'adapter-nginx': Adapter.nginxExporter(chart, s.id, { ...s.props, ...common }); break;
  }
  return app;
}

/** One generated object, with the app it came from and its chart's target Kubernetes version. */
export interface FuzzObject {
  readonly source: string;
  readonly version: string;
  readonly manifest: any;
}

/**
 * Generates apps until `count` objects are collected (seeded: the same seed gives the same objects).
 * Returns the objects, how many apps were synthesized and how many the library refused.
 */
export function fuzzObjects(count: number, seed: number): { objects: FuzzObject[]; apps: number; refused: number } {
  const objects: FuzzObject[] = [];
  let apps = 0;
  let refused = 0;
  let batch = 0;
  while (objects.length < count) {
    for (const spec of fc.sample(specArb, { numRuns: 50, seed: seed + batch++ })) {
      if (objects.length >= count) break;
      let charts;
      try {
        charts = synthToMemory(build(spec)).charts;
      } catch {
        refused++;
        continue;
      }
      apps++;
      for (const c of charts) {
        const version = kubernetesVersionOf(c.chart);
        for (const o of c.objects) objects.push({ source: `fuzz app ${apps} (seed ${seed}, ${spec.helperKind} on ${spec.workload.kind})`, version, manifest: o.manifest });
      }
    }
    if (batch > 100) throw new Error(`fuzzObjects: only ${objects.length} objects after ${batch} batches (${refused} apps refused)`);
  }
  return { objects, apps, refused };
}

if (require.main === module) {
  const { stringify } = require('yaml');
  const count = Number(process.argv[2] ?? 300);
  const seed = Number(process.argv[3] ?? 1);
  const { objects } = fuzzObjects(count, seed);
  process.stdout.write(objects.map((o) => `# ${o.source}, Kubernetes ${o.version}\n${stringify(o.manifest)}`).join('---\n'));
}
