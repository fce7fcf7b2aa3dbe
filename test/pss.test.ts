/**
 * The Pod Security Standards checker against the Kubernetes project's own Pod Security Admission
 * test cases (test/fixtures/psa, see its README for source and licence), plus a few specifics.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { checkPodSecurity, PSS_LEVELS, PssLevel, strictestPassingLevel } from '../lib/_pod/pss';

const FIXTURES = path.join(__dirname, 'fixtures', 'psa', 'v1.27');

/** Every upstream check id of the 1.27 policy. */
const CHECK_IDS = [
  'allowPrivilegeEscalation', 'appArmorProfile', 'capabilities_baseline', 'capabilities_restricted',
  'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'privileged', 'procMount', 'restrictedVolumes',
  'runAsNonRoot', 'runAsUser', 'seccompProfile_baseline', 'seccompProfile_restricted', 'seLinuxOptions',
  'sysctls', 'windowsHostProcess',
];

/**
 * At restricted, these baseline checks are replaced by the restricted check of the same field
 * (upstream's OverrideCheckIDs), so their test cases fail under the restricted id.
 */
const RESTRICTED_OVERRIDES: Record<string, string> = {
  capabilities_baseline: 'capabilities_restricted',
  seccompProfile_baseline: 'seccompProfile_restricted',
};

interface Fixture {
  readonly level: 'baseline' | 'restricted';
  readonly outcome: 'pass' | 'fail';
  readonly file: string;
  readonly pod: { metadata?: any; spec?: any };
}

function load(level: Fixture['level'], outcome: Fixture['outcome']): Fixture[] {
  const dir = path.join(FIXTURES, level, outcome);
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ level, outcome, file, pod: parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/** The check a fail/ file exercises, from its name (`hostpathvolumes0.yaml` -> `hostPathVolumes`). */
function expectedCheck(f: Fixture): string | undefined {
  const prefix = f.file.replace(/\d*\.yaml$/, '');
  const id = CHECK_IDS.find((c) => c.toLowerCase() === prefix);
  if (id === undefined) return undefined;
  return f.level === 'restricted' ? (RESTRICTED_OVERRIDES[id] ?? id) : id;
}

const ALL = {
  baseline: { pass: load('baseline', 'pass'), fail: load('baseline', 'fail') },
  restricted: { pass: load('restricted', 'pass'), fail: load('restricted', 'fail') },
};
const row = (f: Fixture): [string, Fixture] => [f.file, f];

describe('the Kubernetes 1.27 Pod Security Admission test cases', () => {
  test('are all present in the repository (pinned upstream commit: 11 + 29 baseline, 17 + 69 restricted files)', () => {
    // GIVEN the in-repo copy of the fixtures
    // THEN no file went missing, so the per-file tests below cover them all
    expect(ALL.baseline.pass).toHaveLength(11);
    expect(ALL.baseline.fail).toHaveLength(29);
    expect(ALL.restricted.pass).toHaveLength(17);
    expect(ALL.restricted.fail).toHaveLength(69);
  });

  test('name only known checks, so every fail file is matched to its check id', () => {
    // GIVEN every fail file
    const unmatched = [...ALL.baseline.fail, ...ALL.restricted.fail].filter((f) => expectedCheck(f) === undefined);
    // THEN each file name maps to an upstream check id
    expect(unmatched.map((f) => `${f.level}/${f.file}`)).toEqual([]);
  });

  describe.each(['baseline', 'restricted'] as const)('at %s', (level) => {
    test.each(ALL[level].pass.map(row))('pass/%s is accepted with no violations', (_file, f) => {
      // GIVEN a pod upstream accepts at this level
      const fixture = f;
      // WHEN it is checked
      const violations = checkPodSecurity(fixture.level, fixture.pod);
      // THEN nothing is reported
      expect(violations).toEqual([]);
    });

    test.each(ALL[level].fail.map(row))('fail/%s is rejected by the check its name names', (_file, f) => {
      // GIVEN a pod upstream rejects at this level
      const fixture = f;
      // WHEN it is checked
      const violations = checkPodSecurity(fixture.level, fixture.pod);
      // THEN at least one violation is reported, among them the check the file exercises
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.map((v) => v.check)).toContain(expectedCheck(fixture));
      for (const v of violations) expect(v.message).not.toEqual('');
    });
  });

  test.each(ALL.restricted.pass.map(row))('restricted pass/%s has strictest passing level "restricted"', (_file, f) => {
    expect(strictestPassingLevel(f.pod)).toBe('restricted');
  });

  test.each(ALL.baseline.fail.map(row))('baseline fail/%s has strictest passing level "privileged"', (_file, f) => {
    expect(strictestPassingLevel(f.pod)).toBe('privileged');
  });
});

