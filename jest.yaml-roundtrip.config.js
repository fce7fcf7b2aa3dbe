/**
 * The YAML round-trip property (test/yaml-roundtrip/): fuzzed documents written by lib/synth/yaml.ts
 * read back by sigs.k8s.io/yaml (test/yamlcheck, built by scripts/build-yamlcheck.sh) and by the
 * `yaml` package must equal what was written. `npm run test:yaml-roundtrip`; CI runs it.
 */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test/yaml-roundtrip'], testMatch: ['**/*.test.ts'], maxWorkers: 1 };
