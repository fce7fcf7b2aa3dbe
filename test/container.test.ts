import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { addContainer, checkContainerOptions, checkResourceOptions, mergeResources } from '../lib/_pod/container';
import { Problems } from '../lib/_pod/rules';
import { DEFAULT_RESOURCES, Hardening, memoryQuantity, resourcesJson } from '../lib/_pod/security';
import { synthToMemory } from '../lib/synth';
import { newChart, podSpec } from './util/synth';

describe('addContainer', () => {
  test('gives two containers\' writable paths distinct volumes when their names would coincide', () => {
    // GIVEN container "a" writing /b-c and container "a-b" writing /c (both "a-b-c" by the naming rule)
    const { app, chart } = newChart();
    const pod = new kplus.Pod(chart, 'pod');
    const o = { placement: 'container' as const, hardening: Hardening.RESTRICTED, defaultResources: DEFAULT_RESOURCES.helper };
    // WHEN both are added
    addContainer(chart, pod, { name: 'a', image: 'nginx:1.27.5', writablePaths: ['/b-c'] }, o);
    addContainer(chart, pod, { name: 'a-b', image: 'nginx:1.27.5', writablePaths: ['/c'] }, o);
    // THEN each has its own volume and the pod synthesizes
    const spec = podSpec(chart);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['a-b-c', 'a-b-c-2']);
    expect(spec.containers.map((c: any) => c.volumeMounts)).toEqual([
      [{ mountPath: '/b-c', name: 'a-b-c' }],
      [{ mountPath: '/c', name: 'a-b-c-2' }],
    ]);
    expect(() => synthToMemory(app)).not.toThrow();
  });
});

describe('checkContainerOptions', () => {
  test('fails when a container runs as root (user 0), as the pod-level user does', () => {
    // GIVEN a container asking for user 0
    const problems = new Problems();
    // WHEN checked
    checkContainerOptions(problems, 'containers[0]', { name: 'a', image: 'nginx:1.27.5', securityContext: { runAsUser: 0 } });
    // THEN one problem names the prop
    expect(problems.messages).toEqual([
      'containers[0].securityContext.runAsUser: received 0; expected a non-zero user id (restricted containers run as non-root; use hardening: Hardening.NONE to keep the image\'s user)',
    ]);
  });
});

describe('resources (cdk8s-plus ContainerResources shape, Cpu and Size)', () => {
  test('are written as the Kubernetes quantities cdk8s-plus writes: Cpu amounts as given, memory in Mi (else Ki)', () => {
    expect(resourcesJson({ cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(128), limit: Size.gibibytes(1) } }))
      .toEqual({ limits: { cpu: '1', memory: '1024Mi' }, requests: { cpu: '20m', memory: '128Mi' } });
    expect(memoryQuantity(Size.kibibytes(1536))).toBe('1536Ki');
    expect(memoryQuantity(Size.mebibytes(0.5))).toBe('512Ki');
    expect(memoryQuantity(Size.kibibytes(0.5))).toBeUndefined();
    expect(resourcesJson({})).toBeUndefined();
  });

  test('the defaults are written as before (the README\'s "Defaults" table)', () => {
    expect(Object.fromEntries(Object.entries(DEFAULT_RESOURCES).map(([role, r]) => [role, resourcesJson(r)]))).toEqual({
      webServer: { limits: { memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
      jvmServer: { limits: { memory: '512Mi' }, requests: { cpu: '250m', memory: '512Mi' } },
      task: { limits: { memory: '32Mi' }, requests: { cpu: '10m', memory: '16Mi' } },
      helper: { limits: { memory: '64Mi' }, requests: { cpu: '10m', memory: '32Mi' } },
    });
  });

  test('a user\'s CPU or memory replaces that resource\'s default request and limit together', () => {
    const merged = mergeResources(DEFAULT_RESOURCES.webServer, { memory: { request: Size.mebibytes(256) } });
    expect(resourcesJson(merged)).toEqual({ requests: { cpu: '50m', memory: '256Mi' } });
  });

  test('a Cpu of cdk8s-plus-33 (a user on a newer major) is accepted and written the same', () => {
    const { chart } = newChart();
    const pod = new kplus.Pod(chart, 'pod');
    addContainer(chart, pod, { name: 'a', image: 'nginx:1.27.5', resources: { cpu: { request: kplus33.Cpu.millis(75) } } }, {
      placement: 'container', hardening: Hardening.RESTRICTED, defaultResources: DEFAULT_RESOURCES.helper,
    });
    expect(podSpec(chart).containers[0].resources).toEqual({ limits: { memory: '64Mi' }, requests: { cpu: '75m', memory: '32Mi' } });
  });

  test('fails when a CPU is no quantity or a request exceeds its limit, naming each', () => {
    const problems = new Problems();
    checkResourceOptions(problems, 'resources', { cpu: { request: kplus.Cpu.millis(Number.NaN) }, memory: { request: Size.mebibytes(65), limit: Size.mebibytes(64) } });
    expect(problems.messages).toEqual([
      'resources.cpu.request: received a Cpu; expected a Cpu of a non-negative Kubernetes quantity (e.g. Cpu.millis(50), Cpu.units(1)), not one of amount "NaNm"',
      'resources.memory.request: received "65Mi"; expected at most memory.limit "64Mi"',
    ]);
  });
});