describe('checkPodSecurity', () => {
  /** A pod that passes restricted; `patch` edits a deep copy. */
  function restrictedPod(patch: (spec: any) => void = () => {}): { metadata: any; spec: any } {
    const spec: any = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'app',
        image: 'registry.k8s.io/pause',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }],
    };
    patch(spec);
    return { metadata: { name: 'p' }, spec };
  }

  test('lists the levels least to most strict', () => {
    expect(PSS_LEVELS).toEqual(['privileged', 'baseline', 'restricted']);
  });

  test('accepts anything at privileged', () => {
    // GIVEN a pod breaking many baseline checks
    const pod = restrictedPod((s) => {
      s.hostNetwork = true;
      s.containers[0].securityContext.privileged = true;
      s.volumes = [{ name: 'root', hostPath: { path: '/' } }];
    });
    // THEN privileged reports nothing, baseline reports each check once
    expect(checkPodSecurity('privileged', pod)).toEqual([]);
    expect(checkPodSecurity('baseline', pod).map((v) => v.check)).toEqual(['hostNamespaces', 'hostPathVolumes', 'privileged']);
  });

  test('names the offending container and the required value in its message', () => {
    // GIVEN a container that does not forbid privilege escalation
    const pod = restrictedPod((s) => { delete s.containers[0].securityContext.allowPrivilegeEscalation; });
    // WHEN it is checked at restricted
    const violations = checkPodSecurity('restricted', pod);
    // THEN one violation names the container and the field
    expect(violations).toEqual([{
      check: 'allowPrivilegeEscalation',
      message: 'container "app" must set securityContext.allowPrivilegeEscalation=false',
    }]);
  });

  test('names every offending container, init and ephemeral ones included, with the forbidden values', () => {
    // GIVEN capabilities added by an init, a regular and an ephemeral container
    const pod = restrictedPod((s) => {
      s.initContainers = [{ name: 'init', securityContext: { capabilities: { add: ['NET_RAW'] } } }];
      s.containers[0].securityContext.capabilities.add = ['SYS_ADMIN'];
      s.ephemeralContainers = [{ name: 'debug', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }];
    });
    // WHEN it is checked at baseline
    const violations = checkPodSecurity('baseline', pod);
    // THEN the one capabilities violation names all three containers and capabilities
    expect(violations).toEqual([{
      check: 'capabilities_baseline',
      message: 'containers "init", "app", "debug" must not include "NET_RAW", "SYS_ADMIN", "SYS_PTRACE" in securityContext.capabilities.add',
    }]);
  });

  test('reports a field once at restricted: the restricted check replaces the baseline one', () => {
    // GIVEN a container adding a capability outside the baseline set, and an Unconfined seccomp profile
    const pod = restrictedPod((s) => {
      s.containers[0].securityContext.capabilities.add = ['NET_RAW'];
      s.securityContext.seccompProfile.type = 'Unconfined';
    });
    // THEN baseline reports the baseline checks, restricted only the restricted ones
    expect(checkPodSecurity('baseline', pod).map((v) => v.check)).toEqual(['capabilities_baseline', 'seccompProfile_baseline']);
    expect(checkPodSecurity('restricted', pod).map((v) => v.check)).toEqual(['capabilities_restricted', 'seccompProfile_restricted']);
  });

  test('exempts Windows pods from the Linux-only restricted checks', () => {
    // GIVEN a Windows pod with no Linux security settings
    const pod = { spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'win' }] } };
    // THEN it passes restricted
    expect(checkPodSecurity('restricted', pod)).toEqual([]);
  });

  test('treats a pod without spec or metadata as empty', () => {
    expect(checkPodSecurity('restricted', {})).toEqual([]);
    expect(strictestPassingLevel({})).toBe('restricted');
  });

  test('rejects an unknown level', () => {
    expect(() => checkPodSecurity('strict' as PssLevel, restrictedPod())).toThrow(/unknown Pod Security level "strict"/);
  });
});

describe('strictestPassingLevel', () => {
  test('is baseline for a pod that passes baseline but not restricted', () => {
    // GIVEN a plain pod: no host access, but no hardening either
    const pod = { metadata: { name: 'plain' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
    // WHEN its level is computed
    // THEN it is baseline, and restricted names what is missing for container "app"
    expect(strictestPassingLevel(pod)).toBe('baseline');
    expect(checkPodSecurity('restricted', pod)).toEqual([
      { check: 'allowPrivilegeEscalation', message: 'container "app" must set securityContext.allowPrivilegeEscalation=false' },
      { check: 'capabilities_restricted', message: 'container "app" must set securityContext.capabilities.drop=["ALL"]' },
      { check: 'runAsNonRoot', message: 'pod or container "app" must set securityContext.runAsNonRoot=true' },
      {
        check: 'seccompProfile_restricted',
        message: 'pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      },
    ]);
  });

  test('is privileged for a pod using a hostPath volume', () => {
    const pod = { spec: { containers: [{ name: 'app' }], volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] } };
    expect(strictestPassingLevel(pod)).toBe('privileged');
    expect(checkPodSecurity('baseline', pod)).toEqual([{ check: 'hostPathVolumes', message: 'volume "logs" must not use hostPath' }]);
  });
});
