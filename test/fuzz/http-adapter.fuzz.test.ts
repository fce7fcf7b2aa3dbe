import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { HeaderRule, HttpCompatAdapter, KubernetesVersion, PropsError, synthToMemory, UrlAction, UrlMatch, UrlRule } from '../../lib';
import { podSpecOf } from '../../lib/_pod/inject';
import { validateManifest } from '../../lib/synth/schema';
import { FILE_SEED, fuzzParams } from './arbitraries';
import { ruleSet } from './http-adapter-arbitraries';

/** The rule set in a Deployment's pod, synthesized; or the PropsError it gives. */
function build(set: { rules: UrlRule[]; headers: HeaderRule[] }): { manifests?: any[]; error?: unknown } {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'fuzz');
  const workload = new kplus.Deployment(chart, 'api', { containers: [{ name: 'api', image: 'example.com/shop/api:2.0.0' }] });
  try {
    new HttpCompatAdapter(chart, 'compat', { workload, port: 8080, appPort: 9080, appPaths: ['/v2', '/a'], ...set });
  } catch (error) {
    return { error };
  }
  const { charts } = synthToMemory(app);
  return { manifests: charts.flatMap((c) => c.objects.map((o) => o.manifest)) };
}

describe(`HttpCompatAdapter property (seed ${FILE_SEED})`, () => {
  test('GIVEN random rule sets THEN each either fails at build with every problem as "prop: received ...; expected ..." or synthesizes schema-valid objects with one location per accepted rule', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(fc.property(ruleSet, (set) => {
      const r = build(set);
      if (r.error !== undefined) {
        expect(r.error).toBeInstanceOf(PropsError);
        const e = r.error as PropsError;
        expect(e.constructPath).toBe('fuzz/compat');
        for (const p of e.problems) expect(p).toMatch(/^(rules|headers)\[\d+\][.\w[\]]*: received .*; expected \S/);
        rejected++;
        return;
      }
      accepted++;
      for (const m of r.manifests!) expect(validateManifest(m, KubernetesVersion.V1_27)).toEqual([]);
      const cm = r.manifests!.find((m) => m.kind === 'ConfigMap');
      const conf: string = cm.data['nginx.conf'];
      // one location per rule plus the catch-all; a rewrite per rewrite rule, a return per redirect
      expect(conf.match(/^ {8}location /gm)).toHaveLength(set.rules.length + 1);
      expect(conf.match(/^ {12}rewrite /gm) ?? []).toHaveLength(set.rules.filter((u) => u.action === UrlAction.REWRITE).length);
      expect(conf.match(/^ {12}return 30[18] /gm) ?? []).toHaveLength(set.rules.filter((u) => u.action !== UrlAction.REWRITE).length);
      expect(conf.match(/^ {8}location = /gm) ?? []).toHaveLength(set.rules.filter((u) => u.match === UrlMatch.EXACT).length);
      const spec = podSpecOf(r.manifests!.find((m) => m.kind === 'Deployment'));
      expect(spec.containers.map((c: any) => c.name)).toEqual(['api', 'http-adapter']);
    }), fuzzParams(30));
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
