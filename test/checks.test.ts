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

describe('checkPodSpec', () => {
  test('reports every problem of a pod once, in order: volumes, each container field by field (init containers first), then the ports shared by the containers running together', () => {
    // GIVEN a pod with problems in its volumes, an init container, a native sidecar and two containers
    const spec = {
      volumes: [{ name: 'data' }, { name: 'data' }, { name: 'Bad_Name' }],
      initContainers: [
        {
          name: 'init',
          image: 'busybox:1.36.1',
          volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'nope', mountPath: '/data/' }],
        },
        {
          name: 'side',
          image: 'envoy:latest',
          restartPolicy: 'Always',
          ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090, name: 'admin' }],
          env: [{ name: '1BAD' }],
        },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27.5',
          ports: [{ containerPort: 8080, name: 'admin' }, { containerPort: 70000, name: 'admin' }, { containerPort: 9091, hostPort: 9090 }],
          volumeMounts: [
            { name: 'data', mountPath: '/' },
            { name: 'data', mountPath: 'rel/path' },
            { name: 'data', mountPath: '/a/./b' },
            { name: 'data', mountPath: '/a/b' },
          ],
          resources: { requests: { cpu: '2', memory: 'lots' }, limits: { cpu: '1', memory: '1Gi' } },
        },
        { name: 'app', image: 'nginx', env: [{ name: 'OK' }, { name: 'no spaces' }] },
      ],
    };
    // WHEN checked THEN each problem is one line, in this order
    expect(checkPodSpec(spec)).toEqual([
      'volumes[1].name: received "data"; expected a volume name not used by another volume of the pod',
      'volumes[2].name: received "Bad_Name"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
      'initContainers[0].volumeMounts[1].name: received "nope"; expected the name of a volume declared in the pod ("data", "Bad_Name")',
      'initContainers[0].volumeMounts[1].mountPath: received "/data/"; expected a mount path not used by another mount of the same container',
      'initContainers[1].image: received "envoy:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")',
      'initContainers[1].env[0].name: received "1BAD"; expected a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit',
      'containers[0].ports[1].containerPort: received 70000; expected an integer port number from 1 to 65535',
      'containers[0].ports[1].name: received "admin"; expected a port name not used by another port of the container',
      "containers[0].volumeMounts[0].mountPath: received \"/\"; expected a mount path other than \"/\" (a volume over the container's root hides its whole filesystem)",
      'containers[0].volumeMounts[1].mountPath: received "rel/path"; expected an absolute path starting with "/", without ".." segments or ":"',
      'containers[0].volumeMounts[3].mountPath: received "/a/b"; expected a mount path not used by another mount of the same container',
      'containers[0].resources.requests.memory: received "lots"; expected a non-negative Kubernetes quantity such as "100m", "0.5", "64Mi" or "1Gi"',
      'containers[0].resources.requests.cpu: received "2"; expected at most the limit "1"',
      'containers[1].name: received "app"; expected a container name not used by another container of the pod (containers[0] has it)',
      'containers[1].image: received "nginx"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")',
      'containers[1].env[1].name: received "no spaces"; expected a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit',
      'containers[0].ports[0].containerPort: received 8080; expected a port not already bound by container "side" (TCP); containers of a pod share one network namespace',
      'containers[0].ports[2].hostPort: received 9090; expected a host port not already used by container "side" (TCP)',
    ]);
  });

  test('checks an untyped pod whose lists are not lists without a TypeError, as a pod without them (the schema check reports their type)', () => {
    // GIVEN a pod spec whose containers, volumes, ports, mounts and env are objects or strings
    const spec = { volumes: {}, initContainers: 'none', containers: [{ name: 'app', image: 'nginx:1.27.5', ports: { http: 80 }, volumeMounts: 'data', env: { A: '1' } }] };
    // WHEN checked THEN nothing throws and nothing is reported of them
    expect(checkPodSpec(spec)).toEqual([]);
    expect(checkPodSpec({ containers: {} })).toEqual(['containers: received {}; expected at least one container']);
  });
});
