import { App } from 'cdk8s';
import { AdapterChart } from './adapter-chart';
import { DebugSidecarChart } from './debug-sidecar-chart';
import { HardenedChart } from './hardened-chart';
import { LogSidecarChart, LogSidecarJobChart } from './log-sidecar-chart';
import { ProxyAmbassadorChart } from './proxy-ambassador-chart';
import { SeedChart } from './seed-chart';

export { AdapterChart } from './adapter-chart';
export { DebugSidecarChart } from './debug-sidecar-chart';
export { HardenedChart } from './hardened-chart';
export { LogSidecarChart, LogSidecarJobChart } from './log-sidecar-chart';
export { ProxyAmbassadorChart } from './proxy-ambassador-chart';
export { SeedChart } from './seed-chart';
export { IMAGES } from './images';

/** Builds the example app: every chart this repository synthesizes into dist/. */
export function buildExampleApp(app: App = new App()): App {
  new SeedChart(app, 'seed');
  new HardenedChart(app, 'seed-restricted');
  new AdapterChart(app, 'adapter');
  new LogSidecarChart(app, 'log-sidecar');
  new LogSidecarJobChart(app, 'log-sidecar-job');
  new DebugSidecarChart(app, 'debug-sidecar');
  new ProxyAmbassadorChart(app, 'proxy-ambassador');
  return app;
}
