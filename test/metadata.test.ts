import { ApiObject, App, Chart } from 'cdk8s';
import { synthToMemory } from '../lib';
import { checkMetadata } from '../lib/synth/metadata';
import { errorOf } from './util/synth';

const cm = (metadata: any, extra: any = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata, ...extra });

describe('metadata checked as the API server checks it', () => {
  test('GIVEN names each kind accepts THEN no problem', () => {
    expect(checkMetadata({ kind: 'Service', metadata: { name: 'web' } }, false)).toEqual([]);
    expect(checkMetadata({ kind: 'Namespace', metadata: { name: 'team-a' } }, false)).toEqual([]);
    expect(checkMetadata({ kind: 'CronJob', metadata: { name: 'c'.repeat(52) } }, false)).toEqual([]);
    expect(checkMetadata({ kind: 'ConfigMap', metadata: { name: 'a.b-c' } }, false)).toEqual([]);
    // RBAC names are path segments: ":" is fine
    expect(checkMetadata({ kind: 'ClusterRole', metadata: { name: 'system:reader' } }, false)).toEqual([]);
    expect(checkMetadata({ kind: 'Pod', metadata: { name: 'p', labels: { 'app.kubernetes.io/name': 'web', 'empty': '' }, annotations: { 'example.com/x': 'any text: at all' } } }, false)).toEqual([]);
  });

  test('fails when a name breaks its kind\'s rule: a Service with ".", a ClusterRole with "/"', () => {
    expect(checkMetadata({ kind: 'Service', metadata: { name: 'web.api' } }, false)).toEqual([
      'metadata.name: received "web.api"; expected a DNS-1035 label: 1-63 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit (the API server\'s rule for a Service\'s name)',
    ]);
    expect(checkMetadata({ kind: 'ClusterRole', metadata: { name: 'a/b' } }, false)).toEqual([
      'metadata.name: received "a/b"; expected a path segment name: not "." or "..", without "/" or "%" (the API server\'s rule for a ClusterRole\'s name)',
    ]);
  });

  test('fails when a ConfigMap key is in data and binaryData, or its data exceeds 1 MiB; a Secret may repeat a key in stringData', () => {
    expect(checkMetadata(cm({ name: 'x' }, { data: { a: 'b' }, binaryData: { a: 'Yg==' } }), false)).toEqual([
      'binaryData["a"]: received a key also in data; expected each key in only one of data and binaryData',
    ]);
    expect(checkMetadata(cm({ name: 'x' }, { data: { a: 'x'.repeat(1024 * 1024) } }), false)).toEqual([
      'data: received 1048577 bytes; expected at most 1048576 (1 MiB), the API server\'s limit for a ConfigMap',
    ]);
    expect(checkMetadata({ kind: 'Secret', metadata: { name: 'x' }, data: { a: 'Yg==' }, stringData: { a: 'b' } }, false)).toEqual([]);
  });

  test('counts the UTF-8 bytes of ConfigMap data and of annotations exactly at their limits, multi-byte characters included', () => {
    // GIVEN data of 2-byte characters and annotations of 3-byte ones, exactly at the limit and one character over
    const data = (n: number) => cm({ name: 'x' }, { data: { a: 'é'.repeat(n) } });
    const annotated = (n: number) => cm({ name: 'x', annotations: { k: '€'.repeat(n) } });
    // THEN at the limit each passes (3 bytes per character would be over), one character more fails with the exact size
    expect(checkMetadata(data(524287), false)).toEqual([]);
    expect(checkMetadata(data(524288), false)).toEqual([
      'data: received 1048577 bytes; expected at most 1048576 (1 MiB), the API server\'s limit for a ConfigMap',
    ]);
    expect(checkMetadata(annotated(87381), false)).toEqual([]);
    expect(checkMetadata(annotated(87382), false)).toEqual([
      'metadata.annotations: received 262147 bytes of keys and values; expected at most 262144 (256 KiB), the API server\'s limit for all annotations of an object',
    ]);
  });

  test('fails when selector labels or the namespace break their rules', () => {
    expect(checkMetadata({ kind: 'Deployment', metadata: { name: 'd', namespace: 'Team' }, spec: { selector: { matchLabels: { app: 'a b' } } } }, false)).toEqual([
      'metadata.namespace: received "Team"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
      'spec.selector.matchLabels["app"]: received "a b"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    ]);
  });

  test('GIVEN several objects with bad metadata WHEN synthesized THEN every problem is reported together, each with its construct path', () => {
    const app = new App();
    const c = new Chart(app, 'chart');
    new ApiObject(c, 'a', cm({ name: 'A' }));
    new ApiObject(c, 'b', cm({ name: 'b', labels: { 'x/y/z': 'v' } }));
    expect(errorOf(() => synthToMemory(app))).toBe([
      'Synthesis failed with 2 errors:',
      '  [chart/a] metadata.name: received "A"; expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit (the API server\'s rule for a ConfigMap\'s name)',
      '  [chart/b] metadata.labels: received "x/y/z"; expected a label key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    ].join('\n'));
  });
});
