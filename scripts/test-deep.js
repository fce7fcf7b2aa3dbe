#!/usr/bin/env node
// `npm run test:deep` (run by .ci/run): the unit suite, every case (test/util/depth.ts): every
// helper on every workload of every cdk8s-plus major, every vendored schema version, the full
// case counts of the properties, and 150 cases of each property of test/fuzz (FUZZ_RUNS). Jest's
// own arguments pass through (e.g. a test file's path, to run one file deep).
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env, POD_PATTERNS_DEEP_TESTS: '1', FUZZ_RUNS: process.env.FUZZ_RUNS ?? '150' };
const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [root] }), ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
process.exitCode = r.status ?? 1;
