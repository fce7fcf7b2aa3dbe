/**
 * The Pod Security Standards checker against the Kubernetes project's own Pod Security Admission
 * test cases of every policy version 1.27-1.37 (test/fixtures/psa, see its README for source and
 * licence), plus what changes between versions and a few specifics.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { checkPodSecurity, PSS_LEVELS, PssLevel, strictestPassingLevel } from '../lib/_pod/pss';
import { PodSecurityLevel } from '../lib';

const FIXTURES = path.join(__dirname, 'fixtures', 'psa');

/** The policy versions with upstream test cases, and how many files each level has (pinned upstream commit). */
const VERSIONS: Record<string, { baseline: [number, number]; restricted: [number, number] }> = {
  '1.27': { baseline: [11, 29], restricted: [17, 69] },
  '1.28': { baseline: [11, 29], restricted: [17, 69] },
  '1.29': { baseline: [11, 29], restricted: [19, 69] },
  '1.30': { baseline: [11, 29], restricted: [19, 69] },
  '1.31': { baseline: [11, 29], restricted: [19, 69] },
  '1.32': { baseline: [11, 29], restricted: [19, 69] },
  '1.33': { baseline: [11, 29], restricted: [19, 69] },
  '1.34': { baseline: [14, 34], restricted: [22, 74] },
  '1.35': { baseline: [15, 34], restricted: [23, 76] },
  '1.36': { baseline: [15, 34], restricted: [23, 76] },
  '1.37': { baseline: [15, 34], restricted: [23, 76] },
};

/** Every upstream check id of the 1.27-1.37 policies. */
const CHECK_IDS = [
  'allowPrivilegeEscalation', 'appArmorProfile', 'capabilities_baseline', 'capabilities_restricted',
  'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'procMount',
  'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_baseline',
  'seccompProfile_restricted', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
];

/**
 * At restricted, these baseline checks are replaced by the restricted check of the same field
 * (upstream's OverrideCheckIDs), from the given minor version on, so their test cases fail under
 * the restricted id.
 */
const RESTRICTED_OVERRIDES: Record<string, { id: string; since: number }> = {
  capabilities_baseline: { id: 'capabilities_restricted', since: 25 },
  seccompProfile_baseline: { id: 'seccompProfile_restricted', since: 25 },
  procMount: { id: 'procMount_restricted', since: 35 },
  hostPathVolumes: { id: 'restrictedVolumes', since: 0 },
};

interface Fixture {
  readonly version: string;
  readonly level: PodSecurityLevel.BASELINE | PodSecurityLevel.RESTRICTED;
  readonly outcome: 'pass' | 'fail';
  readonly file: string;
  readonly pod: { metadata?: any; spec?: any };
}

/** Parsed fixture texts: most files repeat from version to version (158 distinct texts in 1,480 files), so each text is parsed once. */
const parsed = new Map<string, unknown>();

/** A fixture file's pod: a copy of its text's parse, so that no two fixtures share an object. */
function parsePod(text: string): Fixture['pod'] {
  if (!parsed.has(text)) parsed.set(text, parse(text));
  return structuredClone(parsed.get(text)) as Fixture['pod'];
}

