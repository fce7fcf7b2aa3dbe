import { App } from 'cdk8s';
import { AdapterChart } from './adapter-chart';
import { HardenedChart } from './hardened-chart';
import { SeedChart } from './seed-chart';

export { AdapterChart } from './adapter-chart';
export { HardenedChart } from './hardened-chart';
export { SeedChart } from './seed-chart';
export { IMAGES } from './images';

/** Builds the example app: every chart this repository synthesizes into dist/. */
export function buildExampleApp(app: App = new App()): App {
  new SeedChart(app, 'seed');
  new HardenedChart(app, 'seed-restricted');
  new AdapterChart(app, 'adapter');
  return app;
}
