#!/usr/bin/env node
// The file system's own cost per file (scripts/bench/index.js): in <dir>, creates <n> files of
// <bytes> bytes as the synth's writer does (exclusive create, write, fsync, close, then a rename
// into place) and as cdk8s's App.synth() does (writeFileSync, no fsync); prints ms per file of each.
//   node scripts/bench/fscost.js <dir> <n> <bytes>
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, nArg, bytesArg] = process.argv.slice(2);
const n = Number(nArg);
const text = 'x'.repeat(Number(bytesArg) - 1) + '\n';
const durable = path.join(dir, 'durable');
const plain = path.join(dir, 'plain');
fs.mkdirSync(path.join(durable, 'staging'), { recursive: true });
fs.mkdirSync(plain, { recursive: true });
let t = performance.now();
for (let i = 0; i < n; i++) {
  const staged = path.join(durable, 'staging', `f${i}.staged`);
  const fd = fs.openSync(staged, 'wx', 0o666);
  fs.writeSync(fd, text);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(staged, path.join(durable, `f${i}.yaml`));
}
const durableMs = (performance.now() - t) / n;
t = performance.now();
for (let i = 0; i < n; i++) fs.writeFileSync(path.join(plain, `f${i}.yaml`), text);
const plainMs = (performance.now() - t) / n;
fs.rmSync(durable, { recursive: true, force: true });
fs.rmSync(plain, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ durableMs, plainMs })}\n`);
