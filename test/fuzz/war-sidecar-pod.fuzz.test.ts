import fc from 'fast-check';
import { WarSidecarPod, WarSidecarPodProps } from '../../lib';
import { Hardening } from '../../lib/_pod/security';
import { DEFAULT_APP_SERVER_IMAGE, TOMCAT_HOME, TOMCAT_WRITABLE_PATHS } from '../../lib/war-sidecar-pod';
import {
  absolutePath, argv, bad, constructId, containerSecurity, Corruptor, corrupted, deepFreeze, dnsLabel, expectedLevel,
  expectRejected, expectValidSynth, fuzzParams, newApp, patternPodCorruptors, patternPodProps, pinnedImage, port,
  resources, setField, setIn, version, Version,
} from './arbitraries';

/** A WarSidecarPod to build: the target version, the ids on its path and its props (plain data). */
interface Spec {
  readonly version: Version;
  readonly chartId: string;
  readonly id: string;
  readonly props: WarSidecarPodProps;
}

const DEFAULT_WEBAPPS = `${TOMCAT_HOME}/webapps`;

/** The resolved names, webapps path and writable paths of some props (the documented defaults). */
function resolved(p: WarSidecarPodProps) {
  const appImage = p.appImage ?? DEFAULT_APP_SERVER_IMAGE;
  return {
    artifactName: p.artifactContainerName ?? 'war',
    appName: p.appContainerName ?? 'tomcat',
    webappsPath: p.webappsPath ?? DEFAULT_WEBAPPS,
    writablePaths: p.writablePaths ?? (appImage === DEFAULT_APP_SERVER_IMAGE ? [...TOMCAT_WRITABLE_PATHS] : []),
  };
}

const propsArb: fc.Arbitrary<WarSidecarPodProps> = fc.tuple(
  fc.record({
    artifactImage: pinnedImage(),
    artifactPath: absolutePath(),
    copyDestination: absolutePath(),
    appImage: fc.oneof(fc.constant(DEFAULT_APP_SERVER_IMAGE), pinnedImage()),
    webappsPath: fc.oneof(fc.constant(DEFAULT_WEBAPPS), absolutePath()),
    startCommand: argv(1),
    containerPort: port(),
    hostPort: port(),
    writablePaths: fc.uniqueArray(fc.oneof(fc.constantFrom(...TOMCAT_WRITABLE_PATHS), absolutePath()), { maxLength: 4 }),
    appResources: resources(),
    appSecurityContext: containerSecurity(),
    artifactContainerName: dnsLabel(),
    appContainerName: dnsLabel(),
  }, { requiredKeys: ['artifactImage', 'artifactPath'] }),
  patternPodProps(),
).map(([war, pod]) => ({ ...war, ...pod }))
  // as documented: the two containers have different names, and webappsPath is not also a writable path
  .filter((p) => {
    const r = resolved(p);
    return r.artifactName !== r.appName && !r.writablePaths.includes(r.webappsPath);
  });

const specArb: fc.Arbitrary<Spec> = fc.record({ version: version(), chartId: constructId(), id: constructId(), props: propsArb });

function build(s: Spec) {
  const { app, chart } = newApp(s.version, s.chartId);
  new WarSidecarPod(chart, s.id, s.props);
  return app;
}

