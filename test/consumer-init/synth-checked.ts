// The same app through the library's own synth driver: strict schema of the target version,
// pod-wide and Pod Security checks, atomic output into dist-checked/.
import { runSynth } from 'cdk8s-pod-patterns';
import { buildApp } from './main';

runSynth(buildApp, { outdir: 'dist-checked' });
