import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { checkPodSecurity } from '../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { kubernetesVersionOf, schemaVersionFor } from '../lib/_pod/version';
import { buildExampleApp } from '../lib/charts';
import { synthToMemory } from '../lib/synth';
import { validateManifest } from '../lib/synth/schema';
import { container } from './util/synth';
import { PodSecurityLevel } from '../lib';

const DIST = path.join(__dirname, '..', 'dist');
const { charts, files } = synthToMemory(buildExampleApp(new App()));

/** Each dist/ file's parse, made once for the file's tests (copies are handed out, so none shares an object). */
const parsedDist = new Map<string, any[]>();

function distFile(name: string): any[] {
  if (!parsedDist.has(name)) parsedDist.set(name, parseAllDocuments(fs.readFileSync(path.join(DIST, name), 'utf-8')).map((d) => d.toJS()));
  return structuredClone(parsedDist.get(name)!);
}

function distObjects(): Array<{ chart: Chart; manifest: any }> {
  return charts.flatMap((c) => (files.has(`${c.name}.k8s.yaml`) ? distFile(`${c.name}.k8s.yaml`) : []).map((manifest) => ({ chart: c.chart, manifest })));
}

function pod(name: string): any {
  const found = distObjects().map((o) => o.manifest).find((m) => m.metadata?.name === name);
  if (!found) throw new Error(`no object named ${name} in dist/`);
  return found;
}

describe('the example app in dist/', () => {
  test('dist/ as committed equals a fresh synth, file for file and byte for byte', () => {
    expect(fs.readdirSync(DIST).sort()).toEqual([...files.keys()].sort());
    for (const [name, content] of files) expect(fs.readFileSync(path.join(DIST, name), 'utf-8')).toBe(content);
  });

  test('every object passes the strict schema of its chart\'s target Kubernetes version', () => {
    const objects = distObjects();
    expect(objects.length).toBeGreaterThanOrEqual(4);
    for (const { chart, manifest } of objects) {
      expect({ name: manifest.metadata.name, errors: validateManifest(manifest, schemaVersionFor(kubernetesVersionOf(chart))) }).toEqual({ name: manifest.metadata.name, errors: [] });
    }
  });

  test('every pod declares a Pod Security profile and passes it', () => {
    for (const { manifest } of distObjects()) {
      const spec = podSpecOf(manifest);
      if (!spec) continue;
      const level = manifest.metadata.annotations?.['pod-patterns.dev/pod-security'];
      expect({ name: manifest.metadata.name, level: typeof level }).toEqual({ name: manifest.metadata.name, level: 'string' });
      expect(checkPodSecurity(level, { metadata: podMetadataOf(manifest), spec })).toEqual([]);
    }
  });

  describe('the seed pod two-containers (typos fixed)', () => {
    const p = pod('two-containers');
    test('nginx serves at /usr/share/nginx/html from the hostPath /data', () => {
      expect(p.spec.volumes).toEqual([{ name: 'shared-data', hostPath: { path: '/data', type: '' } }]);
      expect(container(p.spec, 'nginx-container').volumeMounts).toEqual([{ mountPath: '/usr/share/nginx/html', name: 'shared-data', readOnly: false }]);
    });
    test('debian writes index.html into the shared volume, and the pod never restarts', () => {
      const debian = container(p.spec, 'debian-container');
      expect(debian.command).toEqual(['/bin/sh']);
      expect(debian.args).toEqual(['-c', 'echo Hello from the debian container > /pod-data/index.html']);
      expect(debian.volumeMounts).toEqual([{ mountPath: '/pod-data', name: 'shared-data', readOnly: false }]);
      expect(p.spec.restartPolicy).toBe('Never');
      expect(p.spec.containers.map((c: any) => c.name)).toEqual(['nginx-container', 'debian-container']);
    });
    test('declares privileged (hostPath)', () => {
      expect(p.metadata.annotations['pod-patterns.dev/pod-security']).toBe('privileged');
    });
  });

  describe('the seed pod javaweb-2 (typos fixed)', () => {
    const p = pod('javaweb-2');
    test('the war init container copies /sample.war into /app on the emptyDir', () => {
      expect(p.spec.initContainers).toHaveLength(1);
      expect(p.spec.initContainers[0]).toMatchObject({ name: 'war', image: 'resouer/sample:v2', command: ['cp', '/sample.war', '/app'], volumeMounts: [{ mountPath: '/app', name: 'app-volume' }] });
      expect(p.spec.volumes).toEqual([{ name: 'app-volume', emptyDir: { sizeLimit: '256Mi' } }]);
    });
    test('tomcat starts with the seed command, serves webapps from the emptyDir on 8080, hostPort 8001', () => {
      expect(p.spec.containers).toHaveLength(1);
      expect(p.spec.containers[0]).toMatchObject({
        name: 'tomcat',
        image: 'resouer/tomcat:7.0',
        command: ['sh', '-c', '/root/apache-tomcat-7.0.42-v2/bin/start.sh'],
        ports: [{ containerPort: 8080, hostPort: 8001, name: 'http' }],
        volumeMounts: [{ mountPath: '/root/apache-tomcat-7.0.42-v2/webapps', name: 'app-volume' }],
      });
    });
  });

  describe('the hardened variants', () => {
    test.each(['two-containers-restricted', 'javaweb-2-restricted'])('%s declares and passes restricted, with no hostPath or hostPort', (name) => {
      const p = pod(name);
      expect(p.metadata.annotations['pod-patterns.dev/pod-security']).toBe('restricted');
      expect(checkPodSecurity(PodSecurityLevel.RESTRICTED, p)).toEqual([]);
      expect(JSON.stringify(p)).not.toMatch(/hostPath|hostPort/);
      for (const c of [...(p.spec.initContainers ?? []), ...p.spec.containers]) {
        expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
        expect(c.image).toMatch(/:[\w.-]+$/);
      }
    });
    test('nginx runs unprivileged on 8080 with a writable /tmp, after the writer init container', () => {
      const p = pod('two-containers-restricted');
      expect(p.spec.initContainers.map((c: any) => c.name)).toEqual(['writer']);
      const nginx = container(p.spec, 'nginx');
      expect(nginx.image).toBe('nginxinc/nginx-unprivileged:1.27.5-alpine');
      expect(nginx.securityContext.runAsUser).toBe(101);
      expect(nginx.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'nginx-tmp' }, { mountPath: '/usr/share/nginx/html', name: 'shared-data', readOnly: true }]);
    });
    test('tomcat gets emptyDirs for logs, temp, work and conf/Catalina', () => {
      const p = pod('javaweb-2-restricted');
      const mounts = container(p.spec, 'tomcat').volumeMounts.map((m: any) => m.mountPath);
      expect(mounts).toEqual(expect.arrayContaining(['/usr/local/tomcat/logs', '/usr/local/tomcat/temp', '/usr/local/tomcat/work', '/usr/local/tomcat/conf/Catalina', '/usr/local/tomcat/webapps']));
    });
  });
});
