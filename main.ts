import { buildExampleApp } from './lib/charts';
import { runSynth } from './lib/synth';

// dist/ gets one file per chart; kustomization.yaml (beside dist/, outside it) lists them.
runSynth(() => buildExampleApp(), { kustomization: 'kustomization.yaml' });
