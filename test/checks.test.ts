import { checkPodSpec } from '../lib/_pod/checks';

/** A pod spec with one container of the given resources. */
function podWith(resources: Record<string, Record<string, string>>): any {
  return { containers: [{ name: 'app', image: 'nginx:1.27.5', resources }] };
}

describe('checkPodSpec resources', () => {
  test.each([
    ['972000000n', '972m'],
    ['700m', '0.7'],
    ['2570000000n', '2.57'],
    ['0.1', '100m'],
  ])('accepts a CPU request of %s equal to its limit %s written differently', (request, limit) => {
    // GIVEN a request equal to its limit in another notation
    const spec = podWith({ requests: { cpu: request }, limits: { cpu: limit } });
    // WHEN checked / THEN no problem
    expect(checkPodSpec(spec)).toEqual([]);
  });

  test('accepts a memory request equal to its limit written with another suffix', () => {
    expect(checkPodSpec(podWith({ requests: { memory: '1536Mi' }, limits: { memory: '1.5Gi' } }))).toEqual([]);
  });

  test('fails when a request exceeds its limit by one millicore', () => {
    expect(checkPodSpec(podWith({ requests: { cpu: '701m' }, limits: { cpu: '0.7' } }))).toEqual([
      'containers[0].resources.requests.cpu: received "701m"; expected at most the limit "0.7"',
    ]);
  });
});
