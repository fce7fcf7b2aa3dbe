#!/usr/bin/env node
// The build phase alone (constructing the benchmark's app, before any synth), for profiling it:
//   node --expose-gc scripts/bench/build-heap.js <ours|plain> <n> [one-chart|chart-per-pod]
// Prints one JSON line: build wall and CPU milliseconds (modules loaded before the clock starts),
// the heap in use right after building (garbage included, as a synth would start from), and the
// heap the built app keeps (after full garbage collections; needs --expose-gc), absolute and over
// the heap before building. Needs `npm run build` first.
'use strict';
const path = require('path');

const [variant, nArg, layout = 'one-chart'] = process.argv.slice(2);
const n = Number(nArg);
if (!['ours', 'plain'].includes(variant) || !(n > 0) || !['one-chart', 'chart-per-pod'].includes(layout)) {
  process.stderr.write('usage: node --expose-gc build-heap.js <ours|plain> <n> [one-chart|chart-per-pod]\n');
  process.exit(2);
}
const { buildApp, library } = require('./workload');

library(); // the library's modules (build/lib) load before the clock starts, as cdk8s and cdk8s-plus-27 do
require(path.join(__dirname, '..', '..', 'build', 'lib', 'synth'));

const gc = typeof globalThis.gc === 'function' ? () => { globalThis.gc(); globalThis.gc(); } : undefined;
const MB = 2 ** 20;
gc?.();
const before = process.memoryUsage().heapUsed;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const app = buildApp(variant, layout, n);
const buildMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const heapUsedMB = process.memoryUsage().heapUsed / MB;
gc?.();
const kept = process.memoryUsage().heapUsed;
process.stdout.write(`${JSON.stringify({
  variant, layout, n,
  buildMs: Math.round(buildMs),
  buildCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  heapUsedMB: Math.round(heapUsedMB * 10) / 10,
  heapKeptMB: gc ? Math.round((kept / MB) * 10) / 10 : null,
  heapKeptByAppMB: gc ? Math.round(((kept - before) / MB) * 10) / 10 : null,
  charts: app.charts.length,
})}\n`);
