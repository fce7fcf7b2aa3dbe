// Jest global setup: every temporary file or directory the tests create (cdk8s's Testing.app()
// makes a fresh outdir per app, the synth tests their dist/ copies) goes into one directory of
// this run, which global-teardown.js removes, so runs leave nothing behind in the system's /tmp.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pod-patterns-jest-'));
  process.env.POD_PATTERNS_JEST_TMP = dir;
  process.env.TMPDIR = dir; // inherited by the workers, read by os.tmpdir()
};
