import fc from 'fast-check';
import { EmptyDirMedium, HostPathType, PortProtocol, SharedVolumeContainerOptions, SharedVolumePod, SharedVolumePodProps } from '../../lib';
import { Hardening } from '../../lib/_pod/security';
import {
  absolutePath, argv, bad, constructId, containerSecurity, Corruptor, corrupted, deepFreeze, dnsLabel,
  envMap, expectedLevel, expectRejected, expectValidSynth, fuzzParams, newApp, patternPodCorruptors,
  patternPodProps, pinnedImage, port, portName, resources, setIn, sizeLimitSize, version, Version,
} from './arbitraries';

/** A SharedVolumePod to build: the target version, the ids on its path and its props (plain data). */
interface Spec {
  readonly version: Version;
  readonly chartId: string;
  readonly id: string;
  readonly props: SharedVolumePodProps;
}

const HOST_PATH_TYPES = Object.values(HostPathType);

const containerArb: fc.Arbitrary<SharedVolumeContainerOptions> = fc.record({
  name: dnsLabel(),
  image: pinnedImage(),
  command: argv(1),
  args: argv(),
  env: envMap(),
  ports: fc.array(fc.record({
    number: port(),
    name: portName(),
    protocol: fc.constantFrom(...Object.values(PortProtocol)),
    hostPort: port(),
  }, { requiredKeys: ['number'] }), { maxLength: 3 }),
  workingDir: absolutePath(),
  resources: resources(),
  securityContext: containerSecurity(),
  writablePaths: fc.uniqueArray(absolutePath(), { maxLength: 3 }),
  mountPath: absolutePath(),
  readOnly: fc.boolean(),
  runsToCompletion: fc.boolean(),
}, { requiredKeys: ['name', 'image', 'mountPath'] });

/**
 * Makes generated containers agree with each other as the documentation requires: ports unique in
 * the pod (one network namespace) and port names in their container, host ports unique in the
 * pod, no writable path where the shared volume is mounted, one container that keeps running.
 */
function agree(containers: SharedVolumeContainerOptions[]): SharedVolumeContainerOptions[] {
  const bound = new Set<string>();
  const hostBound = new Set<string>();
  const out = containers.map((c) => {
    const names = new Set<string>();
    const ports = (c.ports ?? []).flatMap((p) => {
      const key = `${p.number}/${p.protocol ?? 'TCP'}`;
      if (bound.has(key)) return [];
      bound.add(key);
      let q = { ...p };
      if (q.name !== undefined) {
        if (names.has(q.name)) {
          const { name: _n, ...rest } = q;
          q = rest;
        } else names.add(q.name);
      }
      if (q.hostPort !== undefined) {
        const hkey = `${q.hostPort}/${q.protocol ?? 'TCP'}`;
        if (hostBound.has(hkey)) {
          const { hostPort: _h, ...rest } = q;
          q = rest;
        } else hostBound.add(hkey);
      }
      return [q];
    });
    const writablePaths = c.writablePaths?.filter((p) => p !== c.mountPath);
    return { ...c, ports, ...(writablePaths ? { writablePaths } : {}) };
  });
  if (out.every((c) => c.runsToCompletion)) out[out.length - 1] = { ...out[out.length - 1], runsToCompletion: false };
  return out;
}

const volumeArb = fc.oneof(
  fc.record({ emptyDirMedium: fc.constant(EmptyDirMedium.MEMORY), emptyDirSizeLimit: sizeLimitSize() }, { requiredKeys: [] }),
  fc.record({ hostPath: absolutePath(), hostPathType: fc.constantFrom(...HOST_PATH_TYPES) }, { requiredKeys: ['hostPath'] }),
);

const propsArb: fc.Arbitrary<SharedVolumePodProps> = fc.tuple(
  fc.uniqueArray(containerArb, { selector: (c) => c.name, minLength: 1, maxLength: 4 }).map(agree),
  patternPodProps(),
  fc.record({ volumeName: dnsLabel() }, { requiredKeys: [] }),
  volumeArb,
).map(([containers, pod, name, volume]) => ({ containers, ...pod, ...name, ...volume }));

