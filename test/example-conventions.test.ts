/**
 * The conventions of issue 6 on the example app that dist/ holds: recommended labels on every
 * object, each chart in its own namespace labelled for Pod Security, only Kubernetes objects.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildExampleApp, exampleChartProps } from '../lib/charts';
import { strictestPassingLevel } from '../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../lib/_pod/inject';
import { weakestLevel, PodSecurityLevel } from '../lib/_pod/security';
import { kubernetesVersionOf } from '../lib/_pod/version';
import { synth, synthToMemory } from '../lib/synth';

const { charts } = synthToMemory(buildExampleApp(new App()));
const RECOMMENDED = ['name', 'instance', 'component', 'part-of', 'managed-by'].map((k) => `app.kubernetes.io/${k}`);
const byName = charts.map((c) => [c.name, c] as const);

describe('the example app', () => {
  test.each(byName)('%s: every object carries the recommended labels, managed by cdk8s, part of its chart', (name, c) => {
    for (const { manifest } of c.objects) {
      const labels = manifest.metadata.labels ?? {};
      const missing = RECOMMENDED.filter((k) => labels[k] === undefined);
      // an object of the example charts without them: label it with recommendedLabels(this, { name, component })
      expect({ object: `${manifest.kind} ${manifest.metadata.name}`, missing }).toEqual({ object: `${manifest.kind} ${manifest.metadata.name}`, missing: [] });
      expect(labels['app.kubernetes.io/managed-by']).toBe('cdk8s');
      expect(labels['app.kubernetes.io/part-of']).toBe(name);
    }
  });

  test.each(byName)('%s: its file starts with its own Namespace, and every other object lives in it', (name, c) => {
    const [first, ...rest] = c.objects.map((o) => o.manifest);
    const namespace = exampleChartProps(name).namespace;
    expect(c.chart.namespace).toBe(namespace);
    expect({ kind: first.kind, name: first.metadata.name, namespace: first.metadata.namespace }).toEqual({ kind: 'Namespace', name: namespace, namespace: undefined });
    for (const m of rest) expect({ object: `${m.kind} ${m.metadata.name}`, namespace: m.metadata.namespace }).toEqual({ object: `${m.kind} ${m.metadata.name}`, namespace });
  });

  test.each(byName)('%s: its Namespace enforces, audits and warns the least strict level its pods declare, at the chart\'s version', (_name, c) => {
    const [ns, ...rest] = c.objects.map((o) => o.manifest);
    // a pod's declared level, or for a user's workload without one, the strictest level it passes
    const declared = rest.filter((m) => podSpecOf(m))
      .map((m) => (m.metadata.annotations?.['pod-patterns.dev/pod-security'] ?? strictestPassingLevel({ metadata: podMetadataOf(m), spec: podSpecOf(m) })) as PodSecurityLevel);
    const level = weakestLevel(...declared);
    const version = `v${kubernetesVersionOf(c.chart)}`;
    const psa = Object.fromEntries(Object.entries(ns.metadata.labels).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')));
    expect(psa).toEqual({
      'pod-security.kubernetes.io/audit': level,
      'pod-security.kubernetes.io/audit-version': version,
      'pod-security.kubernetes.io/enforce': level,
      'pod-security.kubernetes.io/enforce-version': version,
      'pod-security.kubernetes.io/warn': level,
      'pod-security.kubernetes.io/warn-version': version,
    });
  });

  test('the seed enforces privileged (hostPath, hostPort), the job chart restricted at v1.29', () => {
    const level = (name: string) => charts.find((c) => c.name === name)!.objects[0].manifest.metadata.labels;
    expect(level('seed')['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(level('seed-restricted')['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(level('log-sidecar-job')['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(level('log-sidecar-job')['pod-security.kubernetes.io/enforce-version']).toBe('v1.29');
  });
});

describe('the output directory', () => {
  const saved = process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
    else process.env.CDK8S_RECORD_CONSTRUCT_METADATA = saved;
  });

  test('holds one file per chart and only Kubernetes objects, even when cdk8s records construct metadata', () => {
    // GIVEN the environment the cdk8s CLI sets to record construct metadata
    process.env.CDK8S_RECORD_CONSTRUCT_METADATA = 'true';
    const app = buildExampleApp(new App());
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'conventions-'));
    try {
      // WHEN the app is synthesized
      synth(app, { outdir });
      // THEN the directory has exactly one <chart>.k8s.yaml per chart, each document a Kubernetes object
      expect(fs.readdirSync(outdir).sort()).toEqual(charts.map((c) => `${c.name}.k8s.yaml`).sort());
      for (const file of fs.readdirSync(outdir)) {
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf-8'))) {
          const m = doc.toJS();
          expect({ file, apiVersion: typeof m.apiVersion, kind: typeof m.kind, name: typeof m.metadata?.name })
            .toEqual({ file, apiVersion: 'string', kind: 'string', name: 'string' });
        }
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
