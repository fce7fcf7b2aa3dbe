#!/usr/bin/env node
// Fails when the committed imports/k8s.ts differs from a fresh offline regeneration.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-import-'));
try {
  execFileSync(process.execPath, [path.join(__dirname, 'import-k8s.js'), tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
  const fresh = fs.readFileSync(path.join(tmp, 'k8s.ts'), 'utf-8');
  const committed = fs.readFileSync(path.join(root, 'imports', 'k8s.ts'), 'utf-8');
  if (fresh !== committed) {
    console.error('imports/k8s.ts differs from a fresh `npm run import`; run it and commit the result.');
    process.exit(1);
  }
  console.log(`imports/k8s.ts matches a fresh regeneration (${committed.length} bytes)`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
