// Jest global teardown: removes the run's temporary directory (see global-setup.js).
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.POD_PATTERNS_JEST_TMP;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
