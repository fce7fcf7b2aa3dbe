import { buildExampleApp } from './lib/charts';
import { runSynth } from './lib/synth';

runSynth(() => buildExampleApp());
