import { Chart, Testing } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus30 from 'cdk8s-plus-30';
import * as kplus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { kubernetesVersionOf } from '../lib/_pod/version';

// kubernetesVersionOf answers from the chart's workloads: the newest cdk8s-plus major among them.
// It is asked by every helper and by the synth per object, so it keeps its answer per chart up
// to date as constructs are added instead of scanning the chart each time.

describe('kubernetesVersionOf, kept up to date as the app is built', () => {
  test('GIVEN a chart asked once WHEN workloads of newer cdk8s-plus majors are added below it, deep or shallow THEN the answer follows each addition', () => {
    // GIVEN a chart with a cdk8s-plus-27 Deployment, asked once (the answer is now kept)
    const chart = new Chart(Testing.app(), 'c');
    new kplus27.Deployment(chart, 'd27', { containers: [{ image: 'nginx:1.27' }] });
    expect(kubernetesVersionOf(chart)).toBe('1.27');
    // WHEN a cdk8s-plus-33 Deployment is added deep below a plain construct
    new kplus33.Deployment(new Construct(new Construct(chart, 'a'), 'b'), 'd33', { containers: [{ image: 'nginx:1.27' }] });
    // THEN the chart and any construct in it answer 1.33
    expect(kubernetesVersionOf(chart)).toBe('1.33');
    expect(kubernetesVersionOf(chart.node.findChild('a'))).toBe('1.33');
    // WHEN an older one is added THEN the newest still wins
    new kplus30.Deployment(chart, 'd30', { containers: [{ image: 'nginx:1.27' }] });
    expect(kubernetesVersionOf(chart)).toBe('1.33');
  });

  test('GIVEN a chart asked once WHEN the newest workload is removed THEN the answer is found again', () => {
    // GIVEN cdk8s-plus-27 and -33 workloads; the chart answers 1.33
    const chart = new Chart(Testing.app(), 'c');
    new kplus27.Deployment(chart, 'd27', { containers: [{ image: 'nginx:1.27' }] });
    new kplus33.Deployment(chart, 'd33', { containers: [{ image: 'nginx:1.27' }] });
    expect(kubernetesVersionOf(chart)).toBe('1.33');
    // WHEN the cdk8s-plus-33 one is removed
    expect(chart.node.tryRemoveChild('d33')).toBe(true);
    // THEN the chart answers from what is left
    expect(kubernetesVersionOf(chart)).toBe('1.27');
  });

  test('GIVEN two charts THEN each answers from its own workloads', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new kplus30.Deployment(a, 'd', { containers: [{ image: 'nginx:1.27' }] });
    expect([kubernetesVersionOf(a), kubernetesVersionOf(b)]).toEqual(['1.30', '1.27']);
    new kplus33.Deployment(b, 'd', { containers: [{ image: 'nginx:1.27' }] });
    expect([kubernetesVersionOf(a), kubernetesVersionOf(b)]).toEqual(['1.30', '1.33']);
  });

  test('GIVEN a chart of 300 workloads asked after each one is added THEN the chart is scanned once (building N pods is not O(N^2))', () => {
    // GIVEN a chart whose findAll is counted
    const chart = new Chart(Testing.app(), 'c');
    const findAll = jest.spyOn(chart.node, 'findAll');
    // WHEN 300 workloads are added, the version asked after each
    for (let i = 0; i < 300; i++) {
      new kplus27.Deployment(chart, `d${i}`, { containers: [{ image: 'nginx:1.27' }] });
      expect(kubernetesVersionOf(chart)).toBe('1.27');
    }
    // THEN the chart's tree was walked once, on the first question
    expect(findAll).toHaveBeenCalledTimes(1);
  });
});
