import { Testing } from 'cdk8s';
import { checkPodSecurity } from '../lib/_pod/pss';
import { DEFAULT_APP_SERVER_IMAGE, Hardening, KubernetesVersion, PodSecurityLevel, WarSidecarPod, WarSidecarPodProps } from '../lib';
import { validateManifest } from '../lib/synth/schema';
import { expectGolden } from './util/golden';
import { container, errorOf, newChart, only, podSpec } from './util/synth';

const BASE: WarSidecarPodProps = { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war' };

describe('WarSidecarPod', () => {
  test('copies the artifact into the emptyDir with an init container', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'web', BASE);
    const spec = podSpec(chart);
    expect(spec.initContainers).toHaveLength(1);
    const war = spec.initContainers[0];
    expect(war.name).toBe('war');
    expect(war.image).toBe('resouer/sample:v2');
    expect(war.command).toEqual(['cp', '/sample.war', '/app']);
    expect(war.volumeMounts).toEqual([{ mountPath: '/app', name: 'app-volume' }]);
    expect(spec.volumes).toContainEqual({ name: 'app-volume', emptyDir: { sizeLimit: '256Mi' } });
  });

  test('serves the artifact from the app server webapps directory on 8080', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'web', BASE);
    const tomcat = container(podSpec(chart), 'tomcat');
    expect(tomcat.image).toBe(DEFAULT_APP_SERVER_IMAGE);
    expect(tomcat.command).toBeUndefined();
    expect(tomcat.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
    expect(tomcat.volumeMounts).toContainEqual({ mountPath: '/usr/local/tomcat/webapps', name: 'app-volume' });
  });

  test('gives the default Tomcat writable logs, temp, work, conf/Catalina and /tmp on a read-only root filesystem', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'web', BASE);
    const tomcat = container(podSpec(chart), 'tomcat');
    expect(tomcat.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(tomcat.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual([
      '/tmp', '/usr/local/tomcat/conf/Catalina', '/usr/local/tomcat/logs', '/usr/local/tomcat/temp', '/usr/local/tomcat/webapps', '/usr/local/tomcat/work',
    ]);
  });

  test('takes artifact path, copy destination, webapps path, start command, ports as props', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'web', {
      artifactImage: 'registry.example.com/shop/war:2.3.1',
      artifactPath: '/dist/shop.war',
      copyDestination: '/artifacts',
      appImage: 'resouer/tomcat:7.0',
      startCommand: ['sh', '-c', '/root/apache-tomcat-7.0.42-v2/bin/start.sh'],
      webappsPath: '/root/apache-tomcat-7.0.42-v2/webapps',
      containerPort: 9090,
      hostPort: 8001,
    });
    const spec = podSpec(chart);
    expect(container(spec, 'war').command).toEqual(['cp', '/dist/shop.war', '/artifacts']);
    expect(container(spec, 'war').volumeMounts).toEqual([{ mountPath: '/artifacts', name: 'app-volume' }]);
    const tomcat = container(spec, 'tomcat');
    expect(tomcat.command).toEqual(['sh', '-c', '/root/apache-tomcat-7.0.42-v2/bin/start.sh']);
    expect(tomcat.volumeMounts).toEqual([{ mountPath: '/root/apache-tomcat-7.0.42-v2/webapps', name: 'app-volume' }]);
    expect(tomcat.ports).toEqual([{ containerPort: 9090, hostPort: 8001, name: 'http' }]);
  });

  test('versions the app and the artifact independently: changing one image leaves the other container untouched', () => {
    const render = (props: WarSidecarPodProps) => {
      const { chart } = newChart();
      new WarSidecarPod(chart, 'web', props);
      return podSpec(chart);
    };
    const before = render(BASE);
    const newArtifact = render({ ...BASE, artifactImage: 'resouer/sample:v3' });
    const newApp = render({ ...BASE, appImage: 'tomcat:9.0.99-jre17', writablePaths: [] });
    expect(newArtifact.containers).toEqual(before.containers);
    expect(newArtifact.initContainers[0]).toEqual({ ...before.initContainers[0], image: 'resouer/sample:v3' });
    expect(newApp.initContainers).toEqual(before.initContainers);
    expect(container(newApp, 'tomcat').image).toBe('tomcat:9.0.99-jre17');
  });

  test('passes the restricted profile by default and declares it', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'web', BASE);
    const pod = only(chart, 'Pod');
    expect(pod.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
    expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, pod)).toEqual([]);
    expect(container(pod.spec, 'war').securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('declares privileged when a hostPort is asked for', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'web', { ...BASE, hostPort: 8001 });
    const pod = only(chart, 'Pod');
    expect(pod.metadata.annotations['pod-patterns.dev/pod-security']).toBe('privileged');
    expect(checkPodSecurity(PodSecurityLevel.BASELINE, pod).map((v) => v.check)).toEqual(['hostPorts']);
  });

  test('validates against the strict Kubernetes 1.27 schema, hardened and not', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'a', BASE);
    new WarSidecarPod(chart, 'b', { ...BASE, hardening: Hardening.NONE, hostPort: 8001 });
    for (const m of Testing.synth(chart)) expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
  });

  test('matches the reviewed YAML in test/golden/', () => {
    const { chart } = newChart();
    new WarSidecarPod(chart, 'web', BASE);
    expectGolden('war-sidecar-pod', Testing.synth(chart));
  });

  describe('fails when', () => {
    const fail = (props: WarSidecarPodProps) => errorOf(() => new WarSidecarPod(newChart().chart, 'web', props));

    test('the artifact path is relative and the artifact image unpinned', () => {
      expect(fail({ artifactImage: 'resouer/sample', artifactPath: 'sample.war' })).toBe([
        '[test/web] invalid props:',
        '  artifactPath: received "sample.war"; expected an absolute path starting with "/", without ".." segments or ":"',
        '  artifactImage: received "resouer/sample"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")',
      ].join('\n'));
    });

    test('the container port or host port is out of range', () => {
      expect(fail({ ...BASE, containerPort: 0, hostPort: 70000 })).toBe([
        '[test/web] invalid props:',
        '  containerPort: received 0; expected an integer port number from 1 to 65535',
        '  hostPort: received 70000; expected an integer port number from 1 to 65535',
      ].join('\n'));
    });

    test('the start command is empty', () => {
      expect(fail({ ...BASE, startCommand: [] })).toBe('[test/web] invalid props:\n  startCommand: received []; expected a non-empty list');
    });

    test('both containers get the same name', () => {
      expect(fail({ ...BASE, appContainerName: 'war' })).toBe('[test/web] invalid props:\n  appContainerName: received "war"; expected a name other than artifactContainerName "war"');
    });

    test('a writable path is the webapps path', () => {
      expect(fail({ ...BASE, writablePaths: ['/usr/local/tomcat/webapps'] })).toBe(
        '[test/web] invalid props:\n  writablePaths: received ["/usr/local/tomcat/webapps"]; expected paths other than webappsPath "/usr/local/tomcat/webapps", which the artifact volume already makes writable');
    });
  });
});
