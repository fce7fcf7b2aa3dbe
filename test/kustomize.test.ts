import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { SharedVolumePod } from '../lib';
import { buildExampleApp } from '../lib/charts';
import { synth, synthToMemory } from '../lib/synth';
import { KUSTOMIZATION_HEADER, kustomizationResources, kustomizationYaml } from '../lib/synth/kustomize';
import { errorOf } from './util/synth';

const ROOT = path.join(__dirname, '..');

/** A small app with two charts. */
function twoCharts(): App {
  const app = new App();
  for (const id of ['web', 'batch']) {
    new SharedVolumePod(new Chart(app, id), 'pod', { containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine', mountPath: '/html' }] });
  }
  return app;
}

describe('the kustomization of the output files', () => {
  test('lists the files relative to the kustomization\'s directory, sorted', () => {
    expect(kustomizationResources('kustomization.yaml', 'dist', ['web.k8s.yaml', 'batch.k8s.yaml'])).toEqual(['dist/batch.k8s.yaml', 'dist/web.k8s.yaml']);
    expect(kustomizationResources('deploy/kustomization.yaml', 'deploy/out/k8s', ['a.yaml'])).toEqual(['out/k8s/a.yaml']);
  });

  test('is a kustomize.config.k8s.io/v1beta1 Kustomization with a header saying it is generated', () => {
    expect(kustomizationYaml(['dist/batch.k8s.yaml', 'dist/web.k8s.yaml'])).toBe(`${KUSTOMIZATION_HEADER}
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - dist/batch.k8s.yaml
  - dist/web.k8s.yaml
`);
    expect(parse(kustomizationYaml([]))).toEqual({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [] });
  });

  test('synth writes it beside the output directory, which keeps only the chart files', () => {
    // GIVEN an empty working directory
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
    try {
      // WHEN an app is synthesized with a kustomization
      synth(twoCharts(), { outdir: path.join(dir, 'dist'), kustomization: path.join(dir, 'kustomization.yaml') });
      // THEN the kustomization lists exactly the chart files, and dist/ has nothing else
      expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['batch.k8s.yaml', 'web.k8s.yaml']);
      expect(parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf-8')).resources).toEqual(['dist/batch.k8s.yaml', 'dist/web.k8s.yaml']);
      expect(fs.readdirSync(dir).sort()).toEqual(['dist', 'kustomization.yaml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('fails when', () => {
    test('the kustomization is inside the output directory, before writing anything', () => {
      // GIVEN a previous output
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
      try {
        const outdir = path.join(dir, 'dist');
        fs.mkdirSync(outdir);
        fs.writeFileSync(path.join(outdir, 'old.k8s.yaml'), 'old');
        const kustomization = path.join(outdir, 'kustomization.yaml');
        // WHEN the kustomization would sit in the output directory (where the stale-file sweep removes it)
        const message = errorOf(() => synth(twoCharts(), { outdir, kustomization }));
        // THEN synth fails, says why, and the old output stays with no kustomization written
        expect(message).toBe(`Synthesis failed with 1 error:\n  kustomization: received ${JSON.stringify(kustomization)}; expected a path outside the output directory ${JSON.stringify(outdir)}, in a directory that contains it (the output directory holds only Kubernetes objects)`);
        expect(fs.readdirSync(outdir)).toEqual(['old.k8s.yaml']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the kustomization is not in a directory containing the output directory, before writing anything', () => {
      // GIVEN a previous output
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
      try {
        fs.mkdirSync(path.join(dir, 'dist'));
        fs.writeFileSync(path.join(dir, 'dist', 'old.k8s.yaml'), 'old');
        const kustomization = path.join(dir, 'deploy', 'kustomization.yaml');
        // WHEN the kustomization would have to reach up into ../dist
        const message = errorOf(() => synth(twoCharts(), { outdir: path.join(dir, 'dist'), kustomization }));
        // THEN synth fails and the old output stays
        expect(message).toBe(`Synthesis failed with 1 error:\n  kustomization: received ${JSON.stringify(kustomization)}; expected a path in a directory that contains the output directory ${JSON.stringify(path.join(dir, 'dist'))} (kustomize loads no file from outside the kustomization's directory)`);
        expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual(['old.k8s.yaml']);
        expect(fs.existsSync(path.join(dir, 'deploy'))).toBe(false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('the committed kustomization.yaml of the example app', () => {
  const committed = fs.readFileSync(path.join(ROOT, 'kustomization.yaml'), 'utf-8');

  test('lists exactly the files of dist/', () => {
    const dist = fs.readdirSync(path.join(ROOT, 'dist')).sort().map((f) => `dist/${f}`);
    expect(parse(committed).resources).toEqual(dist);
  });

  test('is what a fresh synth writes', () => {
    const { files } = synthToMemory(buildExampleApp(new App()));
    expect(committed).toBe(kustomizationYaml(kustomizationResources(path.join(ROOT, 'kustomization.yaml'), path.join(ROOT, 'dist'), files.keys())));
  });
});
