// The app the fault-injection suite synthesizes in a child process (so that it can be killed).
// FAULT_APP picks the version: v1 (charts a, b, c), v2 (a, b, d: c removed, d added, every
// ConfigMap changed), bad (v2 plus an object that fails the schema), big (v2 with 300 KiB per
// ConfigMap, for disk-full), many (v2 plus 40 more charts: past the first 32 files, new files
// are created, written and fsynced by the writer's worker thread). FAULT_KUSTOMIZATION=0 writes no kustomization.
'use strict';
const path = require('path');
const { App, ApiObject, Chart } = require('cdk8s');
const { runSynth } = require(path.resolve(__dirname, '../../build/lib/synth'));

const version = process.env.FAULT_APP ?? 'v1';
runSynth(() => {
  const app = new App();
  for (const id of version === 'v1' ? ['a', 'b', 'c'] : ['a', 'b', 'd']) {
    const data = { version, chart: id };
    if (version === 'big') data.blob = 'x'.repeat(300 * 1024);
    new ApiObject(new Chart(app, id), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${id}` }, data });
  }
  if (version === 'many') {
    for (let i = 0; i < 40; i++) new ApiObject(new Chart(app, `m${String(i).padStart(2, '0')}`), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-m${i}` }, data: { i: String(i) } });
  }
  if (version === 'bad') new ApiObject(new Chart(app, 'bad'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dat: {} });
  return app;
}, { kustomization: process.env.FAULT_KUSTOMIZATION === '0' ? undefined : 'kustomization.yaml' });