const specArb: fc.Arbitrary<Spec> = fc.record({ version: version(), chartId: constructId(), id: constructId(), props: propsArb });

function build(s: Spec) {
  const { app, chart } = newApp(s.version, s.chartId);
  new SharedVolumePod(chart, s.id, s.props);
  return app;
}

const hasHostPort = (p: SharedVolumePodProps) => p.containers.some((c) => (c.ports ?? []).some((x) => x.hostPort !== undefined));
const capabilitiesOf = (p: SharedVolumePodProps) => p.containers.flatMap((c) => c.securityContext?.addCapabilities ?? []);

describe('SharedVolumePod (property-based)', () => {
  test('random valid props synthesize to schema-valid, Pod-Security-conforming, deterministic YAML', () => {
    fc.assert(fc.property(specArb, (spec) => {
      deepFreeze(spec);
      // WHEN built and synthesized (twice, and once more from the same spec)
      const { pods } = expectValidSynth(() => build(spec));
      // THEN the one pod holds every container and declares the level its opt-ins need
      expect(pods).toHaveLength(1);
      const { spec: pod, declared } = pods[0];
      const rendered = [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => c.name).sort();
      expect(rendered).toEqual(spec.props.containers.map((c) => c.name).sort());
      const level = expectedLevel({
        hardening: spec.props.hardening,
        hostPath: spec.props.hostPath !== undefined,
        hostPort: hasHostPort(spec.props),
        capabilities: capabilitiesOf(spec.props),
      });
      expect(declared).toBe(level);
      const optIns = spec.props.hardening === Hardening.NONE || spec.props.hostPath !== undefined || hasHostPort(spec.props) || capabilitiesOf(spec.props).length > 0;
      if (!optIns) expect(declared).toBe('restricted');
    }), fuzzParams(3));
  });

  const container = (s: Spec) => fc.nat({ max: s.props.containers.length - 1 });
  const c = (i: number) => `containers[${i}]`;
  const corruptors: ReadonlyArray<Corruptor<Spec>> = [
    ...patternPodCorruptors<Spec>(),
    {
      what: 'volumeName',
      corrupt: (s) => bad('dnsLabel').map((v) => ({ spec: setIn(s, ['props', 'volumeName'], v), expected: { prop: 'volumeName', value: v, stage: 'build' } })),
    },
    {
      what: 'containers empty',
      corrupt: (s) => fc.constant({ spec: setIn(s, ['props', 'containers'], []), expected: { prop: 'containers', value: [], stage: 'build' } }),
    },
    {
      what: 'container name',
      corrupt: (s) => fc.tuple(container(s), bad('dnsLabel')).map(([i, v]) => ({ spec: setIn(s, ['props', 'containers', i, 'name'], v), expected: { prop: `${c(i)}.name`, value: v, stage: 'build' } })),
    },
    {
      what: 'duplicate container name',
      applies: (s) => s.props.containers.length > 1,
      corrupt: (s) => fc.nat({ max: s.props.containers.length - 2 }).map((i) => {
        const name = s.props.containers[i].name;
        return { spec: setIn(s, ['props', 'containers', i + 1, 'name'], name), expected: { prop: `${c(i + 1)}.name`, value: name, stage: 'build' } };
      }),
    },
    {
      what: 'container image',
      corrupt: (s) => fc.tuple(container(s), bad('image')).map(([i, v]) => ({ spec: setIn(s, ['props', 'containers', i, 'image'], v), expected: { prop: `${c(i)}.image`, value: v, stage: 'build' } })),
    },
    {
      what: 'mountPath',
      corrupt: (s) => fc.tuple(container(s), bad('absolutePath')).map(([i, v]) => ({ spec: setIn(s, ['props', 'containers', i, 'mountPath'], v), expected: { prop: `${c(i)}.mountPath`, value: v, stage: 'build' } })),
    },
    {
      what: 'workingDir',
      corrupt: (s) => fc.tuple(container(s), bad('absolutePath')).map(([i, v]) => ({ spec: setIn(s, ['props', 'containers', i, 'workingDir'], v), expected: { prop: `${c(i)}.workingDir`, value: v, stage: 'build' } })),
    },
    {
      what: 'writablePaths entry',
      corrupt: (s) => fc.tuple(container(s), bad('absolutePath')).map(([i, v]) => {
        const j = s.props.containers[i].writablePaths?.length ?? 0;
        return { spec: setIn(s, ['props', 'containers', i, 'writablePaths', j], v), expected: { prop: `${c(i)}.writablePaths[${j}]`, value: v, stage: 'build' } };
      }),
    },
    {
      what: 'duplicate writablePaths entry',
      applies: (s) => s.props.containers.some((x) => (x.writablePaths ?? []).length > 0),
      corrupt: (s) => fc.constantFrom(...s.props.containers.flatMap((x, i) => ((x.writablePaths ?? []).length > 0 ? [i] : []))).map((i) => {
        const paths = s.props.containers[i].writablePaths!;
        return { spec: setIn(s, ['props', 'containers', i, 'writablePaths', paths.length], paths[0]), expected: { prop: `${c(i)}.writablePaths[${paths.length}]`, value: paths[0], stage: 'build' } };
      }),
    },
    {
      what: 'port number',
      corrupt: (s) => fc.tuple(container(s), bad('port')).map(([i, v]) => {
        const j = s.props.containers[i].ports?.length ?? 0;
        return { spec: setIn(s, ['props', 'containers', i, 'ports', j], { number: v }), expected: { prop: `${c(i)}.ports[${j}].number`, value: v, stage: 'build' } };
      }),
    },
    {
      what: 'port name',
      corrupt: (s) => fc.tuple(container(s), bad('portName')).map(([i, v]) => {
        const j = s.props.containers[i].ports?.length ?? 0;
        return { spec: setIn(s, ['props', 'containers', i, 'ports', j], { number: 1, name: v }), expected: { prop: `${c(i)}.ports[${j}].name`, value: v, stage: 'build' } };
      }),
    },
    {
      what: 'port protocol',
      corrupt: (s) => fc.tuple(container(s), bad('protocol')).map(([i, v]) => {
        const j = s.props.containers[i].ports?.length ?? 0;
        return { spec: setIn(s, ['props', 'containers', i, 'ports', j], { number: 1, protocol: v }), expected: { prop: `${c(i)}.ports[${j}].protocol`, value: v, stage: 'build' } };
      }),
    },
    {
      what: 'hostPort',
      corrupt: (s) => fc.tuple(container(s), bad('port')).map(([i, v]) => {
        const j = s.props.containers[i].ports?.length ?? 0;
        return { spec: setIn(s, ['props', 'containers', i, 'ports', j], { number: 1, hostPort: v }), expected: { prop: `${c(i)}.ports[${j}].hostPort`, value: v, stage: 'build' } };
      }),
    },
    {
      what: 'port listed twice',
      applies: (s) => s.props.containers.some((x) => (x.ports ?? []).length > 0),
      corrupt: (s) => fc.constantFrom(...s.props.containers.flatMap((x, i) => ((x.ports ?? []).length > 0 ? [i] : []))).map((i) => {
        const ports = s.props.containers[i].ports!;
        const again = { number: ports[0].number, protocol: ports[0].protocol };
        return { spec: setIn(s, ['props', 'containers', i, 'ports', ports.length], again), expected: { prop: `${c(i)}.ports[${ports.length}].number`, value: again.number, stage: 'build' } };
      }),
    },
    {
      what: 'env name',
      corrupt: (s) => fc.tuple(container(s), bad('envName')).map(([i, v]) => ({ spec: setIn(s, ['props', 'containers', i, 'env', v], 'x'), expected: { prop: `${c(i)}.env`, value: v, stage: 'build' } })),
    },
    {
      what: 'resource quantity',
      corrupt: (s) => fc.tuple(container(s), fc.constantFrom('cpu', 'memory'), fc.constantFrom('request', 'limit')).chain(([i, r, k]) => bad(r).map((v) => ({
        spec: setIn(s, ['props', 'containers', i, 'resources', r, k], v), expected: { prop: `${c(i)}.resources.${r}.${k}`, value: v, stage: 'build' as const },
      }))),
    },
    {
      what: 'container user or group id',
      corrupt: (s) => fc.tuple(container(s), fc.constantFrom('runAsUser', 'runAsGroup'), bad('userId')).map(([i, k, v]) => ({
        spec: setIn(s, ['props', 'containers', i, 'securityContext', k], v), expected: { prop: `${c(i)}.securityContext.${k}`, value: v, stage: 'build' },
      })),
    },
    {
      what: 'container runs as root',
      corrupt: (s) => container(s).map((i) => ({
        spec: setIn(s, ['props', 'containers', i, 'securityContext', 'runAsUser'], 0), expected: { prop: `${c(i)}.securityContext.runAsUser`, value: 0, stage: 'build' },
      })),
    },
    {
      what: 'capability',
      corrupt: (s) => fc.tuple(container(s), bad('capability')).map(([i, v]) => {
        const j = s.props.containers[i].securityContext?.addCapabilities?.length ?? 0;
        return { spec: setIn(s, ['props', 'containers', i, 'securityContext', 'addCapabilities', j], v), expected: { prop: `${c(i)}.securityContext.addCapabilities[${j}]`, value: v, stage: 'build' } };
      }),
    },
    {
      what: 'every container runs to completion',
      corrupt: (s) => fc.constant({
        spec: { ...s, props: { ...s.props, containers: s.props.containers.map((x) => ({ ...x, runsToCompletion: true })) } },
        expected: { prop: 'containers', value: s.props.containers.map((x) => x.name), stage: 'build' as const },
      }),
    },
    {
      what: 'emptyDirSizeLimit',
      applies: (s) => s.props.hostPath === undefined,
      corrupt: (s) => bad('sizeLimitSize').map((v) => ({ spec: setIn(s, ['props', 'emptyDirSizeLimit'], v), expected: { prop: 'emptyDirSizeLimit', value: v, stage: 'build' } })),
    },
    {
      what: 'emptyDirMedium',
      applies: (s) => s.props.hostPath === undefined,
      corrupt: (s) => fc.constantFrom('Disk', 'memory', 'HugePages').map((v) => ({ spec: setIn(s, ['props', 'emptyDirMedium'], v), expected: { prop: 'emptyDirMedium', value: v, stage: 'build' } })),
    },
    {
      what: 'hostPath',
      applies: (s) => s.props.emptyDirMedium === undefined && s.props.emptyDirSizeLimit === undefined,
      corrupt: (s) => bad('absolutePath').map((v) => ({ spec: setIn(s, ['props', 'hostPath'], v), expected: { prop: 'hostPath', value: v, stage: 'build' } })),
    },
    {
      what: 'hostPath with emptyDir settings',
      applies: (s) => s.props.emptyDirMedium !== undefined || s.props.emptyDirSizeLimit !== undefined,
      corrupt: (s) => absolutePath().map((v) => ({ spec: setIn(s, ['props', 'hostPath'], v), expected: { prop: 'hostPath', value: v, stage: 'build' } })),
    },
    {
      what: 'hostPathType without hostPath',
      applies: (s) => s.props.hostPath === undefined,
      corrupt: (s) => fc.constantFrom(...HOST_PATH_TYPES).map((v) => ({ spec: setIn(s, ['props', 'hostPathType'], v), expected: { prop: 'hostPathType', value: v, stage: 'build' } })),
    },
    {
      what: 'hostPathType',
      applies: (s) => s.props.hostPath !== undefined,
      corrupt: (s) => fc.constantFrom('directory', 'Dir', 'Pipe').map((v) => ({ spec: setIn(s, ['props', 'hostPathType'], v), expected: { prop: 'hostPathType', value: v, stage: 'build' } })),
    },
  ];

  test('random invalid props (one field corrupted) fail before any output, naming the path, the prop, the value and what is expected', () => {
    fc.assert(fc.property(corrupted(specArb, corruptors), ({ spec, expected }) => {
      deepFreeze(spec);
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, ...expected });
    }), fuzzParams(8));
  });
});