describe('WarSidecarPod (property-based)', () => {
  test('random valid props synthesize to schema-valid, Pod-Security-conforming, deterministic YAML', () => {
    fc.assert(fc.property(specArb, (spec) => {
      deepFreeze(spec);
      // WHEN built and synthesized (twice, and once more from the same spec)
      const { pods } = expectValidSynth(() => build(spec));
      // THEN the pod copies the artifact in an init container and serves it from the app container
      expect(pods).toHaveLength(1);
      const { spec: pod, declared } = pods[0];
      const r = resolved(spec.props);
      expect(pod.initContainers.map((c: any) => c.name)).toEqual([r.artifactName]);
      expect(pod.containers.map((c: any) => c.name)).toEqual([r.appName]);
      expect(pod.initContainers[0].command).toEqual(['cp', spec.props.artifactPath, spec.props.copyDestination ?? '/app']);
      // AND declares the level its opt-ins need; restricted without any
      const caps = spec.props.appSecurityContext?.addCapabilities ?? [];
      expect(declared).toBe(expectedLevel({ hardening: spec.props.hardening, hostPort: spec.props.hostPort !== undefined, capabilities: caps }));
      if (spec.props.hardening !== Hardening.NONE && spec.props.hostPort === undefined && caps.length === 0) expect(declared).toBe('restricted');
    }), fuzzParams(3));
  });

  // The messages name the WarSidecarPod prop the user wrote (artifactImage, containerPort,
  // appResources.cpu.request, ...), not the container field it sets.
  const P = 'props';
  const corruptors: ReadonlyArray<Corruptor<Spec>> = [
    ...patternPodCorruptors<Spec>(),
    setField<Spec>('artifactImage', [P, 'artifactImage'], 'artifactImage', bad('image')),
    setField<Spec>('artifactPath', [P, 'artifactPath'], 'artifactPath', bad('absolutePath')),
    setField<Spec>('copyDestination', [P, 'copyDestination'], 'copyDestination', bad('absolutePath')),
    setField<Spec>('appImage', [P, 'appImage'], 'appImage', bad('image')),
    setField<Spec>('webappsPath', [P, 'webappsPath'], 'webappsPath', bad('absolutePath')),
    setField<Spec>('startCommand', [P, 'startCommand'], 'startCommand', bad('nonEmptyList')),
    setField<Spec>('containerPort', [P, 'containerPort'], 'containerPort', bad('port')),
    setField<Spec>('hostPort', [P, 'hostPort'], 'hostPort', bad('port')),
    setField<Spec>('artifactContainerName', [P, 'artifactContainerName'], 'artifactContainerName', bad('dnsLabel')),
    setField<Spec>('appContainerName', [P, 'appContainerName'], 'appContainerName', bad('dnsLabel')),
    {
      what: 'appContainerName equal to artifactContainerName',
      corrupt: (s) => fc.constant(resolved(s.props).artifactName).map((v) => ({ spec: setIn(s, [P, 'appContainerName'], v), expected: { prop: 'appContainerName', value: v, stage: 'build' } })),
    },
    {
      what: 'writablePaths entry',
      corrupt: (s) => bad('absolutePath').map((v) => {
        const paths = [...resolved(s.props).writablePaths, v];
        return { spec: setIn(s, [P, 'writablePaths'], paths), expected: { prop: `writablePaths[${paths.length - 1}]`, value: v, stage: 'build' } };
      }),
    },
    {
      what: 'writablePaths entry twice',
      applies: (s) => resolved(s.props).writablePaths.length > 0,
      corrupt: (s) => {
        const paths = resolved(s.props).writablePaths;
        return fc.constantFrom(...paths).map((v) => ({ spec: setIn(s, [P, 'writablePaths'], [...paths, v]), expected: { prop: `writablePaths[${paths.length}]`, value: v, stage: 'build' } }));
      },
    },
    {
      what: 'writablePaths with webappsPath',
      corrupt: (s) => {
        const paths = [...resolved(s.props).writablePaths, resolved(s.props).webappsPath];
        return fc.constant({ spec: setIn(s, [P, 'writablePaths'], paths), expected: { prop: 'writablePaths', value: paths, stage: 'build' } });
      },
    },
    ...(['cpu', 'memory'] as const).flatMap((r) => (['request', 'limit'] as const).map((k) => setField<Spec>(`appResources.${r}.${k}`, [P, 'appResources', r, k], `appResources.${r}.${k}`, bad(r)))),
    ...(['runAsUser', 'runAsGroup'] as const).map((k) => setField<Spec>(`appSecurityContext.${k}`, [P, 'appSecurityContext', k], `appSecurityContext.${k}`, bad('userId'))),
    setField<Spec>('appSecurityContext.runAsUser root', [P, 'appSecurityContext', 'runAsUser'], 'appSecurityContext.runAsUser', fc.constant(0)),
    {
      what: 'appSecurityContext.addCapabilities entry',
      corrupt: (s) => bad('capability').map((v) => {
        const j = s.props.appSecurityContext?.addCapabilities?.length ?? 0;
        return { spec: setIn(s, [P, 'appSecurityContext', 'addCapabilities', j], v), expected: { prop: `appSecurityContext.addCapabilities[${j}]`, value: v, stage: 'build' } };
      }),
    },
  ];

  test('random invalid props (one field corrupted) fail before any output, naming the path, the prop, the value and what is expected', () => {
    fc.assert(fc.property(corrupted(specArb, corruptors), ({ spec, expected }) => {
      deepFreeze(spec);
      expectRejected(() => build(spec), { path: `${spec.chartId}/${spec.id}`, ...expected });
    }), fuzzParams(8));
  });
});
