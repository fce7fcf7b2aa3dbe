// Synthesizes each docs example (docs/examples/<stem>.ts, importing the installed package as the
// docs show it) to <out>/<stem>.k8s.yaml with the library's synth, for scripts/languages-test.sh
// to compare with what docs/examples/<stem>.py writes. Usage: node docs-examples.js EXAMPLES_DIR OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const ts = require('typescript');
const { App, Chart } = require('cdk8s');
const { Patterns } = require('cdk8s-pod-patterns');

const [examples, out] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.ts')).sort()) {
  const stem = file.slice(0, -3);
  const source = fs.readFileSync(path.join(examples, file), 'utf8').replace(/from '\.\.\/\.\.\/lib'/g, "from 'cdk8s-pod-patterns'");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const m = new Module(path.join(__dirname, file), module);
  m.paths = module.paths;
  m._compile(js, path.join(__dirname, `${stem}.js`));
  const charts = Object.values(m.exports).filter((v) => typeof v === 'function' && Object.prototype.isPrototypeOf.call(Chart.prototype, v.prototype));
  if (charts.length !== 1) throw new Error(`${file}: exactly one Chart class expected, found ${charts.length}`);
  const app = new App();
  new charts[0](app, stem);
  const files = Patterns.synthToMemory(app);
  fs.writeFileSync(path.join(out, `${stem}.k8s.yaml`), Object.values(files).join(''));
}
