/**
 * The one Pod Security vocabulary (lib/_pod/pod-security.ts): the levels and their order, the
 * modes, the capability lists, and that every user of them reads the same ones.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DebugSidecar, Hardening, PodSecurityNamespace, POD_SECURITY_MODES, SharedVolumePod } from '../lib';
import * as lib from '../lib';
import {
  BASELINE_CAPABILITIES, capabilitiesLevel, compareLevels, isPodSecurityLevel, POD_SECURITY_LEVELS, PodSecurityLevel, PodSecurityMode,
  RESTRICTED_CAPABILITIES, weakestLevel,
} from '../lib/_pod/pod-security';
import { checkPodSecurity, PSS_LEVELS } from '../lib/_pod/pss';
import { declaredLevel } from '../lib/_pod/security';
import { LINUX_CAPABILITIES } from '../lib/_pod/rules';

describe('PodSecurityLevel', () => {
  test('is a string enum whose values are the Kubernetes level names, exported from the package', () => {
    expect(Object.values(PodSecurityLevel)).toEqual(['privileged', 'baseline', 'restricted']);
    expect(lib.PodSecurityLevel).toBe(PodSecurityLevel);
    expect(lib.PodSecurityMode).toBe(PodSecurityMode);
  });

  test('has one order, least to most strict, which the evaluator uses too', () => {
    expect(POD_SECURITY_LEVELS).toEqual([PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED]);
    expect(PSS_LEVELS).toBe(POD_SECURITY_LEVELS);
    expect(compareLevels(PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE)).toBeLessThan(0);
    expect(compareLevels(PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE)).toBeGreaterThan(0);
    expect(compareLevels(PodSecurityLevel.BASELINE, PodSecurityLevel.BASELINE)).toBe(0);
  });

  test('weakestLevel is the least strict of its arguments, restricted for none', () => {
    expect(weakestLevel()).toBe(PodSecurityLevel.RESTRICTED);
    expect(weakestLevel(PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE)).toBe(PodSecurityLevel.BASELINE);
    expect(weakestLevel(PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED, PodSecurityLevel.RESTRICTED)).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('fails when compared with a value that is no level (an untyped caller\'s "strict")', () => {
    expect(isPodSecurityLevel('strict')).toBe(false);
    expect(isPodSecurityLevel('baseline')).toBe(true);
    expect(() => compareLevels('strict' as PodSecurityLevel, PodSecurityLevel.BASELINE))
      .toThrow('unknown Pod Security level "strict"; expected one of "privileged", "baseline", "restricted"');
  });
});

describe('PodSecurityMode', () => {
  test('lists enforce, audit and warn, the namespace label names', () => {
    expect(POD_SECURITY_MODES).toEqual([PodSecurityMode.ENFORCE, PodSecurityMode.AUDIT, PodSecurityMode.WARN]);
    expect([...POD_SECURITY_MODES]).toEqual(['enforce', 'audit', 'warn']);
  });
});

describe('the capability lists', () => {
  test('restricted allows a subset of what baseline allows, all of them Linux capabilities', () => {
    expect(RESTRICTED_CAPABILITIES.every((c) => BASELINE_CAPABILITIES.includes(c))).toBe(true);
    expect(BASELINE_CAPABILITIES.every((c) => LINUX_CAPABILITIES.includes(c))).toBe(true);
  });

  test('the declared level and the evaluator agree on every Linux capability', () => {
    // GIVEN a restricted pod adding one capability, for each Linux capability
    // THEN the level declared for it (capabilitiesLevel) is the strictest level the evaluator admits
    const disagreeing = LINUX_CAPABILITIES.filter((cap) => {
      const pod = {
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{ name: 'c', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: [cap] } } }],
        },
      };
      const strictest = [...POD_SECURITY_LEVELS].reverse().find((l) => checkPodSecurity(l, pod).length === 0);
      return strictest !== capabilitiesLevel([cap]);
    });
    expect(disagreeing).toEqual([]);
    expect(capabilitiesLevel(['NET_BIND_SERVICE'])).toBe(PodSecurityLevel.RESTRICTED);
    expect(capabilitiesLevel(['CHOWN'])).toBe(PodSecurityLevel.BASELINE);
    expect(capabilitiesLevel(['SYS_PTRACE'])).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('declaredLevel: hardening none is at most baseline; host paths and ports are privileged', () => {
    expect(declaredLevel({ hardening: Hardening.RESTRICTED })).toBe(PodSecurityLevel.RESTRICTED);
    expect(declaredLevel({ hardening: Hardening.NONE })).toBe(PodSecurityLevel.BASELINE);
    expect(declaredLevel({ hardening: Hardening.NONE, addedCapabilities: ['NET_BIND_SERVICE'] })).toBe(PodSecurityLevel.BASELINE);
    expect(declaredLevel({ hardening: Hardening.RESTRICTED, addedCapabilities: ['CHOWN'] })).toBe(PodSecurityLevel.BASELINE);
    expect(declaredLevel({ hardening: Hardening.NONE, addedCapabilities: ['SYS_ADMIN'] })).toBe(PodSecurityLevel.PRIVILEGED);
    expect(declaredLevel({ hardening: Hardening.RESTRICTED, hostPort: true })).toBe(PodSecurityLevel.PRIVILEGED);
  });
});

describe('untyped callers', () => {
  test('GIVEN a PodSecurityNamespace whose levels are the plain strings THEN they are used as the enum members', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new SharedVolumePod(chart, 'site', { containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine', mountPath: '/html' }] });
    const ns = new PodSecurityNamespace(chart, 'ns', { enforce: 'baseline' as any, warn: 'restricted' as any });
    expect(ns.levels()).toEqual({ enforce: PodSecurityLevel.BASELINE, audit: PodSecurityLevel.BASELINE, warn: PodSecurityLevel.RESTRICTED });
  });

  test('fails when a level is no PodSecurityLevel value', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    expect(() => new PodSecurityNamespace(chart, 'ns', { enforce: 'strict' as any }))
      .toThrow('[c/ns] invalid props:\n  enforce: received "strict"; expected one of "privileged", "baseline", "restricted"');
  });

  test('a DebugSidecar adding SYS_PTRACE declares privileged, read from the one capability list', () => {
    const chart = new Chart(Testing.app(), 'c');
    const deployment = new kplus.Deployment(chart, 'app', { containers: [{ image: 'nginxinc/nginx-unprivileged:1.27.5-alpine', name: 'web' }] });
    new DebugSidecar(chart, 'debug', { workload: deployment, addCapabilities: ['SYS_PTRACE'] });
    const manifest = Testing.synth(chart).find((m) => m.kind === 'Deployment');
    expect(manifest.metadata.annotations['pod-patterns.dev/pod-security']).toBe(PodSecurityLevel.PRIVILEGED);
  });
});
