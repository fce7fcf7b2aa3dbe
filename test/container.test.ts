import * as kplus from 'cdk8s-plus-27';
import { addContainer, checkContainerOptions } from '../lib/_pod/container';
import { Problems } from '../lib/_pod/rules';
import { DEFAULT_RESOURCES, Hardening } from '../lib/_pod/security';
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
