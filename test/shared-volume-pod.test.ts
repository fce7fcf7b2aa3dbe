import { ApiObject, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { checkPodSecurity } from '../lib/_pod/pss';
import { EmptyDirMedium, Hardening, HostPathType, KubernetesVersion, PodSecurityLevel, PortProtocol, RestartPolicy, SharedVolumePod, SharedVolumePodProps } from '../lib';
import { validateManifest } from '../lib/synth/schema';
import { expectGolden } from './util/golden';
import { container, errorOf, newChart, only, podSpec } from './util/synth';

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const DEBIAN = 'debian:12.8-slim';

function seedLike(overrides: Partial<SharedVolumePodProps> = {}): SharedVolumePodProps {
  return {
    containers: [
      { name: 'nginx', image: NGINX, mountPath: '/usr/share/nginx/html', readOnly: true, ports: [{ number: 8080, name: 'http' }], writablePaths: ['/tmp'] },
      { name: 'writer', image: DEBIAN, mountPath: '/pod-data', command: ['/bin/sh'], args: ['-c', 'echo hi > /pod-data/index.html'], runsToCompletion: true },
    ],
    ...overrides,
  };
}

describe('SharedVolumePod', () => {
  test('mounts one pod-level volume in every container, each at its own path and mode', () => {
    // GIVEN a reader and a writer
    const { chart } = newChart();
    // WHEN
    new SharedVolumePod(chart, 'pod', seedLike());
    // THEN both mount the same volume
    const spec = podSpec(chart);
    expect(container(spec, 'nginx').volumeMounts).toContainEqual({ mountPath: '/usr/share/nginx/html', name: 'shared-data', readOnly: true });
    expect(container(spec, 'writer').volumeMounts).toEqual([{ mountPath: '/pod-data', name: 'shared-data', readOnly: false }]);
    expect(spec.volumes.filter((v: any) => v.name === 'shared-data')).toEqual([{ name: 'shared-data', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('runs a run-to-completion container as an init container under restart policy Always', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike());
    const spec = podSpec(chart);
    expect(spec.restartPolicy).toBe('Always');
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['writer']);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['nginx']);
    expect(container(spec, 'writer').restartPolicy).toBeUndefined();
  });

  test('keeps init containers in the order given', () => {
    const { chart } = newChart();
    const props = seedLike();
    new SharedVolumePod(chart, 'pod', {
      containers: [
        { name: 'first', image: DEBIAN, mountPath: '/a', command: ['true'], runsToCompletion: true },
        props.containers[0],
        { name: 'second', image: DEBIAN, mountPath: '/b', command: ['true'], runsToCompletion: true },
      ],
    });
    expect(podSpec(chart).initContainers.map((c: any) => c.name)).toEqual(['first', 'second']);
  });

  test('keeps a run-to-completion container as a regular container under restart policy Never, as the seed does', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike({ restartPolicy: RestartPolicy.NEVER }));
    const spec = podSpec(chart);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers.map((c: any) => c.name)).toEqual(['nginx', 'writer']);
  });

  test('passes command, args, env and ports through', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike({
      containers: [{ name: 'app', image: NGINX, mountPath: '/data', env: { GREETING: 'hello' }, command: ['nginx'], args: ['-g', 'daemon off;'], ports: [{ number: 8080, name: 'http', protocol: PortProtocol.TCP }] }],
    }));
    const app = container(podSpec(chart), 'app');
    expect(app.command).toEqual(['nginx']);
    expect(app.args).toEqual(['-g', 'daemon off;']);
    expect(app.env).toEqual([{ name: 'GREETING', value: 'hello' }]);
    expect(app.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(app.imagePullPolicy).toBe('IfNotPresent');
  });

  test('hardens every container for the restricted profile by default', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike());
    const pod = only(chart, 'Pod');
    const spec = pod.spec;
    expect(spec.securityContext).toEqual({ fsGroup: 65532, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    for (const name of ['nginx', 'writer']) {
      expect(container(spec, name).securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsGroup: 65532,
        runAsNonRoot: true,
        runAsUser: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(pod.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod)).toEqual([]);
  });

  test('sets small explicit resources instead of cdk8s-plus 1 CPU / 512Mi', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike());
    const spec = podSpec(chart);
    expect(container(spec, 'nginx').resources).toEqual({ limits: { memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } });
    expect(container(spec, 'writer').resources).toEqual({ limits: { memory: '32Mi' }, requests: { cpu: '10m', memory: '16Mi' } });
  });

  test('gives each writable path its own size-limited emptyDir', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike());
    const spec = podSpec(chart);
    expect(container(spec, 'nginx').volumeMounts).toContainEqual({ mountPath: '/tmp', name: 'nginx-tmp' });
    expect(spec.volumes).toContainEqual({ name: 'nginx-tmp', emptyDir: { sizeLimit: '128Mi' } });
  });

  test('renders no security context and no resources with Hardening.NONE, and declares baseline', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike({ hardening: Hardening.NONE }));
    const pod = only(chart, 'Pod');
    expect(pod.spec.securityContext).toBeUndefined();
    expect(container(pod.spec, 'nginx').securityContext).toBeUndefined();
    expect(container(pod.spec, 'nginx').resources).toBeUndefined();
    expect(pod.metadata.annotations['pod-patterns.dev/pod-security']).toBe('baseline');
  });

  test('shares a hostPath only as an explicit opt-in, and then declares privileged', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike({ hostPath: '/data', hostPathType: HostPathType.DIRECTORY_OR_CREATE }));
    const pod = only(chart, 'Pod');
    expect(pod.spec.volumes).toContainEqual({ name: 'shared-data', hostPath: { path: '/data', type: 'DirectoryOrCreate' } });
    expect(pod.metadata.annotations['pod-patterns.dev/pod-security']).toBe('privileged');
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod).map((v) => v.check)).toContain('hostPathVolumes');
    // at restricted, upstream's restrictedVolumes check replaces hostPathVolumes (OverrideCheckIDs)
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod).map((v) => v.check)).toContain('restrictedVolumes');
  });

  test('sets the emptyDir medium and size limit', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike({ emptyDirMedium: EmptyDirMedium.MEMORY, emptyDirSizeLimit: Size.gibibytes(1), volumeName: 'html' }));
    expect(podSpec(chart).volumes).toContainEqual({ name: 'html', emptyDir: { medium: 'Memory', sizeLimit: '1024Mi' } });
  });

  test('validates against the strict Kubernetes 1.27 schema', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike());
    new SharedVolumePod(chart, 'seed', seedLike({ hardening: Hardening.NONE, hostPath: '/data', restartPolicy: RestartPolicy.NEVER }));
    for (const m of Testing.synth(chart)) expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('exposes the pod, volume and containers for tweaks, and the API object as an escape hatch', () => {
    const { chart } = newChart();
    const p = new SharedVolumePod(chart, 'pod', seedLike());
    p.containers.nginx.env.addVariable('EXTRA', { value: '1' } as any);
    ApiObject.of(p.pod).metadata.addLabel('team', 'web');
    const pod = only(chart, 'Pod');
    expect(pod.metadata.labels.team).toBe('web');
    expect(container(pod.spec, 'nginx').env).toEqual([{ name: 'EXTRA', value: '1' }]);
    expect(p.volume.name).toBe('shared-data');
  });

  test('synthesizes the same bytes twice', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike());
    expect(JSON.stringify(Testing.synth(chart))).toEqual(JSON.stringify(Testing.synth(chart)));
  });

  test('matches the reviewed YAML in test/golden/', () => {
    const { chart } = newChart();
    new SharedVolumePod(chart, 'pod', seedLike());
    expectGolden('shared-volume-pod', Testing.synth(chart));
  });

  describe('fails when', () => {
    const path = 'test/pod';
    const fail = (props: SharedVolumePodProps) => errorOf(() => new SharedVolumePod(newChart().chart, 'pod', props));

    test('no containers are given', () => {
      expect(fail({ containers: [] })).toBe(`[${path}] invalid props:\n  containers: received []; expected a non-empty list`);
    });

    test('every container runs to completion', () => {
      expect(fail({ containers: [{ name: 'w', image: DEBIAN, mountPath: '/d', runsToCompletion: true }] })).toBe(
        `[${path}] invalid props:\n  containers: received ["w"]; expected at least one container that keeps running (not runsToCompletion)`);
    });

    test('a container name is not a DNS label, an image is unpinned and a mount path is relative (all reported together)', () => {
      expect(fail({ containers: [{ name: 'Web_1', image: 'nginx', mountPath: 'html' }] })).toBe([
        `[${path}] invalid props:`,
        '  containers[0].name: received "Web_1"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit',
        '  containers[0].image: received "nginx"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")',
        '  containers[0].mountPath: received "html"; expected an absolute path starting with "/", without ".." segments or ":"',
      ].join('\n'));
    });

    test('two containers share a name', () => {
      expect(fail({ containers: [{ name: 'a', image: NGINX, mountPath: '/x' }, { name: 'a', image: NGINX, mountPath: '/y' }] })).toBe(
        `[${path}] invalid props:\n  containers[1].name: received "a"; expected a name not used by another container of the pod`);
    });

    test('an image is empty or uses the latest tag', () => {
      expect(fail({ containers: [{ name: 'a', image: '', mountPath: '/x' }, { name: 'b', image: 'nginx:latest', mountPath: '/x' }] })).toBe([
        `[${path}] invalid props:`,
        '  containers[0].image: received ""; expected an image reference such as "nginx:1.27.5" or "registry.example.com/team/app@sha256:<digest>"',
        '  containers[1].image: received "nginx:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")',
      ].join('\n'));
    });

    test('a port is out of range and a port name is too long', () => {
      expect(fail({ containers: [{ name: 'a', image: NGINX, mountPath: '/x', ports: [{ number: 70000, name: 'a-very-long-port-name' }, { number: 0 }] }] })).toBe([
        `[${path}] invalid props:`,
        '  containers[0].ports[0].number: received 70000; expected an integer port number from 1 to 65535',
        '  containers[0].ports[0].name: received "a-very-long-port-name"; expected an IANA service name: 1-15 lowercase letters, digits or "-", with at least one letter, no "--", not starting or ending with "-"',
        '  containers[0].ports[1].number: received 0; expected an integer port number from 1 to 65535',
      ].join('\n'));
    });

    test('an env var name is invalid and a resource is not a quantity', () => {
      expect(fail({ containers: [{ name: 'a', image: NGINX, mountPath: '/x', env: { '1BAD': 'x' }, resources: { cpu: { request: kplus.Cpu.units(-1) }, memory: { request: Size.kibibytes(0.5) } } }] })).toBe([
        `[${path}] invalid props:`,
        '  containers[0].env: received "1BAD"; expected a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit',
        '  containers[0].resources.cpu.request: received a Cpu; expected a Cpu of a non-negative Kubernetes quantity (e.g. Cpu.millis(50), Cpu.units(1)), not one of amount "-1"',
        '  containers[0].resources.memory.request: received a Size; expected a Size of a whole, non-negative number of kibibytes (e.g. Size.mebibytes(64)), not 0.5 KiB',
      ].join('\n'));
    });

    test('a request exceeds its limit', () => {
      const resources = { cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1), limit: Size.mebibytes(512) } };
      expect(fail({ containers: [{ name: 'a', image: NGINX, mountPath: '/x', resources }] })).toBe([
        `[${path}] invalid props:`,
        '  containers[0].resources.cpu.request: received "1"; expected at most cpu.limit "500m"',
        '  containers[0].resources.memory.request: received "1024Mi"; expected at most memory.limit "512Mi"',
      ].join('\n'));
    });

    test('an untyped caller passes a quantity string, or the flat props of before', () => {
      const resources: any = { cpu: { request: '50m' }, memoryLimit: '128Mi' };
      expect(fail({ containers: [{ name: 'a', image: NGINX, mountPath: '/x', resources }] })).toBe([
        `[${path}] invalid props:`,
        '  containers[0].resources.memoryLimit: received "128Mi"; expected no such prop: resources are { cpu: { request, limit }, memory: { request, limit } } (cpuRequest: "50m" is now cpu: { request: Cpu.millis(50) }, memoryLimit: "128Mi" is memory: { limit: Size.mebibytes(128) })',
        '  containers[0].resources.cpu.request: received "50m"; expected a Cpu (cdk8s-plus: Cpu.millis(50), Cpu.units(1))',
      ].join('\n'));
    });

    test('the size limit is not whole Mi, or above 1Ti', () => {
      expect(fail(seedLike({ emptyDirSizeLimit: Size.kibibytes(10) }))).toBe(
        `[${path}] invalid props:\n  emptyDirSizeLimit: received a Size; expected a Size of a positive whole number of mebibytes up to 1Ti (e.g. Size.mebibytes(64), Size.gibibytes(1)), not 10 KiB`);
      expect(fail(seedLike({ emptyDirSizeLimit: Size.tebibytes(2) }))).toBe(
        `[${path}] invalid props:\n  emptyDirSizeLimit: received a Size; expected a Size of a positive whole number of mebibytes up to 1Ti (e.g. Size.mebibytes(64), Size.gibibytes(1)), not 2147483648 KiB`);
    });

    test('the size limit is a quantity string from an untyped caller', () => {
      expect(fail(seedLike({ emptyDirSizeLimit: '64Mi' as any }))).toBe(
        `[${path}] invalid props:\n  emptyDirSizeLimit: received "64Mi"; expected a Size (cdk8s: Size.mebibytes(64), Size.gibibytes(1))`);
    });

    test('a writable path is the container\'s mount path', () => {
      expect(fail({ containers: [{ name: 'web', image: NGINX, mountPath: '/data', writablePaths: ['/data'] }] })).toBe(
        `[${path}] invalid props:\n  containers[0].writablePaths: received ["/data"]; expected paths other than the container's mountPath "/data", where the shared volume is mounted`);
    });

    test('hostPath is combined with emptyDir settings', () => {
      expect(fail(seedLike({ hostPath: '/data', emptyDirSizeLimit: Size.mebibytes(64) }))).toBe(
        `[${path}] invalid props:\n  hostPath: received "/data"; expected either hostPath or emptyDir settings (emptyDirMedium, emptyDirSizeLimit), not both`);
    });

    test('hostPathType is given without hostPath', () => {
      expect(fail(seedLike({ hostPathType: HostPathType.DIRECTORY }))).toBe(
        `[${path}] invalid props:\n  hostPathType: received "Directory"; expected unset unless hostPath is set`);
    });

    test('the restart policy is unknown', () => {
      expect(fail(seedLike({ restartPolicy: 'Sometimes' as any }))).toBe(
        `[${path}] invalid props:\n  restartPolicy: received "Sometimes"; expected one of "Always", "OnFailure", "Never"`);
    });

    test('the pod name is not a DNS subdomain', () => {
      expect(fail(seedLike({ metadata: { name: 'Two_Containers' } }))).toBe(
        `[${path}] invalid props:\n  metadata.name: received "Two_Containers"; expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit`);
    });

    test('the pod user is root under restricted hardening', () => {
      expect(fail(seedLike({ securityContext: { runAsUser: 0 } }))).toBe(
        `[${path}] invalid props:\n  securityContext.runAsUser: received 0; expected a non-zero user id (restricted pods run as non-root; use hardening: Hardening.NONE to keep the image's user)`);
    });

    test('two running containers bind the same port (at synth, naming the pod)', () => {
      const { chart } = newChart();
      new SharedVolumePod(chart, 'pod', {
        containers: [
          { name: 'a', image: NGINX, mountPath: '/x', ports: [{ number: 8080 }] },
          { name: 'b', image: NGINX, mountPath: '/y', ports: [{ number: 8080 }] },
        ],
      });
      expect(errorOf(() => Testing.synth(chart))).toBe(
        'Validation failed with the following errors:\n  [test/pod/Pod] containers[1].ports[0].containerPort: received 8080; expected a port not already bound by container "a" (TCP); containers of a pod share one network namespace');
    });
  });
});