function load(version: string, level: Fixture['level'], outcome: Fixture['outcome']): Fixture[] {
  const dir = path.join(FIXTURES, `v${version}`, level, outcome);
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ version, level, outcome, file, pod: parsePod(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/** The check a fail/ file exercises, from its name (`hostpathvolumes0.yaml` -> `hostPathVolumes`). */
function expectedCheck(f: Fixture): string | undefined {
  const prefix = f.file.replace(/\d*\.yaml$/, '');
  const id = CHECK_IDS.find((c) => c.toLowerCase() === prefix);
  if (id === undefined) return undefined;
  const override = RESTRICTED_OVERRIDES[id];
  const minor = Number(f.version.split('.')[1]);
  return f.level === PodSecurityLevel.RESTRICTED && override && minor >= override.since ? override.id : id;
}

const ALL = Object.fromEntries(Object.keys(VERSIONS).map((v) => [v, {
  baseline: { pass: load(v, PodSecurityLevel.BASELINE, 'pass'), fail: load(v, PodSecurityLevel.BASELINE, 'fail') },
  restricted: { pass: load(v, PodSecurityLevel.RESTRICTED, 'pass'), fail: load(v, PodSecurityLevel.RESTRICTED, 'fail') },
}]));

test('the fixtures hold every policy version from 1.27 to 1.37, and nothing else', () => {
  const dirs = fs.readdirSync(FIXTURES).filter((d) => d.startsWith('v')).sort();
  expect(dirs).toEqual(Object.keys(VERSIONS).map((v) => `v${v}`));
});

describe.each(Object.keys(VERSIONS))('the Kubernetes Pod Security Admission test cases of policy version %s', (version) => {
  const fx = ALL[version];

  test('are all present in the repository (file counts of the pinned upstream commit)', () => {
    // GIVEN the in-repo copy of the fixtures of this version
    // THEN no file went missing, so the per-file tests below cover them all
    const counts = VERSIONS[version];
    expect([fx.baseline.pass.length, fx.baseline.fail.length]).toEqual(counts.baseline);
    expect([fx.restricted.pass.length, fx.restricted.fail.length]).toEqual(counts.restricted);
  });

  test('name only known checks, so every fail file is matched to its check id', () => {
    const unmatched = [...fx.baseline.fail, ...fx.restricted.fail].filter((f) => expectedCheck(f) === undefined);
    expect(unmatched.map((f) => `${f.level}/${f.file}`)).toEqual([]);
  });

  describe.each([PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED] as const)('at %s', (level) => {
    // one test per folder, listing every file that disagrees (a test per file made ~1,400 tests)
    test(`every pass/ file is accepted with no violations at ${version}`, () => {
      // GIVEN each pod upstream accepts at this level and version
      // WHEN it is checked at that version
      // THEN nothing is reported for any of them
      const disagreeing = fx[level].pass
        .map((f) => ({ file: f.file, violations: checkPodSecurity(f.level, f.pod, f.version) }))
        .filter((r) => r.violations.length > 0);
      expect(disagreeing).toEqual([]);
      expect(fx[level].pass.length).toBeGreaterThan(10);
    });

    test(`every fail/ file is rejected at ${version} by the check its name names`, () => {
      // GIVEN each pod upstream rejects at this level and version
      // WHEN it is checked at that version
      // THEN at least one violation is reported, among them the check the file exercises, each with a message
      const disagreeing = fx[level].fail
        .map((f) => ({ file: f.file, expected: expectedCheck(f), violations: checkPodSecurity(f.level, f.pod, f.version) }))
        .filter((r) => !r.violations.map((v) => v.check).includes(r.expected!) || r.violations.some((v) => v.message === ''));
      expect(disagreeing).toEqual([]);
      expect(fx[level].fail.length).toBeGreaterThan(20);
    });
  });

  test('every restricted pass/ file has strictest passing level "restricted", every baseline fail/ file "privileged"', () => {
    expect(fx.restricted.pass.filter((f) => strictestPassingLevel(f.pod, f.version) !== 'restricted').map((f) => f.file)).toEqual([]);
    expect(fx.baseline.fail.filter((f) => strictestPassingLevel(f.pod, f.version) !== 'privileged').map((f) => f.file)).toEqual([]);
  });
});

test('the fixtures bite: evaluated at the neighbouring older version, the version-specific test cases disagree', () => {
  // GIVEN each version's upstream cases, evaluated one minor version too old
  const disagreeing = (v: string): string[] => {
    const older = `1.${Number(v.split('.')[1]) - 1}`;
    const fx = ALL[v];
    return [
      ...[...fx.baseline.pass, ...fx.restricted.pass].filter((f) => checkPodSecurity(f.level, f.pod, older).length > 0),
      ...[...fx.baseline.fail, ...fx.restricted.fail].filter((f) => !checkPodSecurity(f.level, f.pod, older).map((x) => x.check).includes(expectedCheck(f)!)),
    ].map((f) => `${f.level}/${f.outcome}/${f.file}`).sort();
  };
  // THEN the versions whose policy changed have files that only the right version gets right
  expect(disagreeing('1.29')).toEqual(['baseline/pass/sysctls1.yaml', 'restricted/pass/sysctls1.yaml']);
  expect(disagreeing('1.34').length).toBeGreaterThan(0);
  expect(disagreeing('1.35').length).toBeGreaterThan(0);
  expect(disagreeing('1.37')).toEqual(['baseline/pass/sysctls1.yaml', 'restricted/pass/sysctls1.yaml']);
  // AND the versions whose policy did not change have none
  expect(disagreeing('1.28')).toEqual([]);
  expect(disagreeing('1.36')).toEqual([]);
});

describe('the policy version decides', () => {
  const base = (patch: (spec: any) => void): { spec: any } => {
    const spec: any = { containers: [{ name: 'app', image: 'registry.k8s.io/pause' }] };
    patch(spec);
    return { spec };
  };

  test('the safe sysctls: tcp_keepalive_time from 1.29, tcp_rmem from 1.32, tcp_notsent_lowat from 1.37', () => {
    const pod = (name: string): { spec: any } => base((s) => { s.securityContext = { sysctls: [{ name, value: '1' }] }; });
    const firstAllowed = (name: string): string | undefined =>
      Object.keys(VERSIONS).find((v) => checkPodSecurity(PodSecurityLevel.BASELINE, pod(name), v).length === 0);
    expect(firstAllowed('net.ipv4.tcp_keepalive_time')).toBe('1.29');
    expect(firstAllowed('net.ipv4.tcp_rmem')).toBe('1.32');
    expect(firstAllowed('net.ipv4.tcp_notsent_lowat')).toBe('1.37');
    expect(firstAllowed('kernel.msgmax')).toBeUndefined();
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod('net.ipv4.tcp_rmem'), '1.31')).toEqual([{
      check: 'sysctls', message: 'pod must not set forbidden sysctl "net.ipv4.tcp_rmem" in securityContext.sysctls',
    }]);
  });

  test('the SELinux type container_engine_t: forbidden at 1.30, allowed from 1.31', () => {
    const pod = base((s) => { s.securityContext = { seLinuxOptions: { type: 'container_engine_t' } }; });
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod, '1.30').map((v) => v.check)).toEqual(['seLinuxOptions']);
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod, '1.31')).toEqual([]);
  });

  test('a probe host: allowed at 1.33, a hostProbesAndHostLifecycle violation from 1.34', () => {
    const pod = base((s) => {
      s.containers[0].livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } };
      s.containers[0].lifecycle = { preStop: { tcpSocket: { host: 'example.com', port: 81 } } };
    });
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod, '1.33')).toEqual([]);
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod, '1.34')).toEqual([{
      check: 'hostProbesAndHostLifecycle',
      message: 'container "app" must not set a host in probes or lifecycle handlers (httpGet.host / tcpSocket.host "10.0.0.1", "example.com")',
    }]);
  });

  test('a pod in a user namespace (hostUsers: false) may set procMount Unmasked and run as root from 1.35, at baseline only for procMount', () => {
    const pod = restrictedPodFor((s) => {
      s.hostUsers = false;
      s.securityContext.runAsNonRoot = false;
      s.securityContext.runAsUser = 0;
      s.containers[0].securityContext.procMount = 'Unmasked';
    });
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod, '1.34').map((v) => v.check)).toEqual(['procMount']);
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod, '1.34').map((v) => v.check)).toEqual(['procMount', 'runAsNonRoot', 'runAsUser']);
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod, '1.35')).toEqual([]);
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod, '1.35')).toEqual([{
      check: 'procMount_restricted', message: 'container "app" must not set securityContext.procMount to "Unmasked"',
    }]);
  });

  test('an AppArmor profile type Unconfined in the securityContext field fails baseline at every version', () => {
    const pod = base((s) => { s.containers[0].securityContext = { appArmorProfile: { type: 'Unconfined' } }; });
    for (const v of Object.keys(VERSIONS)) {
      expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod, v)).toEqual([{
        check: 'appArmorProfile', message: 'container "app" must not set securityContext.appArmorProfile.type to "Unconfined" (allowed: "RuntimeDefault", "Localhost")',
      }]);
    }
  });

  test('fails when the version is outside 1.27-1.37, naming what is valid', () => {
    expect(() => checkPodSecurity(PodSecurityLevel.BASELINE, base(() => {}), '1.26')).toThrow(
      'unknown Pod Security policy version "1.26"; expected "1.27" to "1.37" (or "v1.NN")');
    expect(() => strictestPassingLevel(base(() => {}), 'latest')).toThrow(/unknown Pod Security policy version "latest"/);
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, base(() => {}), 'v1.37')).toEqual([]);
  });
});

