#!/usr/bin/env node
// One benchmark case, run in a fresh process by scripts/bench/index.js:
//   node scripts/bench/case.js <variant> <layout> <n> <outdir> [<manifests.json>]
// variant: ours    our constructs through our synth path (lib/synth: validation included)
//          plain   equivalent cdk8s-plus-27 Pods through App.synth()
//          floor   the objects of `ours`, already rendered (read from <manifests.json>), written
//                  with cdk8s's Yaml.stringify: serialization alone
//          floor-fast  the same, written with our YAML writer (lib/synth/yaml.ts)
//          dump    renders `ours` and writes its manifests to <manifests.json> (for the floors)
// layout:  one-chart | chart-per-pod
// BENCH_KIND=<i> builds every pod of `ours` or `plain` as the i-th pattern of the mix (workload.js available())
// Prints one JSON line: build and synth milliseconds (modules loaded before the clock starts),
// peak RSS, files and bytes written. When the build or synth of `ours` or `plain` throws, the line
// says how (`failed`), with the peak RSS until then, and the process exits 3.
'use strict';
const fs = require('fs');
const path = require('path');

const [variant, layout, nArg, outdir, manifestsFile] = process.argv.slice(2);
const n = Number(nArg);
if (!['ours', 'plain', 'floor', 'floor-fast', 'dump'].includes(variant) || !['one-chart', 'chart-per-pod'].includes(layout) || !(n > 0) || !outdir) {
  process.stderr.write('usage: case.js <ours|plain|floor|floor-fast|dump> <one-chart|chart-per-pod> <n> <outdir> [<manifests.json>]\n');
  process.exit(2);
}

const build = path.join(__dirname, '..', '..', 'build', 'lib');
const { Yaml } = require('cdk8s');
const { available, buildApp, library } = require('./workload');

library(); // the library's modules (build/lib) load before the clock starts, as cdk8s and cdk8s-plus-27 do
const { synth } = require(path.join(build, 'synth'));
const { renderApp } = require(path.join(build, 'synth', 'collect'));
const { stringifyDocuments } = require(path.join(build, 'synth', 'yaml'));

/** The negative control of the benchmark's gate: BENCH_INJECT_SLOWDOWN=<factor> makes our synth take <factor> times its time. */
function slowdown(since) {
  const factor = Number(process.env.BENCH_INJECT_SLOWDOWN);
  if (!(factor > 1)) return;
  const end = performance.now() + (performance.now() - since) * (factor - 1);
  while (performance.now() < end) { /* busy: a slower synth */ }
}

let buildMs = 0;
let synthMs = 0;
/** How an `ours` or `plain` case failed (reported with the peak RSS until then), if it did. */
let failed;
const t0 = performance.now();
if (variant === 'ours' || variant === 'plain') {
  process.env.BENCH_OUTDIR = outdir;
  let t1;
  try {
    // BENCH_KIND=<i>: every pod of the i-th pattern of the mix alone
    const app = buildApp(variant, layout, n, process.env.BENCH_KIND === undefined ? undefined : [available()[Number(process.env.BENCH_KIND)]]);
    t1 = performance.now();
    if (variant === 'ours') {
      synth(app, { outdir });
      slowdown(t0);
    } else app.synth();
    buildMs = t1 - t0;
    synthMs = performance.now() - t1;
  } catch (e) {
    // e.g. cdk8s's Yaml.save spreads every document of a chart into one call's arguments: past ~120,000 objects the stack overflows
    const where = /\((?:.*\/node_modules\/)?([^()]+:\d+):\d+\)/.exec(String(e?.stack ?? '').split('\n').find((l) => l.trim().startsWith('at ')) ?? '');
    failed = `${e?.name ?? 'Error'}: ${e?.message ?? e}${where ? ` (at ${where[1]})` : ''}`;
    buildMs = t1 === undefined ? NaN : t1 - t0;
    synthMs = NaN;
  }
} else if (variant === 'dump') {
  const charts = renderApp(buildApp('ours', layout, n));
  const out = charts.filter((c) => c.objects.length > 0).map((c) => ({ file: `${c.name}.k8s.yaml`, docs: c.objects.map((o) => o.manifest) }));
  fs.writeFileSync(manifestsFile, JSON.stringify(out));
  synthMs = performance.now() - t0;
} else {
  const charts = JSON.parse(fs.readFileSync(manifestsFile, 'utf-8'));
  fs.mkdirSync(outdir, { recursive: true });
  const t1 = performance.now();
  const write = variant === 'floor' ? (docs) => Yaml.stringify(...docs) : stringifyDocuments;
  for (const c of charts) fs.writeFileSync(path.join(outdir, c.file), write(c.docs));
  synthMs = performance.now() - t1;
}

let files = 0;
let bytes = 0;
if (variant !== 'dump') {
  for (const f of fs.readdirSync(outdir)) {
    files++;
    bytes += fs.statSync(path.join(outdir, f)).size;
  }
}
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ buildMs, synthMs, totalMs: buildMs + synthMs, maxRssKB: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000, files, bytes, ...(failed ? { failed } : {}) })}\n`);
if (failed) process.exitCode = 3;
