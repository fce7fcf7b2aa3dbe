import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DebugSidecar, DebugSidecarProps, DEFAULT_DEBUG_IMAGE, kubectlDebugCommand, KubectlDebugProfile, KubernetesVersion, LogSidecar, PodSecurityLevel } from '../lib';
import {
  addApp, appWorkload, chartAndApp, container, declaredLevel, errorOf, newWorkload, only, podSpec, pssViolations, render, restrictedContext, schemaViolations, SERVING_WORKLOAD_KINDS,
} from './util/workloads';
import { DebugSidecarChart } from '../lib/charts/debug-sidecar-chart';
import { podSpecOf } from '../lib/_pod/inject';
import { synthToMemory } from '../lib/synth';

/** The props error of a DebugSidecar on a fresh Deployment with an app container. */
function propsError(overrides: Partial<DebugSidecarProps>): string {
  const { chart } = chartAndApp();
  const { workload } = appWorkload(chart);
  return errorOf(() => new DebugSidecar(chart, 'debug', { workload, ...overrides }));
}

const header = '[test/debug] invalid props:\n  ';

describe('DebugSidecar', () => {
  test.each(SERVING_WORKLOAD_KINDS)('shares the process namespace of a %s and adds an interactive, restricted tools container', (kind) => {
    // GIVEN a workload whose app image has no tools
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart, kind);
    // WHEN
    const debug = new DebugSidecar(chart, 'debug', { workload });
    // THEN
    const manifests = render(chart);
    const spec = podSpec(chart, kind);
    expect(spec.shareProcessNamespace).toBe(true);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'debug']);
    const c = container(spec, 'debug');
    expect(c.image).toBe('busybox:1.36.1');
    expect(c.command).toEqual(['sleep', 'infinity']);
    expect(c.stdin).toBe(true);
    expect(c.tty).toBe(true);
    expect(c.securityContext).toEqual(restrictedContext());
    expect(c.resources).toEqual({ limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } });
    expect(c.volumeMounts).toBeUndefined();
    expect(c.restartPolicy).toBeUndefined();
    // AND the app container is untouched
    expect(container(spec, 'app').stdin).toBeUndefined();
    expect(schemaViolations(manifests, KubernetesVersion.V1_27)).toEqual([]);
    expect(pssViolations(manifests, PodSecurityLevel.RESTRICTED)).toEqual([]);
    expect(declaredLevel(only(chart, kind))).toBe('restricted');
    expect(debug.targetContainerName).toBe('app');
    expect(debug.addedCapabilities).toEqual([]);
  });

  test('adds SYS_PTRACE only on explicit opt-in, and then declares the privileged level', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const debug = new DebugSidecar(chart, 'debug', { workload, addCapabilities: ['SYS_PTRACE'] });
    const deployment = only(chart, 'Deployment');
    const c = container(podSpec(chart, 'Deployment'), 'debug');
    expect(c.securityContext).toEqual({ ...restrictedContext(), capabilities: { add: ['SYS_PTRACE'], drop: ['ALL'] } });
    expect(debug.addedCapabilities).toEqual(['SYS_PTRACE']);
    expect(declaredLevel(deployment)).toBe('privileged');
    expect(pssViolations([deployment], PodSecurityLevel.RESTRICTED)).toEqual(['Deployment capabilities_restricted: container "debug" must not include "SYS_PTRACE" in securityContext.capabilities.add']);
    expect(pssViolations([deployment], PodSecurityLevel.BASELINE).length).toBeGreaterThan(0);
    expect(pssViolations([deployment], PodSecurityLevel.PRIVILEGED)).toEqual([]);
    expect(schemaViolations([deployment], KubernetesVersion.V1_27)).toEqual([]);
  });

  test('declares baseline for a capability the baseline profile allows', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new DebugSidecar(chart, 'debug', { workload, addCapabilities: ['KILL'] });
    const deployment = only(chart, 'Deployment');
    expect(declaredLevel(deployment)).toBe('baseline');
    expect(pssViolations([deployment], PodSecurityLevel.BASELINE)).toEqual([]);
    expect(pssViolations([deployment], PodSecurityLevel.RESTRICTED)).toHaveLength(1);
  });

  test('merges capabilities given through securityContext', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const debug = new DebugSidecar(chart, 'debug', { workload, addCapabilities: ['SYS_PTRACE'], securityContext: { addCapabilities: ['KILL', 'SYS_PTRACE'] } });
    expect(debug.addedCapabilities).toEqual(['KILL', 'SYS_PTRACE']);
    expect(container(podSpec(chart, 'Deployment'), 'debug').securityContext.capabilities).toEqual({ add: ['KILL', 'SYS_PTRACE'], drop: ['ALL'] });
  });

  test('runs as the app\'s user when asked, to read /proc/<pid>/root without SYS_PTRACE', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new DebugSidecar(chart, 'debug', { workload, securityContext: { runAsUser: 101, runAsGroup: 101 } });
    const c = container(podSpec(chart, 'Deployment'), 'debug');
    expect(c.securityContext).toEqual({ ...restrictedContext(), runAsUser: 101, runAsGroup: 101 });
    expect(pssViolations(render(chart), PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('takes the name, image and command from the props', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new DebugSidecar(chart, 'debug', { workload, name: 'tools', image: 'busybox:1.36.1-glibc', command: ['tail', '-f', '/dev/null'] });
    const c = container(podSpec(chart, 'Deployment'), 'tools');
    expect(c.image).toBe('busybox:1.36.1-glibc');
    expect(c.command).toEqual(['tail', '-f', '/dev/null']);
    expect([c.stdin, c.tty]).toEqual([true, true]);
  });

  test.each([KubernetesVersion.V1_29, KubernetesVersion.V1_33] as const)('emits a native sidecar with stdin and tty, valid on Kubernetes %s', (version) => {
    const { chart } = chartAndApp(version);
    const { workload } = appWorkload(chart, 'Job');
    new DebugSidecar(chart, 'debug', { workload, nativeSidecar: true });
    const manifests = render(chart);
    const spec = podSpec(chart, 'Job');
    expect(spec.shareProcessNamespace).toBe(true);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.initContainers).toHaveLength(1);
    const c = spec.initContainers[0];
    expect([c.name, c.restartPolicy, c.stdin, c.tty]).toEqual(['debug', 'Always', true, true]);
    expect(schemaViolations(manifests, version)).toEqual([]);
    expect(pssViolations(manifests, PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('emits a native sidecar the Kubernetes 1.27 schema rejects', () => {
    const { chart } = chartAndApp(KubernetesVersion.V1_29);
    const { workload } = appWorkload(chart, 'Job');
    new DebugSidecar(chart, 'debug', { workload, nativeSidecar: true });
    expect(schemaViolations(render(chart), KubernetesVersion.V1_27).join('\n')).toContain('restartPolicy');
  });

  test('works next to a LogSidecar in the same pod', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new LogSidecar(chart, 'logs', { workload, logDirectory: '/var/log/app', logFiles: ['a.log'] });
    new DebugSidecar(chart, 'debug', { workload, targetContainerName: 'app' });
    const spec = podSpec(chart, 'Deployment');
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-a', 'debug']);
    expect(spec.shareProcessNamespace).toBe(true);
    expect(container(spec, 'log-a').stdin).toBeUndefined();
    expect(schemaViolations(render(chart), KubernetesVersion.V1_27)).toEqual([]);
    expect(pssViolations(render(chart), PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('resolves the target by name or object, or leaves it unknown when the workload has several containers', () => {
    const { chart } = chartAndApp();
    const { workload, app } = appWorkload(chart);
    const other = addApp(chart, workload, 'other', 8081);
    expect(new DebugSidecar(chart, 'unknown', { workload, name: 'debug-1' }).targetContainerName).toBeUndefined();
    expect(new DebugSidecar(chart, 'by-name', { workload, name: 'debug-2', targetContainerName: 'other' }).targetContainerName).toBe(other.name);
    expect(new DebugSidecar(chart, 'by-object', { workload, name: 'debug-3', targetContainer: app }).targetContainerName).toBe(app.name);
    expect(new DebugSidecar(chart, 'by-shared-name', { workload, name: 'debug-4', appContainerName: 'other' }).targetContainerName).toBe(other.name);
  });

  test('synthesizes the same output twice', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    new DebugSidecar(chart, 'debug', { workload, addCapabilities: ['SYS_PTRACE'] });
    expect(JSON.stringify(Testing.synth(chart))).toBe(JSON.stringify(Testing.synth(chart)));
  });
});

describe('kubectlDebugCommand', () => {
  test('returns the ephemeral-container equivalent for a running pod', () => {
    expect(kubectlDebugCommand({ pod: 'web-7c9d8-abcde', target: 'app' })).toBe('kubectl debug -it web-7c9d8-abcde --image=busybox:1.36.1 --target=app -- sh');
  });

  test('adds the namespace, container name, profile and command, quoted for a shell', () => {
    expect(kubectlDebugCommand({
      pod: 'web-0',
      namespace: 'shop',
      target: 'app',
      container: 'dbg',
      profile: KubectlDebugProfile.GENERAL,
      image: 'busybox:1.36.1-glibc',
      command: ['sh', '-c', 'ps; cat /proc/1/status'],
    })).toBe("kubectl debug -it web-0 --namespace=shop --image=busybox:1.36.1-glibc --target=app --container=dbg --profile=general -- sh -c 'ps; cat /proc/1/status'");
  });

  test('uses the sidecar\'s image and target from the construct', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart);
    const debug = new DebugSidecar(chart, 'debug', { workload, image: 'busybox:1.36.1-musl' });
    expect(debug.kubectlDebugCommand('web-1')).toBe('kubectl debug -it web-1 --image=busybox:1.36.1-musl --target=app -- sh');
    expect(debug.kubectlDebugCommand('web-1', { namespace: 'shop' })).toBe('kubectl debug -it web-1 --namespace=shop --image=busybox:1.36.1-musl --target=app -- sh');
  });

  test('leaves out --target when the target is unknown', () => {
    expect(kubectlDebugCommand({ pod: 'web-1' })).toBe(`kubectl debug -it web-1 --image=${DEFAULT_DEBUG_IMAGE} -- sh`);
  });

  test('fails when the pod name or profile is invalid', () => {
    expect(errorOf(() => kubectlDebugCommand({ pod: 'Web_1', profile: 'root' as any }))).toBe([
      '[kubectlDebugCommand] invalid props:',
      '  pod: received "Web_1"; expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit',
      '  profile: received "root"; expected one of "legacy", "general", "baseline", "netadmin", "restricted", "sysadmin"',
    ].join('\n'));
  });
});

describe('DebugSidecar, invalid props', () => {
  test('fails when nativeSidecar is set and the target is Kubernetes 1.27', () => {
    expect(propsError({ nativeSidecar: true })).toBe(`${header}nativeSidecar: received true; expected false, or a target Kubernetes version of 1.29 or later (the target is 1.27; native sidecars are alpha and off by default in 1.28 and absent before): call setKubernetesVersion(app or chart, KubernetesVersion.V1_29) before adding charts`);
  });

  test('fails when a capability has the CAP_ prefix or is lower case', () => {
    expect(propsError({ addCapabilities: ['CAP_SYS_PTRACE', 'sys_ptrace'] })).toBe(`${header}${[
      'addCapabilities[0]: received "CAP_SYS_PTRACE"; expected a Linux capability name without the "CAP_" prefix, in upper case (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")',
      'addCapabilities[1]: received "sys_ptrace"; expected a Linux capability name without the "CAP_" prefix, in upper case (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")',
    ].join('\n  ')}`);
  });

  test('fails when a capability is listed twice', () => {
    expect(propsError({ addCapabilities: ['SYS_PTRACE', 'SYS_PTRACE'] })).toBe(`${header}addCapabilities[1]: received "SYS_PTRACE"; expected a capability not listed twice`);
  });

  test('fails when the image is not pinned', () => {
    expect(propsError({ image: 'busybox' })).toBe(`${header}image: received "busybox"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")`);
  });

  test('fails when the command is empty', () => {
    expect(propsError({ command: [] })).toBe(`${header}command: received []; expected a non-empty list`);
  });

  test('fails when the name is already a container of the workload', () => {
    expect(propsError({ name: 'app' })).toBe(`${header}name: received "app"; expected a container name not already used in the workload`);
  });

  test('fails when the name is not a DNS label', () => {
    expect(propsError({ name: 'Debug' })).toBe(`${header}name: received "Debug"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit`);
  });

  test('fails when the named target is not in the workload', () => {
    expect(propsError({ targetContainerName: 'web' })).toBe(`${header}targetContainerName: received "web"; expected the name of a container of the workload (it has "app")`);
  });

  test('fails when both the target and its name are given', () => {
    const { chart } = chartAndApp();
    const { workload, app } = appWorkload(chart);
    expect(errorOf(() => new DebugSidecar(chart, 'debug', { workload, targetContainer: app, targetContainerName: 'app' })))
      .toBe(`${header}targetContainerName: received "app"; expected unset when targetContainer is set (give one of them)`);
  });

  test('fails when the workload is not a workload (names what is accepted)', () => {
    const { chart } = chartAndApp();
    expect(errorOf(() => new DebugSidecar(chart, 'debug', { workload: {} as kplus.AbstractPod })))
      .toBe(`${header}workload: received {}; expected a workload: a cdk8s-plus (27 to 33) Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob, a cdk8s L1 object (KubeDeployment, ...), an ApiObject whose kind carries a pod template (e.g. from Include), or a construct holding exactly one of them`);
  });

  test('accepts a workload with no container yet (the target stays unknown)', () => {
    const { chart } = chartAndApp();
    const workload = newWorkload(chart, 'Deployment');
    const debug = new DebugSidecar(chart, 'debug', { workload });
    expect(debug.targetContainerName).toBeUndefined();
    // the app added afterwards (a cdk8s-plus workload renders only once it has a container of its own)
    addApp(chart, workload);
    expect(podSpec(chart, 'Deployment').containers.map((c: any) => c.name)).toEqual(['app', 'debug']);
  });
});

describe('DebugSidecar example chart', () => {
  test('passes every synth check and debugs the whoami Deployment as its own user', () => {
    const app = Testing.app();
    const chart = new DebugSidecarChart(app, 'debug-sidecar');
    expect([...synthToMemory(app).files.keys()]).toEqual(['debug-sidecar.k8s.yaml']);
    const deployment = only(chart, 'Deployment');
    const spec = podSpecOf(deployment);
    expect(spec.shareProcessNamespace).toBe(true);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['whoami', 'debug']);
    expect(container(spec, 'whoami').securityContext.runAsUser).toBe(container(spec, 'debug').securityContext.runAsUser);
    expect(declaredLevel(deployment)).toBe('restricted');
    expect(chart.debug.kubectlDebugCommand('whoami-debug-6f7d9-x2k4q')).toBe('kubectl debug -it whoami-debug-6f7d9-x2k4q --image=busybox:1.36.1 --target=whoami -- sh');
  });
});

describe('DebugSidecar on workloads that run to completion', () => {
  test('fails when a Job gets a regular sidecar (its pods would never complete)', () => {
    const { chart } = chartAndApp();
    const { workload } = appWorkload(chart, 'Job');
    expect(errorOf(() => new DebugSidecar(chart, 'helper', { workload }))).toBe(
      '[test/helper] invalid props:\n  nativeSidecar: received false; expected true when the workload runs to completion (a Job, a CronJob or a Pod whose restartPolicy is not Always): a regular sidecar keeps running after the app exits, so the pod never completes; native sidecars need a target Kubernetes version of 1.29 or later (the target is 1.27)');
  });
});
