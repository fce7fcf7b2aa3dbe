/**
 * The fault-injection suite of the synth's output writer (test/faults/): synths killed at every
 * step, disk full, read-only paths, concurrent runs. `npm run test:faults`; CI runs it as root
 * (it mounts small tmpfs file systems; with CI=true it fails, never skips, when it cannot).
 */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test/faults'], testMatch: ['**/*.test.ts'], maxWorkers: 1 };
