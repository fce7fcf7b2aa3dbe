// Jest global setup: every temporary file or directory the tests create (cdk8s's Testing.app()
// makes a fresh outdir per app, the synth tests their dist/ copies) goes into one directory of
// this run, which global-teardown.js removes, so runs leave nothing behind in the system's /tmp.
//
// For the unit suite (test/suites/*.suite.ts, `npm test`), it also transforms the TypeScript the
// suites load into jest's transform cache, once: with an empty cache, each of the suites' workers
// would otherwise transform with SWC what it loads, the library's files in both (~0.4 s of CPU
// each on a 2-core machine). The workers then read each file from the cache, as on a second run.
// The cache key is jest's own (ScriptTransformer with the project's configuration and the options
// jest's runtime passes), so a file this misses, or transforms differently, is transformed by the
// worker as before: it changes the time only.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** Folders of test/ whose files no suite loads (their own npm scripts, data). */
const NOT_LOADED = new Set(['integration', 'consumer', 'consumer-init', 'consumer-go', 'consumer-java', 'consumer-python', 'tools', 'browser', 'faults', 'yaml-roundtrip', 'apiserver', 'yamlcheck', 'fixtures', 'golden', '__snapshots__', 'node_modules']);

function typeScriptFiles(dir, skip, out = []) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.has(e.name)) typeScriptFiles(p, skip, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      out.push(p);
    }
  }
  return out;
}

async function pretransform(projectConfig) {
  const { createScriptTransformer } = require('@jest/transform');
  const transformer = await createScriptTransformer(projectConfig);
  // what jest-runtime passes for a CommonJS module (no coverage)
  const options = { instrument: false, supportsDynamicImport: typeof require('vm').SyntheticModule === 'function', supportsExportNamespaceFrom: false, supportsStaticESM: false, supportsTopLevelAwait: false };
  const root = projectConfig.rootDir;
  const files = [
    ...typeScriptFiles(path.join(root, 'lib'), new Set()),
    ...typeScriptFiles(path.join(root, 'imports'), new Set()),
    ...typeScriptFiles(path.join(root, 'test'), NOT_LOADED),
    ...typeScriptFiles(path.join(root, 'scripts', 'docs'), new Set()), // the diagram code the docs tests load
  ];
  for (const file of files) transformer.transformSource(file, fs.readFileSync(file, 'utf-8'), options);
}

/**
 * Starts the validator warm-up (test/util/warm-validators.js) in a process of its own, so that it
 * runs beside the transform; resolves when it ends. It fails only the time: a validator it did not
 * compile, a worker compiles; its output is printed in case it says why.
 */
function warmValidators(root) {
  if (process.env.POD_PATTERNS_CACHE_DIR === 'off' || process.env.POD_PATTERNS_NO_VALIDATOR_WARMUP) return Promise.resolve();
  return new Promise((resolve) => {
    // the same V8 flags as this process (npm test's interrupt budget), not its debugger's or profiler's
    const flags = process.execArgv.filter((a) => !/^--(inspect|debug|cpu-prof|heap-prof)/.test(a));
    const child = spawn(process.execPath, [...flags, path.join(__dirname, 'warm-validators.js')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => { out += String(e); });
    child.on('close', (code) => {
      if (code !== 0) process.stderr.write(`validator warm-up (test/util/warm-validators.js) exited with ${code}; the workers compile what they use:\n${out}\n`);
      resolve();
    });
  });
}

module.exports = async (_globalConfig, projectConfig) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pod-patterns-jest-'));
  process.env.POD_PATTERNS_JEST_TMP = dir;
  process.env.TMPDIR = dir; // inherited by the workers, read by os.tmpdir()
  const suites = (projectConfig?.testMatch ?? []).some((m) => m.includes('/test/suites/'));
  if (!suites) return;
  const warmed = warmValidators(projectConfig.rootDir);
  if (projectConfig.cache !== false) await pretransform(projectConfig);
  await warmed;
};
