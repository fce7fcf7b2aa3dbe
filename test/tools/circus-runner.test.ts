/**
 * test/util/circus-runner.js, the test runner of the project's jest configs: jest-circus without
 * its per-test messages to jest's main process.
 */
const calls: unknown[][] = [];
jest.mock('jest-circus/runner', () => ({
  __esModule: true,
  default: async (...args: unknown[]) => {
    calls.push(args);
    return 'the adapter result';
  },
}));

const runner = require('../util/circus-runner');

describe('the jest runner (test/util/circus-runner.js)', () => {
  test('GIVEN jest calls it with a way to message its main process WHEN a file runs THEN jest-circus gets every other argument, unchanged, and no way to send per-test messages', async () => {
    const [globalConfig, config, environment, runtime] = [{ g: 1 }, { c: 2 }, { e: 3 }, { r: 4 }];
    const sendMessageToJest = jest.fn();
    calls.length = 0;

    const result = await runner(globalConfig, config, environment, runtime, '/a/test/file.test.ts', sendMessageToJest);

    expect(result).toBe('the adapter result');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(5);
    expect(calls[0][0]).toBe(globalConfig);
    expect(calls[0][1]).toBe(config);
    expect(calls[0][2]).toBe(environment);
    expect(calls[0][3]).toBe(runtime);
    expect(calls[0][4]).toBe('/a/test/file.test.ts');
    expect(calls[0][5]).toBeUndefined();
    expect(sendMessageToJest).not.toHaveBeenCalled();
  });

  test('GIVEN the unit suite and the tools configs THEN both run their files with it', () => {
    const configs = [require('../../jest.config'), require('../../jest.tools.config')];
    for (const c of configs) expect(c.testRunner).toBe('<rootDir>/test/util/circus-runner.js');
  });
});