/** A pod that passes restricted at every version; `patch` edits a fresh copy. */
function restrictedPodFor(patch: (spec: any) => void = () => {}): { metadata: any; spec: any } {
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
    expect(checkPodSecurity(PodSecurityLevel.PRIVILEGED, pod)).toEqual([]);
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod).map((v) => v.check)).toEqual(['hostNamespaces', 'hostPathVolumes', 'privileged']);
  });

  test('names the offending container and the required value in its message', () => {
    // GIVEN a container that does not forbid privilege escalation
    const pod = restrictedPod((s) => { delete s.containers[0].securityContext.allowPrivilegeEscalation; });
    // WHEN it is checked at restricted
    const violations = checkPodSecurity(PodSecurityLevel.RESTRICTED, pod);
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
    const violations = checkPodSecurity(PodSecurityLevel.BASELINE, pod);
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
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod).map((v) => v.check)).toEqual(['capabilities_baseline', 'seccompProfile_baseline']);
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod).map((v) => v.check)).toEqual(['capabilities_restricted', 'seccompProfile_restricted']);
  });

  test('exempts Windows pods from the Linux-only restricted checks', () => {
    // GIVEN a Windows pod with no Linux security settings
    const pod = { spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'win' }] } };
    // THEN it passes restricted
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod)).toEqual([]);
  });

  test('treats a pod without spec or metadata as empty', () => {
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, {})).toEqual([]);
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
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod)).toEqual([
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
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod)).toEqual([{ check: 'hostPathVolumes', message: 'volume "logs" must not use hostPath' }]);
  });
});
