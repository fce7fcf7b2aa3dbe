// The invalid-props case every language's consumer repeats (scripts/languages-test.sh): a
// LogSidecar with a relative log directory and a log file outside it, on a Deployment of the
// user's. Prints the error's message; the Python, Java and Go apps must print the same bytes.
'use strict';
const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const { LogSidecar, Patterns } = require('cdk8s-pod-patterns');

const app = new App();
const chart = new Chart(app, 'bad');
const web = new kplus.Deployment(chart, 'web', { containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] });
try {
  new LogSidecar(chart, 'logs', { workload: web, appContainerName: 'nginx', logDirectory: 'var/log/nginx', logFiles: ['../access.log'] });
} catch (e) {
  if (!Patterns.isPropsError(e.message) || Patterns.isSynthError(e.message)) throw new Error(`not told as a props error: ${e.message}`);
  process.stdout.write(`${Patterns.errorText(e.message)}\n`);
  process.exit(0);
}
process.stderr.write('invalid props were accepted\n');
process.exit(1);
