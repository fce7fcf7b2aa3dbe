import * as kplus from 'cdk8s-plus-27';
import { checkPodSecurity } from '../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { Adapter, hardenContainer, PodSecurityLevel } from '../lib';
import { container, errorOf, newChart, only } from './util/synth';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';

describe('hardenContainer', () => {
  test('makes a user container restricted: non-root ids, drop ALL, no escalation, seccomp, read-only root', () => {
    // GIVEN a plain cdk8s-plus Deployment
    const { chart } = newChart();
    const d = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: NGINX, portNumber: 8080 }] });
    // WHEN
    hardenContainer(d, 'nginx', { runAsUser: 101, runAsGroup: 101 });
    // THEN
    const m = only(chart, 'Deployment');
    const spec = podSpecOf(m);
    expect(container(spec, 'nginx').securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 101,
      runAsNonRoot: true,
      runAsUser: 101,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.securityContext).toEqual({ fsGroup: 101, runAsGroup: 101, runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } });
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, { metadata: podMetadataOf(m), spec })).toEqual([]);
  });

  test('lets a workload with a helper declare restricted once the user container is hardened', () => {
    const { chart } = newChart();
    const d = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: NGINX, portNumber: 8080 }] });
    Adapter.nginxExporter(chart, 'exporter', { workload: d });
    expect(only(chart, 'Deployment').metadata.annotations['pod-patterns.dev/pod-security']).toBe('baseline');
    hardenContainer(d, d.containers[0]);
    expect(only(chart, 'Deployment').metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
  });

  test('fails when the container does not exist or the user is root', () => {
    const { chart } = newChart();
    const d = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: NGINX }] });
    expect(errorOf(() => hardenContainer(d, 'ngnix', { runAsUser: 0 }))).toBe([
      '[test/web hardenContainer] invalid props:',
      '  container: received "ngnix"; expected the name of a container of the workload ("nginx")',
      '  runAsUser: received 0; expected a non-zero user id',
    ].join('\n'));
  });
});
