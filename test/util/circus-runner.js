// Jest's test runner for this project's configs (jest.config.js `testRunner`): jest-circus, the
// default, without its messages to jest's main process for each test. jest-circus sends two per
// test ('test-case-start' and 'test-case-result', over the worker's IPC channel), each handed to
// every reporter; they feed only the live per-test count of an interactive terminal (the default
// reporter's status line), which then counts a suite file's tests when the file ends. Every
// result, failure and message still reaches the reporters with its file's result. For the unit
// suite's ~1,450 tests, a cold `npm test` on a 2-core machine: 1.8 s less CPU (user + system, the
// mean of 7 interleaved pairs, 0.3 to 4.0 s) and 0.8 s less wall time (docs/benchmark.md).
'use strict';
const jestAdapter = require('jest-circus/runner').default;

module.exports = (globalConfig, config, environment, runtime, testPath) => jestAdapter(globalConfig, config, environment, runtime, testPath);
