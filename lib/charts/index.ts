import { App } from 'cdk8s';
import { PodSecurityNamespace } from '../pod-security-namespace';
import { AdapterChart } from './adapter-chart';
import { DebugSidecarChart } from './debug-sidecar-chart';
import { HardenedChart } from './hardened-chart';
import { HttpAdapterChart } from './http-adapter-chart';
import { LogSidecarChart, LogSidecarJobChart } from './log-sidecar-chart';
import { OnePodOrTwoChart } from './one-pod-or-two-chart';
import { ProxyAmbassadorChart } from './proxy-ambassador-chart';
import { SeedChart } from './seed-chart';

export { AdapterChart } from './adapter-chart';
export { DebugSidecarChart } from './debug-sidecar-chart';
export { HardenedChart } from './hardened-chart';
export { HttpAdapterChart } from './http-adapter-chart';
export { LogSidecarChart, LogSidecarJobChart } from './log-sidecar-chart';
export { OnePodOrTwoChart } from './one-pod-or-two-chart';
export { ProxyAmbassadorChart } from './proxy-ambassador-chart';
export { SeedChart } from './seed-chart';
export { IMAGES } from './images';

/**
 * The props of an example chart: its own namespace, `pod-patterns-<chart id>`, so each file of
 * dist/ applies into a namespace labelled for the Pod Security level its pods need.
 */
export function exampleChartProps(id: string): { namespace: string } {
  return { namespace: `pod-patterns-${id}` };
}

/** Builds the example app: every chart this repository synthesizes into dist/. */
export function buildExampleApp(app: App = new App()): App {
  new SeedChart(app, 'seed', exampleChartProps('seed'));
  new HardenedChart(app, 'seed-restricted', exampleChartProps('seed-restricted'));
  new AdapterChart(app, 'adapter', exampleChartProps('adapter'));
  new LogSidecarChart(app, 'log-sidecar', exampleChartProps('log-sidecar'));
  new LogSidecarJobChart(app, 'log-sidecar-job', exampleChartProps('log-sidecar-job'));
  new DebugSidecarChart(app, 'debug-sidecar', exampleChartProps('debug-sidecar'));
  new ProxyAmbassadorChart(app, 'proxy-ambassador', exampleChartProps('proxy-ambassador'));
  new OnePodOrTwoChart(app, 'one-pod-or-two', exampleChartProps('one-pod-or-two'));
  new HttpAdapterChart(app, 'http-adapter', exampleChartProps('http-adapter'));
  // each chart's Namespace, labelled for the Pod Security level its pods declare (first in its file)
  for (const chart of app.charts) if (chart.namespace !== undefined) new PodSecurityNamespace(chart, 'namespace');
  return app;
}
